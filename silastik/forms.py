"""Form pieces shared by the apps."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PeriodForm(forms.Form):
    """A report's period: two dates, in order, at most MAX_YEARS apart."""

    MAX_YEARS = 5

    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot be before its start."))
        elif start and end and end >= _years_later(start, self.MAX_YEARS):
            self.add_error(
                "end", _("The period can be at most %(years)s years.") % {"years": self.MAX_YEARS}
            )
        return data
