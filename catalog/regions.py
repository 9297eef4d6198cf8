"""Loading the BPS region hierarchy (province > regency/city > sub-district > village)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Region

# SQLite refuses statements with more than a few thousand parameters; an official master file
# has some 90.000 rows, so reads and writes go in slices.
CHUNK_SIZE = 900
NAME_MAX_LENGTH = Region._meta.get_field("name").max_length


@dataclass(frozen=True)
class RegionLoadResult:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str


def regions_load(*, rows: Iterable[tuple[str, str]], first_line: int = 1) -> RegionLoadResult:
    """Create or update regions from (code, name) rows; a row's parent must be in the rows or
    already in the database. Every row is checked before anything is written, so a bad row
    (reported with its line, counted from `first_line`) leaves the database as it was."""
    with transaction.atomic():
        parsed = _rows_validate(rows=rows, first_line=first_line)
        existing = _existing_regions(codes=[row.code for row in parsed])
        _parents_check(rows=parsed)
        changed = [
            Region(
                code=row.code,
                name=row.name,
                level=len(row.code),
                parent_id=Region.parent_code(row.code),
            )
            for row in parsed
            if existing.get(row.code) != row.name
        ]
        # Parents first: PostgreSQL and SQLite check foreign keys at commit, but a database
        # that checks each row would refuse a village inserted before its sub-district.
        changed.sort(key=lambda region: (len(region.code), region.code))
        Region.objects.bulk_create(
            changed,
            batch_size=CHUNK_SIZE // 4,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "parent"],
        )
    created = sum(1 for region in changed if region.code not in existing)
    return RegionLoadResult(
        created=created,
        updated=len(changed) - created,
        unchanged=len(parsed) - len(changed),
    )


def _rows_validate(*, rows: Iterable[tuple[str, str]], first_line: int) -> list[_Row]:
    parsed: dict[str, _Row] = {}
    for line, (raw_code, raw_name) in enumerate(rows, start=first_line):
        code, name = raw_code.strip(), " ".join(raw_name.split())
        if not code and not name:
            continue
        try:
            Region.level_of(code)
        except ValueError:
            raise ValueError(
                _("Line %(line)d: %(code)r is not a BPS region code (2, 4, 7 or 10 digits).")
                % {"line": line, "code": code}
            ) from None
        if not name:
            raise ValueError(_("Line %(line)d: the name is empty.") % {"line": line})
        if len(name) > NAME_MAX_LENGTH:
            raise ValueError(
                _("Line %(line)d: the name is longer than %(max)d characters.")
                % {"line": line, "max": NAME_MAX_LENGTH}
            )
        if code in parsed:
            raise ValueError(
                _("Line %(line)d: code %(code)s already appeared on line %(first)d.")
                % {"line": line, "code": code, "first": parsed[code].line}
            )
        parsed[code] = _Row(line=line, code=code, name=name)
    return list(parsed.values())


def _parents_check(*, rows: list[_Row]) -> None:
    in_file = {row.code for row in rows}
    wanted = {Region.parent_code(row.code) for row in rows} - in_file - {None}
    known = in_file | set(_existing_regions(codes=sorted(wanted)))
    for row in rows:
        parent = Region.parent_code(row.code)
        if parent is not None and parent not in known:
            raise ValueError(
                _(
                    "Line %(line)d: the parent %(parent)s of %(code)s is neither in the file nor "
                    "in the database."
                )
                % {"line": row.line, "parent": parent, "code": row.code}
            )


def _existing_regions(*, codes: list[str]) -> dict[str, str]:
    """Name by code of the given codes that are already stored."""
    found: dict[str, str] = {}
    for chunk in _chunks(codes):
        found.update(Region.objects.filter(code__in=chunk).values_list("code", "name"))
    return found


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK_SIZE):
        yield items[start : start + CHUNK_SIZE]
