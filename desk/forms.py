from django import forms
from django.utils.translation import gettext_lazy as _

from silastik.users.models import Segment

from .models import Desk, IdentityKind, Purpose
from .services import GuestEntry, phone_normalize

BIG = {"class": "form-control form-control-lg"}


class GuestBookForm(forms.Form):
    """The guest book on the entrance tablet: big fields, few of them."""

    purpose = forms.ChoiceField(
        label=_("What do you come for?"), choices=Purpose.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(BIG))
    institution = forms.CharField(
        label=_("Institution (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(BIG),
    )
    segment = forms.ChoiceField(
        label=_("You are"),
        # No default: a visitor who skips it is told, rather than counted as the first choice.
        choices=[("", "—"), *Segment.choices],
        widget=forms.Select({"class": "form-select form-select-lg"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput({**BIG, "autocomplete": "off", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput({**BIG, "autocomplete": "off", "inputmode": "tel"}),
    )
    identity_kind = forms.ChoiceField(
        label=_("Identity document"),
        choices=IdentityKind.choices,
        widget=forms.Select({"class": "form-select form-select-lg"}),
    )
    identity_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        widget=forms.TextInput({**BIG, "autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone and not 8 <= len(phone_normalize(phone)) <= 15:
            raise forms.ValidationError(_("Enter a phone number of 8 to 15 digits."))
        return phone

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(
                _("Give an e-mail address or a mobile phone number, so we can find you again.")
            )
        return data

    def entry(self) -> GuestEntry:
        data = self.cleaned_data
        return GuestEntry(**{name: data[name] for name in GuestEntry.__dataclass_fields__})


class DeskChoiceForm(forms.Form):
    desk = forms.ModelChoiceField(
        label=_("Your desk"),
        queryset=Desk.objects.filter(active=True),
        widget=forms.Select({"class": "form-select"}),
    )


class CallForm(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Call from"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from .models import SERVICE_LETTERS

        super().__init__(*args, **kwargs)
        labels = dict(Purpose.choices)
        self.fields["services"].choices = [
            (letter, f"{letter} · {labels[purpose]}") for purpose, letter in SERVICE_LETTERS.items()
        ]


class FinishForm(forms.Form):
    note = forms.CharField(
        label=_("What was done (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2, "class": "form-control"}),
    )
