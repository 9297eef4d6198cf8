from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext_lazy as _

from offices.admin import OfficeScopedAdmin
from offices.selectors import user_is_national
from silastik import uploads
from silastik.admin_files import PrivateFilesAdminMixin
from silastik.money import rupiah

from .admin_ddi import ddi_upload_view, region_records_message
from .masters import master_attach, master_check
from .models import (
    Category,
    DataFile,
    Dataset,
    DatasetAttachment,
    DigitalMap,
    Publication,
    Region,
    RegionRecords,
    Subject,
    Tariff,
    Variable,
)
from .services import dataset_region_records_import


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


PRODUCT_FIELDSET = (
    None,
    {
        "fields": [
            "office",
            "title",
            "slug",
            "description",
            "title_en",
            "description_en",
            "year",
            "subject",
            "region",
            "is_published",
        ]
    },
)


class ProductAdmin(PrivateFilesAdminMixin, OfficeScopedAdmin):
    # The master file goes up with a progress bar (templates/includes/upload_progress.html).
    change_form_template = "admin/catalog/product_change_form.html"
    list_display = ["title", "year", "subject", "region", "is_published", "updated_at"]
    list_filter = ["is_published", "year", "subject", "office"]
    search_fields = ["title", "slug", "description"]
    list_select_related = ["subject", "region"]
    autocomplete_fields = ["region", "subject"]
    prepopulated_fields = {"slug": ["title"]}
    list_per_page = 50


@admin.register(Publication)
class PublicationAdmin(ProductAdmin):
    list_display = [
        "title",
        "catalogue_number",
        "year",
        "page_count",
        "softcopy",
        "hardcopy",
        "is_published",
    ]
    list_filter = [*ProductAdmin.list_filter, "language", "softcopy", "hardcopy"]
    search_fields = [*ProductAdmin.search_fields, "catalogue_number", "issn", "isbn"]
    fieldsets = [
        PRODUCT_FIELDSET,
        (
            _("Publication"),
            {
                "fields": [
                    "catalogue_number",
                    "publication_number",
                    "issn",
                    "isbn",
                    "language",
                    "page_count",
                    "release_date",
                    "cover",
                    "softcopy",
                    "hardcopy",
                    "printed_copies",
                    "printed_price",
                    "file",
                ]
            },
        ),
    ]


class DataFileInline(admin.TabularInline):
    model = DataFile
    extra = 0
    fields = ["file_id", "name", "records", "record_length", "position", "regions_counted"]
    readonly_fields = ["regions_counted"]
    # The records per region are entered on the data file's own page.
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(regions_counted=Count("region_records"))

    @admin.display(description=_("regions counted"))
    def regions_counted(self, obj: DataFile) -> int:
        return getattr(obj, "regions_counted", 0)


class AttachmentInline(admin.TabularInline):
    model = DatasetAttachment
    extra = 1
    fields = ["kind", "title", "file", "position"]


@admin.register(Dataset)
class DatasetAdmin(ProductAdmin):
    list_display = [
        "title",
        "survey_name",
        "year",
        "full_size_bytes",
        "codebook_imported_at",
        "is_published",
    ]
    search_fields = [*ProductAdmin.search_fields, "survey_name", "ddi_id"]
    readonly_fields = ["codebook_imported_at"]
    inlines = [DataFileInline, AttachmentInline]
    change_list_template = "admin/catalog/dataset/change_list.html"
    fieldsets = [
        PRODUCT_FIELDSET,
        (
            _("Microdata"),
            {
                "fields": [
                    "survey_name",
                    "period",
                    "coverage",
                    "producer",
                    "ddi_id",
                    "full_size_bytes",
                    "codebook_imported_at",
                    "region_variable",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Another region variable, or another coverage, gives other records per region.
        if change and {"region", "region_variable"} & set(form.changed_data):
            result = dataset_region_records_import(dataset=obj)
            messages.info(request, region_records_message(files=result.files))

    def get_urls(self):
        upload = self.admin_site.admin_view(
            lambda request: ddi_upload_view(request, self.admin_site)
        )
        return [path("import-ddi/", upload, name="catalog_dataset_import_ddi"), *super().get_urls()]


class RegionRecordsFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        total = sum(
            form.cleaned_data.get("records") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if total > (self.instance.records or 0):
            raise ValidationError(
                _(
                    "Together the regions have %(total)s records, more than the data file's "
                    "%(records)s."
                )
                % {"total": intcomma(total), "records": intcomma(self.instance.records or 0)},
                code="more_than_file",
            )


class RegionRecordsInline(admin.TabularInline):
    """Records per region: part of the data file, so whoever may change the file may change
    them (the office scoping is the file's)."""

    model = RegionRecords
    formset = RegionRecordsFormSet
    extra = 1
    fields = ["region", "records"]
    verbose_name_plural = _("records per region")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the regions the dataset can be limited to: a national dataset's provinces, a
        # regency's sub-districts (dozens, not the whole master file).
        field = formset.form.base_fields["region"]
        field.queryset = obj.dataset.region_choices() if obj is not None else Region.objects.none()
        # Read once for every row's select, not once per row.
        field.choices = [("", "---------"), *((r.pk, str(r)) for r in field.queryset)]
        return formset

    def _file_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("catalog.change_datafile")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("catalog.view_datafile") or self._file_permission(request)

    has_add_permission = _file_permission
    has_change_permission = _file_permission
    has_delete_permission = _file_permission


class DataFileForm(forms.ModelForm):
    """A data file's page, with its master data file: an upload is read and compared with the
    codebook here, and refused with every mismatch before anything is stored."""

    master_upload = uploads.SafeFileField(
        policy=uploads.MASTER,
        required=False,
        label=_("Master data file"),
        help_text=_(
            "The office's data file for this part of the codebook (SPSS .sav, Stata .dta or "
            "CSV), which the portal cuts customers' products from. It is checked against the "
            "codebook (variables, types, records) and kept privately."
        ),
    )

    class Meta:
        model = DataFile
        fields = ["file_id", "name", "description", "records", "record_length"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("master_upload")
        if upload is not None and self.instance.pk:
            try:
                self.master_info = master_check(data_file=self.instance, upload=upload)
            except ValidationError as exc:
                self.add_error("master_upload", exc)
        return cleaned


@admin.register(DataFile)
class DataFileAdmin(OfficeScopedAdmin):
    """A dataset's data file with its records per region and its master data file. Files come
    with their dataset (its page or the codebook import), so they are neither added nor
    deleted here."""

    office_path = "dataset__office"
    form = DataFileForm
    # The master file goes up with a progress bar (templates/includes/upload_progress.html).
    change_form_template = "admin/catalog/product_change_form.html"

    list_display = ["name", "file_id", "dataset", "records", "record_length", "master_records"]
    list_filter = [("dataset", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "file_id", "dataset__title"]
    list_select_related = ["dataset"]
    fieldsets = [
        (
            None,
            {"fields": ["dataset", "file_id", "name", "description", "records", "record_length"]},
        ),
        (
            _("Master data file"),
            {
                "fields": [
                    "master_name",
                    "master_format",
                    "master_records",
                    "master_size",
                    "master_attached_at",
                    "master_upload",
                ]
            },
        ),
    ]
    readonly_fields = [
        "dataset",
        "master_name",
        "master_format",
        "master_records",
        "master_size",
        "master_attached_at",
    ]
    inlines = [RegionRecordsInline]

    @admin.display(description=_("master size"))
    def master_size(self, obj: DataFile) -> str:
        if obj.master_bytes is None:
            return "–"
        return f"{filesizeformat(obj.master_bytes)} ({intcomma(obj.master_bytes)} B)"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("master_upload")
        if upload is not None:
            info = master_attach(data_file=obj, upload=upload, info=form.master_info)
            messages.success(
                request,
                _(
                    "The master file matches the codebook: %(records)s records, %(columns)s "
                    "variables."
                )
                % {"records": intcomma(info.records), "columns": intcomma(len(info.columns))},
            )


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0
    fields = ["value", "label", "frequency", "position"]


@admin.register(Variable)
class VariableAdmin(OfficeScopedAdmin):
    office_path = "dataset__office"

    list_display = ["name", "label", "dataset", "file", "width", "var_type", "category_count"]
    list_filter = ["var_type", ("dataset", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "label", "dataset__title"]
    list_select_related = ["dataset", "file"]
    raw_id_fields = ["dataset", "file"]
    inlines = [CategoryInline]
    list_per_page = 100


@admin.register(DigitalMap)
class DigitalMapAdmin(ProductAdmin):
    list_display = ["title", "level", "region", "year", "is_published"]
    list_filter = [*ProductAdmin.list_filter, "level"]
    fieldsets = [
        PRODUCT_FIELDSET,
        (_("Map"), {"fields": ["level", "file"]}),
    ]


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    """The tariffs are the regulation's, the same for every office: an office's people read
    them; only the national roles change them."""

    list_display = ["item", "amount_rupiah", "valid_from", "valid_until", "regulation"]
    list_filter = ["item", "regulation"]
    ordering = ["item", "-valid_from"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_rupiah(self, obj: Tariff) -> str:
        return rupiah(obj.amount)

    def has_add_permission(self, request) -> bool:
        return user_is_national(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return user_is_national(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return user_is_national(request.user) and super().has_delete_permission(request, obj)
