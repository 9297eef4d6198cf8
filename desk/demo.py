"""Demo walk-in visits: a few past days served at the desk, and visitors waiting today.

Made through the same services the kiosk and the desk use, with the clock passed in.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from silastik.users.models import User

from .models import Desk, IdentityKind, Purpose, Visit
from .services import GuestEntry, ticket_issue, visit_call_next, visit_move

GUESTS = [
    ("Rina Kusuma", "Universitas Jenderal Soedirman", "student", "rina.k@example.com"),
    ("Agus Prasetyo", "Bappeda Kabupaten Banjarnegara", "government", "agus.p@example.com"),
    ("Dewi Lestari", "SMA Negeri 1 Banjarnegara", "student", "dewi.l@example.com"),
    ("Budi Santoso", "CV Data Mandiri", "private", "budi.s@example.com"),
    ("Siti Aminah", "Dinas Pertanian", "government", "siti.a@example.com"),
    ("Hendra Wijaya", "UMP Purwokerto", "researcher", "hendra.w@example.com"),
    ("Wulan Sari", "", "general", "wulan.s@example.com"),
]
PURPOSES = [Purpose.DATA] * 4 + [Purpose.CONSULTATION] * 2 + [Purpose.LIBRARY, Purpose.OTHER]
PAST_DAYS = 5
PER_DAY = 7


def _entry(i: int, rng: random.Random) -> GuestEntry:
    name, institution, segment, email = GUESTS[i % len(GUESTS)]
    return GuestEntry(
        name=name,
        institution=institution,
        segment=segment,
        email=email,
        phone="",
        identity_kind=IdentityKind.KTP,
        identity_number=f"33040{i % len(GUESTS):011d}",
        purpose=rng.choice(PURPOSES),
    )


def desk_demo_seed() -> None:
    staff = User.objects.filter(email="petugas@example.com").first()
    desk = Desk.objects.filter(active=True).order_by("number").first()
    if staff is None or desk is None or Visit.objects.exists():
        return
    rng = random.Random(3304)
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    day = today
    for _n in range(PAST_DAYS):
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        clock = datetime.combine(day, time(8, 5), tzinfo=zone)
        for i in range(PER_DAY):
            visit, _back = ticket_issue(entry=_entry(i, rng), now=clock)
            called = clock + timedelta(minutes=rng.randint(1, 14))
            clock = _serve(visit, desk=desk, staff=staff, at=called, rng=rng)
    now = timezone.now()
    for i in range(3):
        ticket_issue(entry=_entry(i + 3, rng), now=now - timedelta(minutes=10 - 3 * i))


def _serve(visit, *, desk, staff, at: datetime, rng: random.Random) -> datetime:
    """Call, serve and finish the visit; returns when the desk was free again."""
    called = visit_call_next(desk=desk, by=staff, now=at)
    if rng.random() < 0.1:
        visit_move(visit=called, move="skip", by=staff, now=at + timedelta(minutes=3))
        return at + timedelta(minutes=3)
    visit_move(visit=called, move="start", by=staff, now=at + timedelta(minutes=1))
    done = at + timedelta(minutes=rng.randint(6, 25))
    visit_move(visit=called, move="finish", by=staff, note="Dilayani di loket.", now=done)
    return done
