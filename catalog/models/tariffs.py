from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from silastik.money import rupiah


class TariffItem(models.TextChoices):
    """The priced items of the PNBP regulation (PP 13/2024) that the portal sells."""

    PUBLICATION_FIRST = "publication_first", _("Electronic publication, first 50 pages")
    PUBLICATION_NEXT = "publication_next", _("Electronic publication, each further 50 pages")
    MICRODATA_FIRST = "microdata_first", _("Microdata as stored, first 1 MB")
    MICRODATA_NEXT = "microdata_next", _("Microdata as stored, each further 1.000 bytes")
    PROCESSED_FIRST = "processed_first", _("Processed microdata, first 1 MB per table")
    PROCESSED_NEXT = "processed_next", _("Processed microdata, each further 1.000 bytes")
    MAP_REGENCY_SUBDISTRICT = "map_regency_subdistrict", _("Map of a regency/city per sub-district")
    MAP_REGENCY_VILLAGE = "map_regency_village", _("Map of a regency/city per village")
    MAP_NATIONAL_SUBDISTRICT = "map_national_subdistrict", _("Map of Indonesia per sub-district")
    MAP_NATIONAL_VILLAGE = "map_national_village", _("Map of Indonesia per village")


class Tariff(models.Model):
    """One tariff item's amount over a period. A new regulation is new rows with their own
    start date; quotes use the row in force on the quote's date."""

    item = models.CharField(_("item"), max_length=40, choices=TariffItem.choices)
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    regulation = models.CharField(_("regulation"), max_length=100, default="PP 13/2024")

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["item", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["item", "valid_from"], name="catalog_tariff_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="catalog_tariff_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {rupiah(self.amount)}"

    def clean(self) -> None:
        if self.valid_from is None or not self.item:
            return
        overlapping = Tariff.objects.filter(item=self.item).exclude(pk=self.pk)
        end = self.valid_until or date.max
        for other in overlapping:
            if other.valid_from <= end and (other.valid_until or date.max) >= self.valid_from:
                raise ValidationError(
                    _("This period overlaps the tariff valid from %(date)s for the same item.")
                    % {"date": other.valid_from.isoformat()}
                )
