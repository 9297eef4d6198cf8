from django import forms
from django.utils.translation import gettext_lazy as _

from .ikm import ELEMENTS


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment or suggestion (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in ELEMENTS:
            self.fields[element.code] = forms.TypedChoiceField(
                label=element.question,
                choices=[(i + 1, label) for i, label in enumerate(element.answers)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=element.name,
            )
        self.order_fields([e.code for e in ELEMENTS] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {e.code: self.cleaned_data[e.code] for e in ELEMENTS}
