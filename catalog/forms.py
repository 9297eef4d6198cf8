from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataFile, Product, ProductKind, Variable
from .selection import Selection, dataset_region_choices, map_areas


class SelectionForm(forms.Form):
    """One change to what a customer picked on a dataset or map page."""

    ACTIONS = [
        ("mode", _("Full set or chosen variables")),
        ("toggle", _("Choose or drop one variable")),
        ("file", _("Choose or drop a whole data file")),
        ("clear", _("Drop every chosen variable")),
        ("regions", _("Limit to regions")),
        ("areas", _("Choose map areas")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    mode = forms.ChoiceField(
        choices=[("full", _("Full set")), ("variables", _("Chosen variables"))], required=False
    )
    variable = forms.IntegerField(required=False)
    file = forms.IntegerField(required=False)
    checked = forms.BooleanField(required=False)
    regions = forms.MultipleChoiceField(required=False)
    areas = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, product: Product, current: Selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        self.current = current
        self.region_choices: list | None = None
        if product.kind == ProductKind.MICRODATA:
            # Read once: the picker shows the same list after the change (catalog.views).
            self.region_choices = list(dataset_region_choices(product.dataset))
            self.fields["regions"].choices = [(r.code, r.code) for r in self.region_choices]
        elif product.kind == ProductKind.MAP and not product.digitalmap.is_national:
            codes = map_areas(product.digitalmap).values_list("code", flat=True)
            self.fields["areas"].choices = [(c, c) for c in codes]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        is_dataset = self.product.kind == ProductKind.MICRODATA
        if action in ("mode", "toggle", "file", "clear", "regions") and not is_dataset:
            raise forms.ValidationError(_("This product has no variables to choose."))
        if action == "areas" and is_dataset:
            raise forms.ValidationError(_("Only a regency map has areas to choose."))
        if (
            action == "toggle"
            and not Variable.objects.filter(
                pk=cleaned.get("variable"), dataset_id=self.product.pk
            ).exists()
        ):
            raise forms.ValidationError(_("That variable is not in this dataset."))
        if (
            action == "file"
            and not DataFile.objects.filter(
                pk=cleaned.get("file"), dataset_id=self.product.pk
            ).exists()
        ):
            raise forms.ValidationError(_("That data file is not in this dataset."))
        return cleaned

    def selection(self) -> Selection:
        data, current = self.cleaned_data, self.current
        variables, regions, by_variable = (
            set(current.variables),
            current.regions,
            current.by_variable,
        )
        match data["action"]:
            case "mode":
                by_variable = data["mode"] == "variables"
            case "toggle":
                by_variable = True
                (variables.add if data["checked"] else variables.discard)(data["variable"])
            case "file":
                by_variable = True
                in_file = set(
                    Variable.objects.filter(file_id=data["file"]).values_list("pk", flat=True)
                )
                variables = variables | in_file if data["checked"] else variables - in_file
            case "clear":
                variables = set()
            case "regions":
                regions = tuple(sorted(set(data["regions"])))
            case "areas":
                regions = tuple(sorted(set(data["areas"])))
        return Selection(variables=frozenset(variables), regions=regions, by_variable=by_variable)
