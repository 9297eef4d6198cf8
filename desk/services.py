"""The guest book and the queue: tickets numbered per day and service, and the desk's moves."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import Office, OfficeTimeZone
from offices.selectors import works_at
from silastik.errors import ApplicationError
from silastik.users.models import User

from .apps import FIRST_DESKS
from .models import SERVICE_LETTERS, Desk, Purpose, TicketCounter, Visit, Visitor, VisitStatus

# The walk-in service standard: the next visitor is called within 10 minutes after the previous
# one is done (domain: service standards).
STANDARD_SECONDS = 10 * 60
# "Not present" pressed by mistake (the visitor was at the toilet, at the kiosk): the desk can
# take it back this long after.
ABSENT_UNDO_SECONDS = 60
CONSULTATION_LINE = SERVICE_LETTERS[Purpose.CONSULTATION]
PIN_DIGITS = 6
# Taps of one guest-book form this close together are one submission (one ticket).
SUBMISSION_WINDOW = timedelta(minutes=2)


class DeskError(ApplicationError):
    """A move at the guest book or the desk that is not allowed now; nothing was changed."""


@dataclass(frozen=True)
class GuestEntry:
    name: str
    institution: str
    segment: str
    email: str
    phone: str
    identity_kind: str
    identity_number: str
    purpose: str


def office_today(office: Office, now: datetime | None = None) -> date:
    """The office's day: tickets, queues and reports follow its own clock (WIB, WITA, WIT)."""
    return timezone.localdate(now or timezone.now(), office.zone)


def phone_normalize(phone: str) -> str:
    """Digits only, with Indonesia's +62 written as a leading 0: 0812…, +62 812…, 62812… match."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def identity_normalize(number: str) -> str:
    return "".join(ch for ch in number or "" if ch.isalnum()).upper()


def visitor_recognise(
    *, office: Office, email: str, phone: str, identity_number: str
) -> Visitor | None:
    """The visitor who signed this office's book before with this e-mail or phone and the same
    identity document. A contact alone is not enough: the guest book is public, and whoever
    types someone else's phone number must not become that person (or their account)."""
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    if phone:
        match |= Q(phone=phone)
    if not match or not identity_number:
        return None
    return (
        Visitor.objects.filter(match, office=office, identity_number=identity_number)
        .order_by("-last_visit_at")
        .first()
    )


def _visitor_save(entry: GuestEntry, *, office: Office, now: datetime) -> tuple[Visitor, bool]:
    email, phone = entry.email.strip(), phone_normalize(entry.phone)
    if not email and not phone:
        raise DeskError(_("Give an e-mail address or a phone number."))
    identity_number = identity_normalize(entry.identity_number)
    fields: dict[str, object] = {
        "name": entry.name.strip(),
        "institution": entry.institution.strip(),
        "segment": entry.segment,
        "identity_kind": entry.identity_kind,
        "identity_number": identity_number,
        "last_visit_at": now,
    }
    known = visitor_recognise(
        office=office, email=email, phone=phone, identity_number=identity_number
    )
    if known is None:
        visitor = Visitor.objects.create(
            office=office, email=email, phone=phone, created_at=now, **fields
        )
        return visitor, False
    # What the visitor wrote today is the current truth; a contact left empty, or the same
    # address in other capitals, keeps the old one.
    if not email or email.casefold() == known.email.casefold():
        email = known.email
    for name, value in {**fields, "email": email, "phone": phone or known.phone}.items():
        setattr(known, name, value)
    known.save()
    return known, True


def _next_number(*, office: Office, day: date, service: str) -> int:
    """The next number of the office's line that day, under the counter row's lock."""
    for _attempt in range(3):
        counter = (
            TicketCounter.objects.select_for_update()
            .filter(office=office, day=day, service=service)
            .first()
        )
        if counter is None:
            try:
                with transaction.atomic():
                    TicketCounter.objects.create(office=office, day=day, service=service, last=1)
                return 1
            except IntegrityError:  # another ticket created the day's counter first
                continue
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last
    raise DeskError(_("The ticket machine is busy. Please try again."))


def ticket_issue(
    *, office: Office, entry: GuestEntry, now: datetime | None = None, submission_key: str = ""
) -> tuple[Visit, bool]:
    """Sign the office's guest book and take a ticket, numbered per service and per day on the
    office's clock. Returns the visit and whether the visitor was recognised from an earlier
    visit. `submission_key` names the form filled in: taps of the same form, even at the same
    moment, get the one ticket it gave."""
    now = now or timezone.now()
    if entry.purpose not in SERVICE_LETTERS:
        raise DeskError(_("Choose the purpose of your visit."))
    if submission_key:
        done = _submitted(office=office, key=submission_key)
        if done is not None:
            if _same_tap(done, entry=entry, now=now):
                return done, False
            # The key again, but later or from someone else (a form left on the tablet, a
            # page restored): a new ticket, and nothing of the earlier visitor shown.
            submission_key = ""
    try:
        return _ticket_take(office=office, entry=entry, now=now, key=submission_key)
    except IntegrityError:
        # Another tap of the same form committed first (the key is unique per office): its
        # transaction, visitor and number stand, this one's rolled back whole.
        done = _submitted(office=office, key=submission_key) if submission_key else None
        if done is None or not _same_tap(done, entry=entry, now=now):
            raise
        return done, False


def _submitted(*, office: Office, key: str) -> Visit | None:
    return Visit.objects.filter(office=office, submission_key=key).select_related("visitor").first()


def _same_tap(visit: Visit, *, entry: GuestEntry, now: datetime) -> bool:
    """The same person's tap of the same form, moments ago."""
    return abs(
        now - visit.issued_at
    ) <= SUBMISSION_WINDOW and visit.visitor.identity_number == identity_normalize(
        entry.identity_number
    )


def _ticket_take(
    *, office: Office, entry: GuestEntry, now: datetime, key: str
) -> tuple[Visit, bool]:
    service = SERVICE_LETTERS[entry.purpose]
    day = office_today(office, now)
    with transaction.atomic():
        visitor, returning = _visitor_save(entry, office=office, now=now)
        waiting = Visit.objects.filter(
            visitor=visitor, day=day, service=service, status=VisitStatus.WAITING
        ).first()
        if waiting is not None:  # a second tap on the button: the same place in the queue
            return waiting, returning
        visit = Visit.objects.create(
            office=office,
            visitor=visitor,
            purpose=entry.purpose,
            segment=entry.segment,
            day=day,
            service=service,
            line=service,
            number=_next_number(office=office, day=day, service=service),
            pin=f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}",
            issued_at=now,
            submission_key=key,
        )
    return visit, returning


# --- the desk's moves ---------------------------------------------------------------------


def office_desks_ensure(*, office: Office) -> None:
    """An office without any counter (one added since the last migration) gets the first two
    when its desk is first opened; a second request doing the same at once changes nothing."""
    if Desk.objects.filter(office=office).exists():
        return
    Desk.objects.bulk_create(
        [Desk(office=office, number=n, name=f"Loket {n}") for n in FIRST_DESKS],
        ignore_conflicts=True,
    )


MOVES = {
    "recall": ({VisitStatus.CALLED}, VisitStatus.CALLED),
    "skip": ({VisitStatus.CALLED}, VisitStatus.ABSENT),
    "start": ({VisitStatus.CALLED}, VisitStatus.SERVING),
    "finish": ({VisitStatus.SERVING}, VisitStatus.DONE),
}
BUSY = (VisitStatus.CALLED, VisitStatus.SERVING)


def _require_staff(by: User, office_id: int) -> None:
    if not by.is_pst_staff:
        raise DeskError(_("Only PST staff work at the desk."))
    if not works_at(by, office_id):
        raise DeskError(_("Only the office's own staff work at its desk."))


def desk_current(*, desk: Desk, now: datetime | None = None) -> Visit | None:
    # Only today's: a visit left open last night does not block the desk this morning.
    today = office_today(desk.office, now)
    return (
        Visit.objects.filter(desk=desk, day=today, status__in=BUSY)
        .select_related("visitor")
        .order_by("-called_at")
        .first()
    )


def visit_call_next(
    *, desk: Desk, by: User, services: list[str] | None = None, now: datetime | None = None
) -> Visit | None:
    """Call the longest-waiting visitor of the desk's office today (of the given services, if
    any) to the desk. None when nobody waits."""
    _require_staff(by, desk.office_id)
    now = now or timezone.now()
    today = office_today(desk.office, now)
    with transaction.atomic():
        # The desk row's lock: one call at a time per desk, so it never holds two visitors.
        Desk.objects.select_for_update().get(pk=desk.pk)
        if Visit.objects.filter(desk=desk, day=today, status__in=BUSY).exists():
            raise DeskError(_("Finish or skip the current visitor first."))
        waiting = Visit.objects.filter(
            office_id=desk.office_id, day=today, status=VisitStatus.WAITING
        )
        if services:
            waiting = waiting.filter(line__in=services)
        # Another desk calling at the same moment skips the row this one holds. A visit sent
        # on to consultation keeps its place by its ticket's time: nobody who came before it is
        # overtaken, and it does not queue twice.
        visit = waiting.select_for_update(skip_locked=True).order_by("issued_at", "pk").first()
        if visit is None:
            return None
        if visit.called_at is None:
            # The standard is the visitor's wait for the desk: measured at the first call. A
            # visit referred on was served already; its call to consultation is a handover.
            visit.called_at = now
            visit.response_seconds = _response_seconds(visit=visit, desk=desk, now=now)
        visit.status = VisitStatus.CALLED
        visit.last_called_at = now
        visit.calls = 1
        visit.desk = desk
        visit.served_by = by
        visit.save()
    return visit


def desk_last_done(*, desk: Desk, day: date) -> datetime | None:
    """When this desk last finished with a visitor that day: done, not present, or sent on to
    consultation."""
    row = Visit.objects.filter(Q(desk=desk) | Q(referred_from=desk), day=day).aggregate(
        done=Max("finished_at", filter=Q(desk=desk)),
        referred=Max("referred_at", filter=Q(referred_from=desk)),
    )
    moments = [moment for moment in (row["done"], row["referred"]) if moment is not None]
    return max(moments, default=None)


def _response_seconds(*, visit: Visit, desk: Desk, now: datetime) -> int:
    """From the later of the previous visitor done at this desk today and this ticket; the
    first call of the day counts from the ticket."""
    previous = desk_last_done(desk=desk, day=visit.day)
    start = max(previous, visit.issued_at) if previous else visit.issued_at
    return max(int((now - start).total_seconds()), 0)


def visit_move(
    *, visit: Visit, move: str, by: User, note: str = "", now: datetime | None = None
) -> Visit:
    """Recall, skip (not present), start serving or finish the visitor at the desk."""
    _require_staff(by, visit.office_id)
    if move not in MOVES:
        raise DeskError(_("Unknown action."))
    sources, target = MOVES[move]
    now = now or timezone.now()
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.status not in sources:
            raise DeskError(
                _("Ticket %(ticket)s is “%(status)s”: this is not possible now.")
                % {"ticket": locked.ticket, "status": locked.get_status_display()}
            )
        locked.status = target
        fields = ["status"]
        if move == "recall":
            locked.calls += 1
            locked.last_called_at = now
            fields += ["calls", "last_called_at"]
        elif move == "start":
            # A visit referred on keeps the start of its service at the first desk.
            locked.serving_at = locked.serving_at or now
            fields.append("serving_at")
        elif move in ("finish", "skip"):
            locked.finished_at = now
            # Added to what the desk noted during the visit (e.g. a consultation referral).
            locked.note = "\n".join(part for part in (locked.note, note.strip()) if part)
            fields += ["finished_at", "note"]
        locked.save(update_fields=fields)
    return locked


def visit_absent_undo(*, visit: Visit, desk: Desk, by: User, now: datetime | None = None) -> Visit:
    """Take back "not present" pressed at this desk less than a minute ago: the visitor is
    called to it again, as before, when the desk has not called anyone since."""
    _require_staff(by, visit.office_id)
    now = now or timezone.now()
    with transaction.atomic():
        Desk.objects.select_for_update().get(pk=desk.pk)
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if not absent_undoable(locked, desk=desk, now=now):
            raise DeskError(_("“Not present” can be undone only at its desk, within a minute."))
        if Visit.objects.filter(desk=desk, day=locked.day, status__in=BUSY).exists():
            raise DeskError(_("Finish or skip the current visitor first."))
        locked.status = VisitStatus.CALLED
        locked.finished_at = None
        locked.save(update_fields=["status", "finished_at"])
    return locked


def absent_undoable(visit: Visit, *, desk: Desk, now: datetime) -> bool:
    return (
        visit.status == VisitStatus.ABSENT
        and visit.desk_id == desk.pk
        and visit.finished_at is not None
        and timedelta(0) <= now - visit.finished_at <= timedelta(seconds=ABSENT_UNDO_SECONDS)
    )


def visit_refer_to_consultation(
    *, visit: Visit, by: User, note: str = "", now: datetime | None = None
) -> Visit:
    """Hand the visitor being served over to statistical consultation: the same visit, with its
    ticket and PIN, waits in the consultation line (B) for the next desk calling it, and this
    desk is free for its next visitor."""
    _require_staff(by, visit.office_id)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.status != VisitStatus.SERVING or locked.served_by_id != by.pk:
            raise DeskError(
                _("Ticket %(ticket)s is not being served by you: it cannot be sent on.")
                % {"ticket": locked.ticket}
            )
        if locked.line == CONSULTATION_LINE:
            raise DeskError(_("This visitor is in the consultation line already."))
        locked.redirected_to_consultation = True
        locked.referred_at = now
        locked.referred_from_id = locked.desk_id
        locked.referred_by = by
        locked.line = CONSULTATION_LINE
        locked.status = VisitStatus.WAITING
        locked.desk = None
        locked.served_by = None
        locked.calls = 0
        locked.note = "\n".join(part for part in (locked.note, note.strip()) if part)
        locked.save(
            update_fields=[
                "redirected_to_consultation",
                "referred_at",
                "referred_from",
                "referred_by",
                "line",
                "status",
                "desk",
                "served_by",
                "calls",
                "note",
            ]
        )
    return locked


def visits_close_stale(*, now: datetime | None = None) -> int:
    """After the day: visits still open from an earlier day (on each office's own clock) are
    closed without times, so they neither hold a desk nor stretch anyone's waiting or service
    time. Returns how many."""
    now = now or timezone.now()
    note = _("Closed after the end of the day.")
    closed = 0
    # One sweep per time zone of the network, not per office or visit.
    for zone in OfficeTimeZone.values:
        today = timezone.localdate(now, ZoneInfo(zone))
        stale = Visit.objects.filter(office__time_zone=zone, day__lt=today)
        closed += stale.filter(status__in=(VisitStatus.WAITING, VisitStatus.CALLED)).update(
            status=VisitStatus.ABSENT, note=note
        )
        closed += stale.filter(status=VisitStatus.SERVING).update(
            status=VisitStatus.DONE, note=note
        )
    return closed
