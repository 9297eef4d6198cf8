import csv
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from catalog.regions import regions_load

HEADER = ["code", "name"]


class Command(BaseCommand):
    help = (
        "Load BPS regions (provinces, regencies/cities, sub-districts, villages) from a CSV file "
        "with the header code,name (UTF-8, with or without BOM). Existing regions are updated, "
        "new ones created; a bad row stops the load and nothing is saved. An office loads the "
        "official BPS master file of regions exported with these two columns; "
        "catalog/data/regions_demo.csv is the demo file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="CSV file with code,name")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            # utf-8-sig: spreadsheet programs on Windows put a byte-order mark before the header.
            with path.open(encoding="utf-8-sig", newline="") as handle:
                result = regions_load(rows=_csv_rows(csv.reader(handle)), first_line=2)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        except (ValueError, csv.Error) as error:
            raise CommandError(f"{path}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Regions: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[tuple[str, str]]:
    header = [column.strip().lower() for column in next(reader, [])]
    if header != HEADER:
        raise ValueError(_("The first line must be the header code,name."))
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            # Blank lines keep their place so that the line numbers in errors stay right.
            yield "", ""
        elif len(row) != len(HEADER):
            raise ValueError(
                _("Line %(line)d: expected 2 columns (code,name), found %(count)d.")
                % {"line": line, "count": len(row)}
            )
        else:
            yield row[0], row[1]
