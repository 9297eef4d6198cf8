from django import forms
from django.utils.translation import gettext_lazy as _

from offices.models import Office

from .models import SERVICE_LETTERS, Desk, Purpose


class DeskChoiceForm(forms.Form):
    desk = forms.ModelChoiceField(
        label=_("Your desk"),
        queryset=Desk.objects.none(),
        widget=forms.Select({"class": "form-select"}),
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        # The open counters of the person's own office; another office's is no choice.
        self.fields["desk"].queryset = Desk.objects.filter(office=office, active=True)


class CallForm(forms.Form):
    services = forms.MultipleChoiceField(
        label=_("Call from"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
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
