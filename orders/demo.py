"""Demo orders, made through the same services customers and staff use."""

from catalog.models import Dataset, Publication
from catalog.selection import Selection
from silastik.users.models import User

from . import services
from .models import Order, OrderStatus

ABSTRACT = {
    "abstract_background": "Penyusunan tesis magister tentang pasar kerja di Jawa Tengah.",
    "abstract_purpose": "Mengukur tingkat pengangguran terbuka usia muda menurut pendidikan.",
    "abstract_method": "Analisis deskriptif dan regresi logistik biner.",
    "abstract_outputs": "Tesis dan satu artikel jurnal nasional.",
}


def orders_demo_seed() -> None:
    customer = User.objects.filter(email="pelanggan@example.com").first()
    staff = User.objects.filter(email="petugas@example.com").first()
    if customer is None or staff is None or Order.objects.filter(customer=customer).exists():
        return
    dataset = Dataset.objects.filter(slug__startswith="survei-angkatan-kerja").first()
    if dataset is not None:
        chosen = frozenset(dataset.variables.order_by("position").values_list("pk", flat=True)[:12])
        services.cart_add(
            customer=customer,
            product=dataset,
            selection=Selection(variables=chosen, by_variable=True),
        )
        _submit(customer)
    publication = Publication.objects.filter(office__code="3304").order_by("-year", "title").first()
    if publication is not None:
        services.cart_add(customer=customer, product=publication, selection=Selection())
        order = _submit(customer)
        services.order_ask_info(
            order=order,
            by=staff,
            question="Mohon jelaskan keperluan publikasi ini untuk instansi Anda.",
        )
    _abroad_to_tana_tidung()
    _conversations(customer, staff)


def _conversations(customer: User, staff: User) -> None:
    """A question asked before ordering, answered by the office, and a message on an order."""
    from offices.models import Office

    from .conversations.services import conversation_of_order, conversation_post, conversation_start

    office = Office.objects.filter(code="3304").first()
    if office is None:
        return
    question = conversation_start(
        customer=customer,
        office=office,
        subject="Luas panen padi per kecamatan",
        text="Publikasi mana yang memuat luas panen padi per kecamatan tahun 2024?",
    )
    conversation_post(
        conversation=question,
        by=staff,
        text="Kecamatan Dalam Angka 2025 memuatnya di bab Pertanian, tabel 5.1.1.",
    )
    order = Order.objects.filter(customer=customer).exclude(status=OrderStatus.DRAFT).last()
    if order is not None:
        conversation_post(
            conversation=conversation_of_order(order=order, by=customer),
            by=customer,
            text="Apakah data ini bisa dikirim dalam format Excel?",
        )


def _abroad_to_tana_tidung() -> None:
    """A customer abroad asks BPS Kabupaten Tana Tidung (6503), whose staff approve it."""
    customer = User.objects.filter(email="foreign@example.com").first()
    staff = User.objects.filter(email="petugas.6503@example.com").first()
    publication = Publication.objects.filter(office__code="6503").first()
    if customer is None or staff is None or publication is None:
        return
    if Order.objects.filter(customer=customer).exists():
        return
    services.cart_add(customer=customer, product=publication, selection=Selection())
    services.order_approve(order=_submit(customer), by=staff)


def _submit(customer) -> Order:
    cart = Order.objects.get(customer=customer, status=OrderStatus.DRAFT)
    return services.order_submit(
        order=cart, by=customer, ip="127.0.0.1", terms_accepted=True, abstract=ABSTRACT
    )
