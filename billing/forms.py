from django import forms
from django.utils.translation import gettext_lazy as _

from silastik import uploads

from .errors import BillingError


class ProofForm(forms.Form):
    proof = uploads.SafeFileField(
        policy=uploads.PAYMENT_PROOF, label=_("Transfer proof (PDF, PNG or JPEG, at most 5 MB)")
    )


# Where the simulated payment is made, as a collecting bank reports it (bank · channel).
BANK_CHANNELS = [
    ("Bank Mandiri · Teller", _("Bank Mandiri, at the teller")),
    ("BRI · ATM", _("BRI, at an ATM")),
    ("BNI · Internet banking", _("BNI, internet banking")),
    ("BSI · Mobile banking", _("BSI, mobile banking")),
    ("Pos Indonesia · Loket", _("Pos Indonesia, at the counter")),
]


class BankSimulationForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{15}$",
        label=_("Billing code"),
        error_messages={"invalid": _("A billing code has 15 digits.")},
    )
    channel = forms.ChoiceField(
        label=_("Bank and channel"),
        choices=BANK_CHANNELS,
        initial=BANK_CHANNELS[0][0],
        required=False,
    )

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or BANK_CHANNELS[0][0]


class DecisionForm(forms.Form):
    """What the treasurer types when confirming, rejecting or recording a payment: the lengths
    are the columns', so a paste too long is refused here with its field named."""

    reference = forms.CharField(label=_("Bank reference"), required=False, max_length=100)
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=500)
    value_date = forms.DateField(
        label=_("Date the money arrived"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )

    def decision(self) -> dict:
        """The cleaned values, or a BillingError naming the first field that is wrong."""
        if not self.is_valid():
            name, errors = next(iter(self.errors.items()))
            raise BillingError(f"{self.fields[name].label}: {errors[0]}")
        return self.cleaned_data
