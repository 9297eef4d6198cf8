"""The kiosk's forms: big fields, few of them, for a tablet at the entrance."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from desk.models import IdentityKind, Purpose
from desk.services import GuestEntry, phone_normalize
from silastik.users.models import Segment

BIG = {"class": "form-control form-control-lg"}


class GuestBookForm(forms.Form):
    """The guest book on the entrance tablet."""

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
    # A new random key each time the form is shown: every tap of this filled form is one
    # submission (desk.services.ticket_issue).
    submission = forms.RegexField(
        regex=r"^[0-9a-f]{32}$",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("This form is no longer valid: please fill it in again.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission"] = uuid.uuid4().hex

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


class TicketForm(forms.Form):
    """The ticket's number and PIN, which open the rating of that visit."""

    ticket = forms.CharField(
        label=_("Queue number"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center fs-1",
                "placeholder": "A-007",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    pin = forms.CharField(
        label=_("PIN on your ticket"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-center fs-1",
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": "[0-9]*",
                "placeholder": "••••••",
            }
        ),
    )
