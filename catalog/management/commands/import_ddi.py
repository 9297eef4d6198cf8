from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from catalog.ddi import DdiError, ddi_import
from catalog.models import Dataset
from offices.models import Office


class Command(BaseCommand):
    help = "Import a DDI Codebook XML file (1.2.2 or 2.5) into a microdata dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The codebook XML file.")
        parser.add_argument(
            "--dataset",
            metavar="SLUG",
            help="Import into this dataset instead of the one with the codebook's identifier.",
        )
        parser.add_argument(
            "--office",
            metavar="CODE",
            help="The BPS code of the office that publishes a new dataset (e.g. 3304).",
        )

    def handle(self, *args, path: Path, dataset: str | None, office: str | None, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            message = _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            raise CommandError(message) from exc
        target = None
        if dataset:
            target = Dataset.objects.filter(slug=dataset).first()
            if target is None:
                raise CommandError(
                    _("There is no dataset with the slug %(slug)s.") % {"slug": dataset}
                )
        publisher = None
        if office:
            publisher = Office.objects.filter(code=office).first()
            if publisher is None:
                raise CommandError(
                    _("There is no office with the code %(code)s.") % {"code": office}
                )
        try:
            result = ddi_import(data=data, dataset=target, office=publisher)
        except DdiError as exc:
            raise CommandError(exc.message) from exc
        message = _(
            "Imported %(title)s: %(files)d files, %(variables)d variables, "
            "%(categories)d value labels (%(outcome)s)"
        ) % {
            "title": result.dataset.title,
            "files": result.files,
            "variables": result.variables,
            "categories": result.categories,
            "outcome": _("created") if result.created else _("updated"),
        }
        self.stdout.write(self.style.SUCCESS(message))
