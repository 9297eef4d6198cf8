from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from offices.models import Office
from offices.selectors import offices_active
from orders.models import Order, OrderStatus
from silastik import uploads

from .models import ComplaintCategory, ComplaintChannel
from .services import CODE_PREFIX, NAME_MAX, PHONE_MAX, TEXT_MAX, complaint_code_normalize

HONEYPOT = "website"


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Order) -> str:
        details = [
            *(
                [date_format(localtime(obj.submitted_at), "SHORT_DATE_FORMAT")]
                if obj.submitted_at
                else []
            ),
            *([obj.office.name] if obj.office_id else []),
        ]
        return f"{obj.number} ({', '.join(details)})" if details else str(obj.number)


class ComplaintForm(forms.Form):
    office = forms.ModelChoiceField(
        label=gettext_lazy("Which office is it for?"),
        queryset=Office.objects.none(),
        to_field_name="code",
        # Not needed when an order is named: its office is the one that answers (clean()).
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the offices in the list.")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What is it about?"),
        choices=[("", "---------"), *ComplaintCategory.choices],
    )
    text = forms.CharField(
        label=gettext_lazy("Your complaint or suggestion"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    order = OrderChoiceField(
        label=gettext_lazy("The order it is about (optional)"),
        queryset=Order.objects.none(),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose one of your own orders.")},
    )
    attachment = uploads.SafeFileField(
        policy=uploads.COMPLAINT,
        required=False,
        label=gettext_lazy("A photo or document (optional)"),
        help_text=gettext_lazy("PDF, PNG or JPEG, at most 5 MB."),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Your name (optional)"), max_length=NAME_MAX, required=False
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        required=False,
        help_text=gettext_lazy(
            "We send the tracking code and our answers here. It is never shown on the status "
            "page. Without it, keep the tracking code: it is the only way to read our answer."
        ),
    )
    # Hidden from people; form-filling robots fill it in and are refused.
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            kwargs["initial"] = {"contact_email": user.email, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_active().order_by("code")
        self.fields["text"].help_text = _(
            "At most %(limit)s characters. Please do not write passwords or identity numbers."
        ) % {"limit": number_format(TEXT_MAX, force_grouping=True)}
        if signed_in:
            self.fields["order"].queryset = (
                Order.objects.filter(customer=user)
                .exclude(status=OrderStatus.DRAFT)
                .select_related("office")
                .order_by("-submitted_at", "-pk")
            )
        if not signed_in or not self.fields["order"].queryset.exists():
            # Without an account there is no order to name: an order number is not a secret.
            del self.fields["order"]
        else:
            self.fields["order"].help_text = _(
                "A complaint about an order goes to the office that served it."
            )
        self.fields["office"].required = "order" not in self.fields
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        # The page writes the <form> tag, the pointer to LAPOR! and the button.
        helper = FormHelper()
        helper.form_tag = False
        big = "form-control-lg"
        helper.layout = Layout(
            Field("office", css_class="form-select-lg"),
            Field("category", css_class="form-select-lg"),
            Field("text", css_class=big),
            *([Field("order", css_class="form-select-lg")] if "order" in self.fields else []),
            Field("attachment", css_class=big),
            Field("contact_email", css_class=big, autocomplete="email"),
            Field("contact_name", css_class=big, autocomplete="name"),
            Div(
                Field(HONEYPOT, tabindex="-1", autocomplete="off"),
                css_class="visually-hidden",
                aria_hidden="true",
            ),
        )
        return helper

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("office") and not data.get("order") and "office" not in self.errors:
            self.add_error("office", _("Choose the office your complaint or suggestion is for."))
        return data

    def clean_website(self) -> str:
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def submission(self) -> dict:
        data = self.cleaned_data
        return {
            "office": data["office"],
            "category": data["category"],
            "text": data["text"],
            "order": data.get("order"),
            "attachment": data.get("attachment") or None,
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
        }


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": f"{CODE_PREFIX}-XXXX-XXXX", "autocapitalize": "characters"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "lookup-form"
        self.helper.form_action = reverse("complaints:lookup")
        self.helper.layout = Layout(
            Field("code", css_class="form-control-lg font-monospace", autocomplete="off"),
            Submit("submit", _("Show the status"), css_class="btn-lg w-100"),
        )

    def clean_code(self) -> str:
        code = complaint_code_normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A tracking code looks like %(example)s: check what you typed."),
                params={"example": f"{CODE_PREFIX}-7K3M-Q9XA"},
            )
        return code


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "reply-form"
        self.helper.layout = Layout(
            Field("text", css_class="form-control-lg"),
            Submit("submit", _("Send the message"), css_class="btn-lg"),
        )


class AnswerForm(forms.Form):
    """Staff's answer in the back office."""

    text = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Closing note to the filer (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
    )


class ComplaintRecordForm(forms.Form):
    """Staff enter a complaint received by another channel than the web form."""

    channel = forms.ChoiceField(
        label=gettext_lazy("How it reached the office"),
        choices=[("", "---------")]
        + [(v, label) for v, label in ComplaintChannel.choices if v != ComplaintChannel.WEB],
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What is it about?"),
        choices=[("", "---------"), *ComplaintCategory.choices],
    )
    text = forms.CharField(
        label=gettext_lazy("The complaint or suggestion, as received"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Name (optional)"), max_length=NAME_MAX, required=False
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("E-mail address (optional)"),
        required=False,
        help_text=gettext_lazy("With it, the filer gets the tracking code and the answers."),
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Telephone or WhatsApp (optional)"), max_length=PHONE_MAX, required=False
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the answers"), choices=settings.LANGUAGES, initial="id"
    )
