"""Prices of order lines from the tariffs in force (PNBP, PP 13/2024; see docs/domain.md).

Pure functions over a {item: amount} table, so every rule can be checked with worked examples.
Amounts are integer rupiah.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from silastik.money import dotted, rupiah

from .models import MapLevel, ProductKind, Tariff, TariffItem
from .selection import (
    Selection,
    SizeEstimate,
    dataset_size_estimate,
    map_area_count,
)

MEGABYTE = 1_000_000  # "1 MB" of the tariff: decimal, like its 1.000-byte blocks
BYTE_BLOCK = 1_000
PAGE_BLOCK = 50

Tariffs = dict[str, int]


class TariffMissing(Exception):
    """No tariff row is in force for an item on the quote's date: staff must add one."""


@dataclass(frozen=True)
class QuoteLine:
    description: str
    quantity: int
    unit_price: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...] = field(default_factory=tuple)
    # Rp0 tariff granted for the order (BPS rules): lines keep their prices for the record.
    exempt: bool = False

    @property
    def gross(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        return 0 if self.exempt else self.gross


def tariffs_in_force(*, on: date | None = None) -> Tariffs:
    """The amount of every item on a date, in one query."""
    on = on or timezone.localdate()
    rows = (
        Tariff.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("item", "-valid_from")
        .values_list("item", "amount")
    )
    table: Tariffs = {}
    for item, amount in rows:
        table.setdefault(item, amount)
    return table


def _amount(tariffs: Tariffs, item: str) -> int:
    try:
        return tariffs[item]
    except KeyError:
        raise TariffMissing(
            _("No tariff is in force for “%(item)s”.") % {"item": TariffItem(item).label}
        ) from None


def _blocks(size: int, block: int) -> int:
    """Started blocks: a part of a block costs a whole one."""
    return -(-size // block)


def publication_lines(*, pages: int, tariffs: Tariffs) -> tuple[QuoteLine, ...]:
    if pages < 1:
        raise ValueError("a publication has at least one page")
    lines = [QuoteLine(_("First 50 pages"), 1, _amount(tariffs, TariffItem.PUBLICATION_FIRST))]
    further = _blocks(pages, PAGE_BLOCK) - 1
    if further:
        lines.append(
            QuoteLine(
                _("Further 50-page blocks"), further, _amount(tariffs, TariffItem.PUBLICATION_NEXT)
            )
        )
    return tuple(lines)


def _size_lines(*, size_bytes: int, first: str, next_: str, tariffs: Tariffs, label: str):
    priced = _size_breakdown(size_bytes=size_bytes, first=first, next_=next_, tariffs=tariffs)
    lines = [QuoteLine(_("%(what)s: first 1 MB") % {"what": label}, 1, priced.first_price)]
    if priced.blocks:
        lines.append(
            QuoteLine(
                _("%(what)s: further 1.000-byte blocks") % {"what": label},
                priced.blocks,
                priced.block_price,
            )
        )
    return lines


def microdata_lines(*, size_bytes: int, tariffs: Tariffs) -> tuple[QuoteLine, ...]:
    if size_bytes < 1:
        raise ValueError("nothing to price: the selection is empty")
    return tuple(
        _size_lines(
            size_bytes=size_bytes,
            first=TariffItem.MICRODATA_FIRST,
            next_=TariffItem.MICRODATA_NEXT,
            tariffs=tariffs,
            label=_("Microdata"),
        )
    )


@dataclass(frozen=True)
class SizeBreakdown:
    """How a microdata price follows from its size, as the customer and the auditor check it:
    the first MB, then the started 1.000-byte blocks above it."""

    size_bytes: int
    first_price: int
    blocks: int
    block_price: int

    @property
    def block_total(self) -> int:
        return self.blocks * self.block_price

    @property
    def amount(self) -> int:
        return self.first_price + self.block_total

    def describe(self) -> str:
        """The calculation in words, in the active language, as the invoice line prints it."""
        first = _("%(size)s bytes: first 1 MB %(first)s") % {
            "size": dotted(self.size_bytes),
            "first": rupiah(self.first_price),
        }
        if not self.blocks:
            return first
        return _("%(first)s + %(blocks)s blocks of 1.000 bytes × %(price)s") % {
            "first": first,
            "blocks": dotted(self.blocks),
            "price": rupiah(self.block_price),
        }

    def as_data(self) -> dict[str, int]:
        return {
            "size_bytes": self.size_bytes,
            "first_price": self.first_price,
            "blocks": self.blocks,
            "block_price": self.block_price,
        }

    @classmethod
    def from_data(cls, data: dict | None) -> "SizeBreakdown | None":
        if not data:
            return None
        return cls(
            size_bytes=int(data["size_bytes"]),
            first_price=int(data["first_price"]),
            blocks=int(data["blocks"]),
            block_price=int(data["block_price"]),
        )


def _size_breakdown(
    *, size_bytes: int, first: str, next_: str, tariffs: Tariffs
) -> "SizeBreakdown":
    """A size priced by its first MB and its started 1.000-byte blocks; the blocks' tariff is
    needed only when there are any."""
    blocks = _blocks(max(0, size_bytes - MEGABYTE), BYTE_BLOCK)
    return SizeBreakdown(
        size_bytes=size_bytes,
        first_price=_amount(tariffs, first),
        blocks=blocks,
        block_price=_amount(tariffs, next_) if blocks else 0,
    )


def microdata_breakdown(*, size_bytes: int, tariffs: Tariffs) -> SizeBreakdown:
    """The tariff's "as stored" price of `size_bytes` of data, block by block."""
    if size_bytes < 1:
        raise ValueError("nothing to price: no data")
    return _size_breakdown(
        size_bytes=size_bytes,
        first=TariffItem.MICRODATA_FIRST,
        next_=TariffItem.MICRODATA_NEXT,
        tariffs=tariffs,
    )


def processed_lines(*, table_sizes: Sequence[int], tariffs: Tariffs) -> tuple[QuoteLine, ...]:
    """Tabulations made from microdata: each table starts with its own first MB."""
    lines: list[QuoteLine] = []
    for number, size in enumerate(table_sizes, start=1):
        lines += _size_lines(
            size_bytes=size,
            first=TariffItem.PROCESSED_FIRST,
            next_=TariffItem.PROCESSED_NEXT,
            tariffs=tariffs,
            label=_("Table %(number)d") % {"number": number},
        )
    return tuple(lines)


MAP_ITEMS = {
    (MapLevel.SUBDISTRICT, False): TariffItem.MAP_REGENCY_SUBDISTRICT,
    (MapLevel.VILLAGE, False): TariffItem.MAP_REGENCY_VILLAGE,
    (MapLevel.SUBDISTRICT, True): TariffItem.MAP_NATIONAL_SUBDISTRICT,
    (MapLevel.VILLAGE, True): TariffItem.MAP_NATIONAL_VILLAGE,
}


def map_lines(*, level: str, national: bool, maps: int, tariffs: Tariffs) -> tuple[QuoteLine, ...]:
    if maps < 1:
        raise ValueError("nothing to price: no map chosen")
    item = MAP_ITEMS[(MapLevel(level), national)]
    return (QuoteLine(TariffItem(item).label, maps, _amount(tariffs, item)),)


# --- products ------------------------------------------------------------------------------------


def product_quote(
    *,
    product,
    selection=None,
    on: date | None = None,
    exempt: bool = False,
    tariffs: Tariffs | None = None,
    estimate: SizeEstimate | None = None,
) -> Quote:
    """Price one catalog product as chosen: a publication whole; a dataset as the full set or
    the chosen variables, limited to the chosen regions (catalog.selection.selection_estimates
    says how; `estimate` is that estimate when the caller has made it already); a map per
    chosen area (all of them when none is chosen)."""
    tariffs = tariffs if tariffs is not None else tariffs_in_force(on=on)
    selection = selection or Selection()
    detail = product.detail
    if product.kind == ProductKind.PUBLICATION:
        lines = publication_lines(pages=detail.page_count, tariffs=tariffs)
    elif product.kind == ProductKind.MICRODATA:
        if estimate is None:
            estimate = dataset_size_estimate(dataset=detail, selection=selection)
        lines = microdata_lines(size_bytes=estimate.size_bytes, tariffs=tariffs)
    else:
        maps = 1 if detail.is_national else (len(selection.regions) or map_area_count(detail))
        lines = map_lines(
            level=detail.level, national=detail.is_national, maps=maps, tariffs=tariffs
        )
    return Quote(lines=lines, exempt=exempt)


def list_price(*, product, tariffs: Tariffs) -> int | None:
    """The price shown in lists without further queries: a publication's price, a dataset's
    full set, a regency map's price per map. None when a tariff is missing."""
    detail = product.detail
    try:
        if product.kind == ProductKind.PUBLICATION:
            return Quote(publication_lines(pages=detail.page_count, tariffs=tariffs)).total
        if product.kind == ProductKind.MICRODATA:
            if not detail.full_size_bytes:
                return None
            return Quote(microdata_lines(size_bytes=detail.full_size_bytes, tariffs=tariffs)).total
        return Quote(
            map_lines(level=detail.level, national=detail.is_national, maps=1, tariffs=tariffs)
        ).total
    except TariffMissing:
        return None
