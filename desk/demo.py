"""Demo walk-in visits: a few past days served at Banjarnegara's desk (3304) and visitors
waiting there today; a few past days at Tana Tidung (6503, WITA) and Sumatera Selatan (1600).

Made through the same services the kiosk and the desk use, with the clock passed in (each
office's own). The offices come from offices.demo, which seeds before this.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from offices.models import Office
from silastik.users.models import User

from .models import Desk, IdentityKind, Purpose, Visit
from .services import (
    GuestEntry,
    office_desks_ensure,
    office_today,
    ticket_issue,
    visit_call_next,
    visit_move,
)

GUESTS = {
    "3304": [
        ("Rina Kusuma", "Universitas Jenderal Soedirman", "student", "rina.k@example.com"),
        ("Agus Prasetyo", "Bappeda Kabupaten Banjarnegara", "government", "agus.p@example.com"),
        ("Dewi Lestari", "SMA Negeri 1 Banjarnegara", "student", "dewi.l@example.com"),
        ("Budi Santoso", "CV Data Mandiri", "private", "budi.s@example.com"),
        ("Siti Aminah", "Dinas Pertanian", "government", "siti.a@example.com"),
        ("Hendra Wijaya", "UMP Purwokerto", "researcher", "hendra.w@example.com"),
        ("Wulan Sari", "", "general", "wulan.s@example.com"),
    ],
    "6503": [
        ("Yohanes Lukas", "Bappeda Kabupaten Tana Tidung", "government", "yohanes.l@example.com"),
        ("Marlina Ayu", "SMA Negeri 1 Tana Tidung", "student", "marlina.a@example.com"),
        ("Rudi Hartono", "CV Borneo Data", "private", "rudi.h@example.com"),
    ],
    "1600": [
        ("Fitri Handayani", "Universitas Sriwijaya", "researcher", "fitri.h@example.com"),
        ("Ahmad Fauzi", "Dinas Kominfo Sumatera Selatan", "government", "ahmad.f@example.com"),
        ("Lestari Putri", "", "general", "lestari.p@example.com"),
        ("Dimas Saputra", "UIN Raden Fatah", "student", "dimas.s@example.com"),
    ],
}
PURPOSES = [Purpose.DATA] * 4 + [Purpose.CONSULTATION] * 2 + [Purpose.LIBRARY, Purpose.OTHER]


@dataclass(frozen=True)
class DemoDesk:
    code: str
    staff_email: str
    past_days: int
    per_day: int
    waiting_today: int


DEMO_DESKS = [
    DemoDesk("3304", "petugas@example.com", past_days=5, per_day=7, waiting_today=3),
    DemoDesk("6503", "petugas.6503@example.com", past_days=3, per_day=3, waiting_today=0),
    DemoDesk("1600", "petugas.1600@example.com", past_days=3, per_day=4, waiting_today=0),
]


def _entry(code: str, i: int, rng: random.Random) -> GuestEntry:
    guests = GUESTS[code]
    name, institution, segment, email = guests[i % len(guests)]
    return GuestEntry(
        name=name,
        institution=institution,
        segment=segment,
        email=email,
        phone="",
        identity_kind=IdentityKind.KTP,
        identity_number=f"{code}0{i % len(guests):011d}",
        purpose=rng.choice(PURPOSES),
    )


def desk_demo_seed() -> None:
    for spec in DEMO_DESKS:
        office = Office.objects.filter(code=spec.code).first()
        staff = User.objects.filter(email=spec.staff_email).first()
        if office is None or staff is None or Visit.objects.filter(office=office).exists():
            continue
        office_desks_ensure(office=office)
        desk = Desk.objects.filter(office=office, active=True).order_by("number").first()
        if desk is not None:
            _office_seed(office, spec, desk=desk, staff=staff)


def _office_seed(office: Office, spec: DemoDesk, *, desk: Desk, staff: User) -> None:
    rng = random.Random(int(spec.code))
    day = office_today(office)
    for _n in range(spec.past_days):
        day -= timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        # Opening time on the office's own clock (08:05 WITA in Tana Tidung).
        clock = datetime.combine(day, time(8, 5), tzinfo=office.zone)
        for i in range(spec.per_day):
            visit, _back = ticket_issue(office=office, entry=_entry(spec.code, i, rng), now=clock)
            called = clock + timedelta(minutes=rng.randint(1, 14))
            clock = _serve(visit, desk=desk, staff=staff, at=called, rng=rng)
    now = timezone.now()
    for i in range(spec.waiting_today):
        entry = _entry(spec.code, i + 3, rng)
        ticket_issue(office=office, entry=entry, now=now - timedelta(minutes=10 - 3 * i))


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
