"""What changes an office's data: its gap-free document numbers."""

from django.db import IntegrityError, transaction

from .models import NumberSequence, Office


def number_next(*, kind: str, year: int, office: Office | None = None) -> int:
    """The next number of `kind` in `year` for `office` (None: one national sequence). Gap-free
    and never repeated: the row is locked until the caller's transaction ends, so a number
    whose document is rolled back is taken again by the next one."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                NumberSequence.objects.get_or_create(kind=kind, office=office, year=year)
        except IntegrityError:  # made a moment ago by another request
            pass
        sequence = NumberSequence.objects.select_for_update().get(
            kind=kind, office=office, year=year
        )
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return sequence.last
