from django import forms
from django.utils.translation import gettext_lazy as _

from silastik import uploads


class ProofForm(forms.Form):
    proof = uploads.SafeFileField(
        policy=uploads.PAYMENT_PROOF, label=_("Transfer proof (PDF, PNG or JPEG, at most 5 MB)")
    )


class BankSimulationForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{15}$",
        label=_("Billing code"),
        error_messages={"invalid": _("A billing code has 15 digits.")},
    )


class DecisionForm(forms.Form):
    reference = forms.CharField(label=_("Bank reference"), required=False, max_length=100)
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=500)
