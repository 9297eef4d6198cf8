from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductKind
from offices.models import Office, OfficeLevel
from silastik.forms import PeriodForm

from .ikm import ELEMENTS
from .models import Channel
from .services import COMMENT_MAX_LENGTH


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment or suggestion (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
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


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnalysisForm(PeriodForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("Product kind"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    # For national readers only: a province (the first two digits of its offices' codes) or
    # one office; neither is every office side by side.
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    office = forms.ChoiceField(
        label=_("Office"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    format = forms.ChoiceField(
        choices=[("html", "HTML"), ("csv", "CSV"), ("pdf", "PDF")], required=False
    )

    def __init__(self, *args, offices: list[Office] | None = None, **kwargs):
        """`offices`: the network, for a national reader to choose from; None hides the choice."""
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        self.fields["kind"].choices = [("", _("All products")), *ProductKind.choices]
        if offices is None:
            del self.fields["province"], self.fields["office"]
            return
        self.fields["province"].choices = [
            ("", _("All provinces")),
            *(
                (office.code[:2], f"{office.code[:2]} {office.name}")
                for office in offices
                if office.level == OfficeLevel.PROVINCE
            ),
        ]
        self.fields["office"].choices = [
            ("", _("All offices")),
            *((office.code, str(office)) for office in offices),
        ]
