from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from offices.models import Office
from offices.selectors import offices_active
from silastik import uploads

from .services import POLICY, SUBJECT_MAX, TEXT_MAX


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = uploads.SafeFileField(
        policy=POLICY,
        required=False,
        label=_("A file (optional)"),
        help_text=_("PDF, PNG or JPEG, at most 5 MB."),
    )


class ConversationStartForm(MessageForm):
    office = forms.ModelChoiceField(
        label=_("Which office do you want to ask?"),
        queryset=Office.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Choose one of the offices in the list.")},
    )
    subject = forms.CharField(label=_("About"), max_length=SUBJECT_MAX)

    field_order = ["office", "subject", "text", "attachment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_active().order_by("code")
        self.fields["text"].label = _("Your question")


class ToCartForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Put this product in the customer's cart"), queryset=Product.objects.none()
    )

    def __init__(self, *args, office_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            office_id=office_id, is_published=True
        ).order_by("title")
