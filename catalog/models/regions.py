from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    """BPS region codes: the level is the length of the code."""

    PROVINCE = 2, _("Province")
    REGENCY = 4, _("Regency/city")
    SUBDISTRICT = 7, _("Sub-district")
    VILLAGE = 10, _("Village")


class Region(models.Model):
    code = models.CharField(_("BPS code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[2, 4, 7, 10]), name="catalog_region_level_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @staticmethod
    def level_of(code: str) -> int:
        if not code.isdigit() or len(code) not in RegionLevel.values:
            raise ValueError(f"{code!r} is not a BPS region code (2, 4, 7 or 10 digits)")
        return len(code)

    @staticmethod
    def parent_code(code: str) -> str | None:
        """3304060001 → 3304060 → 3304 → 33 → None."""
        levels = sorted(RegionLevel.values)
        index = levels.index(len(code))
        return code[: levels[index - 1]] if index else None
