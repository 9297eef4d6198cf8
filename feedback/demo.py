"""Demo ratings: half a year of a small office's survey, so the IKM pages have something to show.

The orders are made as completed history (not walked through the workflow, which the orders
demo already shows); the ratings follow the same rules as rating_submit.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalog.models import Product, ProductKind
from orders.models import Order, OrderLine, OrderStatus
from silastik.users.models import User

from .ikm import CODES
from .models import Channel, Rating
from .services import follow_up_needed

RESPONDENTS = [
    ("Rina Kusuma", "Universitas Jenderal Soedirman"),
    ("Agus Prasetyo", "Bappeda Kabupaten Banjarnegara"),
    ("Dewi Lestari", "SMA Negeri 1 Banjarnegara"),
    ("Budi Santoso", "CV Data Mandiri"),
    ("Siti Aminah", "Dinas Pertanian Kabupaten Banjarnegara"),
    ("Hendra Wijaya", "Universitas Muhammadiyah Purwokerto"),
]
COMMENTS = [
    "Petugas sangat membantu menjelaskan metadata.",
    "Menunggu data mikro cukup lama, mohon dipercepat.",
    "Tarif data mikro masih terasa mahal untuk mahasiswa.",
    "Ruang PST nyaman, tetapi parkir sempit.",
    "",
    "",
    "",
]
RATINGS = 48
# Mostly good, now and then a 2: about a quarter need a follow-up, as in a real survey.
SCORES = (2,) + (3,) * 9 + (4,) * 12


def feedback_demo_seed() -> None:
    if Rating.objects.exists():
        return
    # Every kind of product, so the report's split by product kind has something in each row.
    products = [
        product
        for kind in ProductKind.values
        for product in Product.objects.filter(kind=kind).order_by("pk")[:8]
    ]
    if not products:
        return
    rng = random.Random(3304)
    people = [
        User.objects.get_or_create(
            email=f"responden{i + 1}@example.com",
            defaults={
                "full_name": name,
                "institution": institution,
                "email_verified_at": timezone.now(),
            },
        )[0]
        for i, (name, institution) in enumerate(RESPONDENTS)
    ]
    _complaint_from_the_box()
    now = timezone.now()
    with transaction.atomic():
        for i in range(RATINGS):
            _rated(
                i, rng=rng, person=people[i % len(people)], product=rng.choice(products), now=now
            )


def _complaint_from_the_box() -> None:
    """A suggestion found in the box at the desk, entered by the office's staff."""
    from offices.models import Office

    from .complaints.services import complaint_record

    staff = User.objects.filter(email="petugas@example.com").first()
    office = Office.objects.filter(code="3304").first()
    if staff is None or office is None:
        return
    complaint_record(
        office=office,
        by=staff,
        channel="box",
        category="facilities",
        text="Kursi di ruang tunggu PST kurang, banyak pengunjung berdiri.",
        contact_name="Pak Darto",
        contact_phone="0812-2233-4455",
    )


def _rated(i: int, *, rng: random.Random, person: User, product: Product, now) -> Rating:
    completed = now - timedelta(days=3 + i * 180 // RATINGS, hours=rng.randint(0, 8))
    order = Order.objects.create(
        number=f"PST-DEMO-{i + 1:04d}",
        customer=person,
        office=product.office,
        status=OrderStatus.COMPLETED,
        created_at=completed - timedelta(days=16),
        submitted_at=completed - timedelta(days=15),
        status_changed_at=completed,
        completed_at=completed,
        working_days_used=rng.choice([2, 3, 5, 6, 7, 8, 9, 11, 13]),
    )
    kind = product.kind
    OrderLine.objects.create(
        order=order, product=product, kind=kind, description=str(product), quoted_amount=0
    )
    scores = {code: rng.choice(SCORES) for code in CODES}
    return Rating.objects.create(
        office=order.office,
        order=order,
        customer=person,
        created_at=completed + timedelta(days=rng.randint(0, 3)),
        channel=Channel.WALK_IN if i % 4 == 0 else Channel.ONLINE,
        comment=rng.choice(COMMENTS),
        needs_follow_up=follow_up_needed(scores=scores),
        **{f"with_{kind}": True},
        **scores,
    )
