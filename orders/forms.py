from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductKind
from silastik import uploads

from .models import Exemption, FileKind, Handover, OrderLine
from .services import ABSTRACT_MAX_LENGTH, NOTE_MAX_LENGTH


def abstract_field(label: str, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=ABSTRACT_MAX_LENGTH,
    )


class SubmitForm(forms.Form):
    abstract_background = abstract_field(_("Background"), 3)
    abstract_purpose = abstract_field(_("Purpose"), 3)
    abstract_method = abstract_field(_("Method"), 3)
    abstract_outputs = abstract_field(_("Planned outputs"), 2)
    abstract_file = uploads.SafeFileField(
        policy=uploads.DOCUMENT,
        required=False,
        label=_("Abstract as a document (optional)"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
    )
    exemption_letter = uploads.SafeFileField(
        policy=uploads.LETTER,
        required=False,
        label=_("Apply for the Rp0 tariff: official request letter"),
        help_text=_(
            "Government bodies, education institutions, international bodies and non-commercial "
            "use under BPS rules. PDF, at most 10 MB."
        ),
    )
    terms = forms.BooleanField(
        label=_(
            "I agree to the terms of purchase: the format, cost and media of the products, and for "
            "microdata and maps the data use agreement."
        ),
    )

    def __init__(self, *args, needs_abstract: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_abstract = needs_abstract
        for name in (
            "abstract_background",
            "abstract_purpose",
            "abstract_method",
            "abstract_outputs",
        ):
            self.fields[name].required = needs_abstract
        if not needs_abstract:
            del self.fields["abstract_file"]
            for name in (
                "abstract_background",
                "abstract_purpose",
                "abstract_method",
                "abstract_outputs",
            ):
                del self.fields[name]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH
    )


class RevisionForm(forms.Form):
    what = forms.ChoiceField(
        label=_("What should be corrected?"),
        choices=[
            ("sample", _("The sample data (once)")),
            ("invoice", _("The invoice")),
            ("sppd", _("The data use agreement")),
        ],
    )
    note = forms.CharField(
        label=_("What is wrong"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, sample_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sample_allowed:
            self.fields["what"].choices = [
                c for c in self.fields["what"].choices if c[0] != "sample"
            ]


class SppdUploadForm(forms.Form):
    signed_file = uploads.SafeFileField(
        policy=uploads.SIGNED_AGREEMENT,
        label=_("Signed agreement (PDF with electronic signature and e-meterai)"),
    )


class ProblemForm(forms.Form):
    line = forms.ModelChoiceField(queryset=OrderLine.objects.none(), label=_("Product"))
    description = forms.CharField(
        label=_("What is wrong"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.all()


class ApproveForm(forms.Form):
    exemption = forms.ChoiceField(
        label=_("Rp0 tariff"),
        required=False,
        choices=[
            ("", "—"),
            (Exemption.APPROVED, _("Approve the Rp0 tariff")),
            (Exemption.REFUSED, _("Refuse the Rp0 tariff")),
        ],
    )
    note = forms.CharField(
        label=_("Note to the customer (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
    )


class LineFileForm(forms.Form):
    line = forms.ModelChoiceField(queryset=OrderLine.objects.none(), label=_("Line"))
    kind = forms.ChoiceField(choices=FileKind.choices, label=_("Kind"))
    upload = uploads.SafeFileField(policy=uploads.PRODUCT, label=_("File"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.all()

    def clean(self):
        cleaned = super().clean()
        upload, line = cleaned.get("upload"), cleaned.get("line")
        if upload is None:
            return cleaned
        try:
            if cleaned.get("kind") == FileKind.SAMPLE:
                # The field checked it as a product; sample data have their own kinds and limit.
                uploads.upload_validate(file=upload, policy=uploads.SAMPLE)
            elif line is not None and line.kind == ProductKind.MICRODATA:
                # Priced by the data it holds: measured now, so a bad archive is refused here.
                upload.data_bytes = uploads.data_bytes(upload)
        except forms.ValidationError as exc:
            self.add_error("upload", exc)
        return cleaned


class SppdDeskForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed at the desk on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DeliverForm(forms.Form):
    handover = forms.ChoiceField(
        label=_("Handed over"), choices=[("", "—"), *Handover.choices], required=False
    )
    tracking_number = forms.CharField(
        label=_("Courier and tracking number"), max_length=100, required=False
    )
