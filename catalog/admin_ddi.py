"""The back-office page that uploads a DDI codebook into a microdata dataset.

DatasetAdmin.get_urls serves `ddi_upload_view` at import-ddi/ (admin:catalog_dataset_import_ddi).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from offices.models import Office
from offices.selectors import office_filter, office_of

from .ddi import DdiError, DdiImportResult, ddi_import
from .models import Dataset

CODEBOOK_MAX_BYTES = 20 * 1024 * 1024


class _RefusedUpdate(Exception):
    """Raised inside the import's transaction to undo an update the user may not make."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


class DdiUploadForm(forms.Form):
    codebook = forms.FileField(
        label=gettext_lazy("DDI codebook"),
        validators=[FileExtensionValidator(allowed_extensions=["xml"])],
        help_text=gettext_lazy(
            "An XML file in DDI Codebook 1.2.2 or 2.5, as exported by Nesstar or NADA; "
            "at most 20 MB."
        ),
    )
    dataset = forms.ModelChoiceField(
        label=gettext_lazy("Import into"),
        queryset=Dataset.objects.order_by("title"),
        required=False,
        empty_label=gettext_lazy("The dataset with the codebook's identifier, or a new one"),
        help_text=gettext_lazy(
            "Variables and value labels of the chosen dataset are replaced by the codebook's."
        ),
    )

    office = forms.ModelChoiceField(
        label=gettext_lazy("Published by"),
        queryset=Office.objects.filter(is_active=True),
        required=False,
        help_text=gettext_lazy("The office a new dataset belongs to."),
    )

    def __init__(self, *args, user, can_create: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Without the right to add datasets, staff may only refresh an existing one.
        self.fields["dataset"].required = not can_create
        # An office's people import into their own office's datasets only.
        self.user_office = office_of(user)
        self.fields["dataset"].queryset = office_filter(
            Dataset.objects.order_by("title"), user=user
        )
        if self.user_office is not None:
            del self.fields["office"]

    def publisher(self) -> Office | None:
        return self.user_office or self.cleaned_data.get("office")

    def clean_codebook(self) -> UploadedFile:
        codebook = self.cleaned_data["codebook"]
        if codebook.size > CODEBOOK_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; a codebook may be at most %(limit)s.")
                % {
                    "size": filesizeformat(codebook.size),
                    "limit": filesizeformat(CODEBOOK_MAX_BYTES),
                },
                code="too_large",
            )
        return codebook


def ddi_upload_view(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    can_create = request.user.has_perm("catalog.add_dataset")
    can_change = request.user.has_perm("catalog.change_dataset")
    if not (can_create or can_change):
        raise PermissionDenied
    request.current_app = admin_site.name
    form = DdiUploadForm(
        request.POST or None, request.FILES or None, user=request.user, can_create=can_create
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = _import(form=form, can_change=can_change)
        except DdiError as exc:
            form.add_error("codebook", exc.message)
        else:
            messages.success(request, _success_message(result=result))
            if result.region_files:
                messages.info(request, region_records_message(files=result.region_files))
            url = reverse(
                "admin:catalog_dataset_change",
                args=[result.dataset.pk],
                current_app=admin_site.name,
            )
            return HttpResponseRedirect(url)
    context = {
        **admin_site.each_context(request),
        "title": _("Import DDI codebook"),
        "opts": Dataset._meta,
        "form": form,
    }
    return TemplateResponse(request, "admin/catalog/dataset/import_ddi.html", context)


def _import(*, form: DdiUploadForm, can_change: bool) -> DdiImportResult:
    data = form.cleaned_data["codebook"].read()
    try:
        with transaction.atomic():
            result = ddi_import(
                data=data, dataset=form.cleaned_data["dataset"], office=form.publisher()
            )
            # Which dataset a codebook updates is only known once it is read, so an update
            # that the user may not make is rolled back rather than refused beforehand.
            if not result.created and not can_change:
                raise _RefusedUpdate(result.dataset.title)
    except _RefusedUpdate as refused:
        raise DdiError(
            _("This codebook updates “%(title)s”, and you may not change existing datasets.")
            % {"title": refused.title}
        ) from None
    return result


def region_records_message(*, files: int) -> str:
    if not files:
        return _(
            "No region variable with frequencies was found: enter the records per region on "
            "the data files' pages."
        )
    return ngettext(
        "Records per region were taken from the region variable's frequencies for %(files)d "
        "data file.",
        "Records per region were taken from the region variable's frequencies for %(files)d "
        "data files.",
        files,
    ) % {"files": files}


def _success_message(*, result: DdiImportResult) -> str:
    values = {
        "title": result.dataset.title,
        "files": result.files,
        "variables": result.variables,
        "categories": result.categories,
    }
    if result.created:
        return (
            _(
                "Created “%(title)s” from the codebook: %(files)d data files, %(variables)d "
                "variables, %(categories)d value labels. It is not published yet."
            )
            % values
        )
    return (
        _(
            "Updated “%(title)s” from the codebook: %(files)d data files, %(variables)d "
            "variables, %(categories)d value labels."
        )
        % values
    )
