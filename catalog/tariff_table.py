"""The public tariff table: the PNBP tariffs in force (PP 13/2024) as staff show them to a
visitor at the desk and as the portal prices every line (catalog.pricing), with a few worked
examples computed from the same tariffs."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import MapLevel, Tariff, TariffItem
from .pricing import (
    TariffMissing,
    Tariffs,
    map_lines,
    microdata_lines,
    publication_lines,
    tariffs_in_force,
)

# What each item is charged per, in the words a visitor asks about.
UNITS: dict[str, Promise] = {
    TariffItem.PUBLICATION_FIRST: _("per publication: its first 50 pages, or fewer"),
    TariffItem.PUBLICATION_NEXT: _("each further block of 50 pages, started"),
    TariffItem.MICRODATA_FIRST: _("per dataset: its first MB (1.000.000 bytes), or less"),
    TariffItem.MICRODATA_NEXT: _("each further block of 1.000 bytes, started"),
    TariffItem.PROCESSED_FIRST: _("per table: its first MB, or less"),
    TariffItem.PROCESSED_NEXT: _("each further block of 1.000 bytes, started"),
    TariffItem.MAP_REGENCY_SUBDISTRICT: _("per map: one map for each sub-district chosen"),
    TariffItem.MAP_REGENCY_VILLAGE: _("per map: one map for each village chosen"),
    TariffItem.MAP_NATIONAL_SUBDISTRICT: _("one map of all Indonesia"),
    TariffItem.MAP_NATIONAL_VILLAGE: _("one map of all Indonesia"),
}
GROUPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (_("Publications"), (TariffItem.PUBLICATION_FIRST, TariffItem.PUBLICATION_NEXT)),
    (
        _("Microdata"),
        (
            TariffItem.MICRODATA_FIRST,
            TariffItem.MICRODATA_NEXT,
            TariffItem.PROCESSED_FIRST,
            TariffItem.PROCESSED_NEXT,
        ),
    ),
    (
        _("Digital maps of statistical work areas"),
        (
            TariffItem.MAP_REGENCY_SUBDISTRICT,
            TariffItem.MAP_REGENCY_VILLAGE,
            TariffItem.MAP_NATIONAL_SUBDISTRICT,
            TariffItem.MAP_NATIONAL_VILLAGE,
        ),
    ),
)


@dataclass(frozen=True)
class TariffRow:
    item: str
    label: str
    unit: str
    amount: int | None  # None: no tariff in force for the item (staff must add one)
    regulation: str
    valid_from: date | None


@dataclass(frozen=True)
class TariffGroup:
    title: str
    rows: tuple[TariffRow, ...]


@dataclass(frozen=True)
class Example:
    text: str
    total: int


@dataclass(frozen=True)
class TariffTable:
    on: date
    groups: tuple[TariffGroup, ...]
    regulations: tuple[str, ...]
    examples: tuple[Example, ...]


def tariff_table(*, on: date | None = None) -> TariffTable:
    """Every item of the regulation with the tariff in force on the day (today by default):
    two queries, the amounts from catalog.pricing.tariffs_in_force, which every quote uses."""
    on = on or timezone.localdate()
    amounts = tariffs_in_force(on=on)
    rows: dict[str, Tariff] = {}
    in_force = (
        Tariff.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("item", "-valid_from")
    )
    for tariff in in_force:
        rows.setdefault(tariff.item, tariff)
    groups = tuple(
        TariffGroup(
            title=str(title),
            rows=tuple(_row(item, amounts, rows.get(item)) for item in items),
        )
        for title, items in GROUPS
    )
    regulations = tuple(sorted({row.regulation for row in rows.values() if row.regulation}))
    return TariffTable(on=on, groups=groups, regulations=regulations, examples=_examples(amounts))


def _row(item: str, amounts: Tariffs, tariff: Tariff | None) -> TariffRow:
    return TariffRow(
        item=item,
        label=str(TariffItem(item).label),
        unit=str(UNITS[item]),
        amount=amounts.get(item),
        regulation=tariff.regulation if tariff else "",
        valid_from=tariff.valid_from if tariff else None,
    )


def _examples(amounts: Tariffs) -> tuple[Example, ...]:
    """Worked examples, priced by the portal's own rules: what a visitor most often asks."""
    cases = [
        (
            _("A publication of 120 pages: the first 50 pages and 2 further blocks"),
            lambda: publication_lines(pages=120, tariffs=amounts),
        ),
        (
            _("Microdata of 2.500.000 bytes: the first MB and 1.500 further blocks of 1.000 bytes"),
            lambda: microdata_lines(size_bytes=2_500_000, tariffs=amounts),
        ),
        (
            _("A regency map of 3 sub-districts: 3 maps"),
            lambda: map_lines(level=MapLevel.SUBDISTRICT, national=False, maps=3, tariffs=amounts),
        ),
    ]
    examples = []
    for text, lines in cases:
        try:
            total = sum(line.amount for line in lines())
        except TariffMissing:
            continue  # the table says the item has no tariff; no example for it
        examples.append(Example(text=str(text), total=total))
    return tuple(examples)
