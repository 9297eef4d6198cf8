"""Writing a parsed codebook into a dataset: one transaction, primary keys kept stable."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from offices.models import Office

from ..models import Category, DataFile, Dataset, Product, Variable
from ..services import dataset_region_records_import
from .parse import BATCH_SIZE, Codebook, DdiError, VariableSpec, codebook_parse, field_clip


@dataclass(frozen=True)
class DdiImportResult:
    dataset: Dataset
    created: bool
    files: int
    variables: int
    categories: int
    # Data files whose records per region came from the region variable's frequencies.
    region_files: int = 0


# --- Public API ----------------------------------------------------------------------------------


def ddi_import(
    *,
    data: bytes,
    dataset: Dataset | None = None,
    office: Office | None = None,
    defaults: dict[str, Any] | None = None,
) -> DdiImportResult:
    """Import a codebook into `dataset`, else into the dataset with the codebook's identifier,
    else into a new dataset of `office` (unpublished unless `defaults` says otherwise).

    Importing again updates in place: data files and variables keep their primary keys (orders
    refer to variables), those no longer in the codebook are removed, value labels are replaced.
    Descriptive fields (title, description, period, ...) are only filled where still empty,
    so what staff wrote by hand survives a re-import. The records per region of the files
    whose region variable has frequencies are set again (dataset_region_records_import).
    """
    codebook = codebook_parse(data)
    if office is not None:
        defaults = {"office": office, **(defaults or {})}
    with transaction.atomic():
        dataset, created = _dataset_for(codebook=codebook, dataset=dataset, defaults=defaults)
        files, stale_files = _files_upsert(dataset=dataset, codebook=codebook, created=created)
        variables, stale_variables = _variables_upsert(
            dataset=dataset, codebook=codebook, files=files, created=created
        )
        categories = _categories_replace(dataset=dataset, variables=variables, created=created)
        _stale_delete(files=stale_files, variables=stale_variables)
        regions = dataset_region_records_import(dataset=dataset)
    return DdiImportResult(
        dataset=dataset,
        created=created,
        files=len(codebook.files),
        variables=len(codebook.variables),
        categories=categories,
        region_files=regions.files,
    )


# --- Writing -------------------------------------------------------------------------------------


def _dataset_for(
    *, codebook: Codebook, dataset: Dataset | None, defaults: dict[str, Any] | None
) -> tuple[Dataset, bool]:
    # Locked so that two uploads of the same codebook cannot interleave their upserts.
    locked = Dataset.objects.select_for_update()
    if dataset is not None:
        dataset = locked.get(pk=dataset.pk)
        other = (
            Dataset.objects.filter(ddi_id=codebook.ddi_id).exclude(pk=dataset.pk).first()
            if codebook.ddi_id
            else None
        )
        if other is not None:
            raise DdiError(
                _("This codebook (%(id)s) has already been imported into “%(title)s”.")
                % {"id": codebook.ddi_id, "title": other.title}
            )
    elif codebook.ddi_id:
        dataset = locked.filter(ddi_id=codebook.ddi_id).first()
    office = (defaults or {}).get("office")
    if dataset is not None and office is not None and dataset.office_id != office.pk:
        # One office's import never rewrites another office's dataset.
        raise DdiError(
            _("This codebook belongs to “%(title)s” of another office.") % {"title": dataset.title}
        )
    created = dataset is None
    if dataset is None:
        dataset = _dataset_new(codebook=codebook, defaults=defaults or {})
    else:
        _dataset_describe(dataset=dataset, codebook=codebook)
    try:
        with transaction.atomic():
            dataset.save()
    except IntegrityError as exc:  # the same codebook (or title) imported a moment ago
        raise DdiError(
            _("Another import of this codebook has just finished. Please try again.")
        ) from exc
    return dataset, created


def _dataset_new(*, codebook: Codebook, defaults: dict[str, Any]) -> Dataset:
    if not codebook.title:
        raise DdiError(_("The codebook has no study title (<titl>), so no dataset can be made."))
    if defaults.get("office") is None:
        raise DdiError(_("Say which office publishes the new dataset."))
    # Unpublished until staff have added a price, a subject and checked the text.
    dataset = Dataset(is_published=False)
    _dataset_describe(dataset=dataset, codebook=codebook)
    for name, value in defaults.items():
        Dataset._meta.get_field(name)  # a typo in a caller's field name fails loudly
        setattr(dataset, name, value)
    if not dataset.slug:
        dataset.slug = _slug_unique(dataset.title)
    return dataset


def _dataset_describe(*, dataset: Dataset, codebook: Codebook) -> None:
    values = {
        "title": field_clip(codebook.title, Dataset, "title"),
        "survey_name": field_clip(codebook.survey_name, Dataset, "survey_name"),
        "description": codebook.description,
        "period": field_clip(codebook.period, Dataset, "period"),
        "year": codebook.year,
        "coverage": field_clip(codebook.coverage, Dataset, "coverage"),
        "producer": field_clip(codebook.producer, Dataset, "producer"),
    }
    for field, value in values.items():
        if value and not getattr(dataset, field):
            setattr(dataset, field, value)
    if codebook.ddi_id:
        dataset.ddi_id = codebook.ddi_id
    if not dataset.full_size_bytes:
        dataset.full_size_bytes = codebook.full_size_bytes()
    dataset.codebook_imported_at = timezone.now()


def _slug_unique(title: str) -> str:
    limit = Product._meta.get_field("slug").max_length
    base = slugify(title)[:limit].strip("-") or "dataset"
    taken = set(Product.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: limit - len(suffix)].rstrip("-") + suffix
    return slug


def _assign(row: models.Model, values: dict[str, Any]) -> set[str]:
    """Set the values on the row; the names of the fields that changed."""
    changed = {field for field, value in values.items() if getattr(row, field) != value}
    for field in changed:
        setattr(row, field, values[field])
    return changed


def _save_rows(model: type[models.Model], *, new: list, changed: list, fields: set[str]) -> None:
    model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        # Only the columns that differ: bulk_update writes a CASE per column and row, which is
        # what makes it slow, and a re-import usually corrects a few labels at most.
        model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH_SIZE)


def _files_upsert(
    *, dataset: Dataset, codebook: Codebook, created: bool
) -> tuple[dict[str, DataFile], list[DataFile]]:
    """The dataset's files by file_id as in the codebook, and the rows no longer in it."""
    existing = {} if created else {f.file_id: f for f in DataFile.objects.filter(dataset=dataset)}
    rows: dict[str, DataFile] = {}
    new, changed, fields = [], [], set()
    for position, parsed in enumerate(codebook.files, start=1):
        row = existing.pop(parsed.file_id, None)
        if row is None:
            row = DataFile(dataset=dataset, file_id=parsed.file_id)
            new.append(row)
        values = {
            "name": field_clip(parsed.name, DataFile, "name"),
            "description": parsed.description,
            "records": parsed.records,
            "record_length": parsed.record_length,
            "position": position,
        }
        changed_fields = _assign(row, values)
        if changed_fields and row.pk is not None:
            changed.append(row)
            fields |= changed_fields
        rows[parsed.file_id] = row
    _save_rows(DataFile, new=new, changed=changed, fields=fields)
    return rows, list(existing.values())


def _variables_upsert(
    *, dataset: Dataset, codebook: Codebook, files: dict[str, DataFile], created: bool
) -> tuple[list[tuple[Variable, VariableSpec]], list[Variable]]:
    """Each codebook variable with its row, and the rows no longer in the codebook. Rows are
    matched on (file, name), so a variable keeps its primary key, and the orders that chose
    it, across imports."""
    existing = (
        {}
        if created
        else {(v.file_id, v.name): v for v in Variable.objects.filter(dataset=dataset)}
    )
    pairs, new, changed, fields = [], [], [], set()
    for position, parsed in enumerate(codebook.variables, start=1):
        file = files[parsed.file_id]
        row = existing.pop((file.pk, parsed.name), None)
        if row is None:
            row = Variable(dataset=dataset, file=file, name=parsed.name)
            new.append(row)
        values = {
            "var_id": parsed.var_id,
            "label": parsed.label,
            "width": parsed.width,
            "var_type": parsed.var_type,
            "decimals": parsed.decimals,
            "question": parsed.question,
            "category_count": len(parsed.categories),
            "position": position,
        }
        changed_fields = _assign(row, values)
        if changed_fields and row.pk is not None:
            changed.append(row)
            fields |= changed_fields
        pairs.append((row, parsed))
    _save_rows(Variable, new=new, changed=changed, fields=fields)
    return pairs, list(existing.values())


def _categories_replace(
    *, dataset: Dataset, variables: list[tuple[Variable, VariableSpec]], created: bool
) -> int:
    if not created:
        Category.objects.filter(variable__dataset=dataset).delete()
    rows = [
        Category(
            variable_id=row.pk,
            value=category.value,
            label=category.label,
            frequency=category.frequency,
            position=position,
        )
        for row, parsed in variables
        for position, category in enumerate(parsed.categories, start=1)
    ]
    Category.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _stale_delete(*, files: list[DataFile], variables: list[Variable]) -> None:
    try:
        if variables:
            Variable.objects.filter(pk__in=[row.pk for row in variables]).delete()
        if files:
            DataFile.objects.filter(pk__in=[row.pk for row in files]).delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DdiError(
            _(
                "The codebook no longer has variables that orders still refer to (%(names)s), "
                "so it was not imported."
            )
            % {"names": ", ".join(sorted({row.name for row in variables}))}
        ) from exc
