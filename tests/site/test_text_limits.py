"""Every free-text field a customer or visitor types has a length limit, in its form and in the
service where the text can arrive without one. A 2 MB abstract once made a 548-page SPPD."""

import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse

from orders import services as order_services
from orders.models import Order, OrderEvent
from orders.models import OrderStatus as S
from orders.services import OrderError
from silastik.errors import ApplicationError
from silastik.users.services import customer_account_create
from tests.orders.conftest import ABSTRACT, submitted

FORM_MODULES = [
    "orders.forms",
    "desk.forms",
    "desk.order_forms",
    "kiosk.forms",
    "feedback.forms",
    "feedback.complaints.forms",
    "silastik.users.forms",
    "billing.forms",
    "catalog.forms",
]
# The back office's account form (staff type there), and a honeypot that must stay empty.
NOT_TYPED_BY_VISITORS = {("UserAdminForm", "address"), ("ComplaintForm", "website")}
TWO_MB = "x" * 2_000_000


def free_text_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module_name:
                continue
            for field_name, field in form.base_fields.items():
                if (
                    isinstance(field, forms.CharField)
                    # Passwords are hashed, not stored or printed; hidden and pattern fields
                    # take only what their pattern allows.
                    and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
                    and not isinstance(field, forms.RegexField)
                    and (name, field_name) not in NOT_TYPED_BY_VISITORS
                ):
                    yield pytest.param(field, id=f"{module_name}.{name}.{field_name}")


@pytest.mark.parametrize("field", list(free_text_fields()))
def test_every_free_text_field_has_a_length_limit(field):
    assert field.max_length is not None
    assert field.max_length <= 5000
    # The browser stops typing there too.
    assert field.widget.attrs.get("maxlength") == str(field.max_length)


@pytest.mark.django_db
def test_a_2_mb_abstract_is_refused_with_a_message_and_nothing_is_saved(client, customer, dataset):
    client.force_login(customer)
    client.post(reverse("orders:cart_add", args=[dataset.pk]))

    response = client.post(
        reverse("orders:cart"), {**ABSTRACT, "abstract_background": TWO_MB, "terms": "on"}
    )

    assert response.status_code == 200
    assert "paling banyak 2000 karakter" in response.content.decode()
    order = Order.objects.get()
    assert order.status == S.DRAFT and order.abstract_background == ""
    assert not OrderEvent.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_long_abstract_without_a_form(customer, dataset):
    order_services.cart_add(customer=customer, product=dataset, selection=_selection())
    cart = Order.objects.get()

    with pytest.raises(OrderError, match=r"2\.000"):
        order_services.order_submit(
            order=cart,
            by=customer,
            ip="10.0.0.1",
            terms_accepted=True,
            abstract={**ABSTRACT, "abstract_method": TWO_MB},
        )

    cart.refresh_from_db()
    assert cart.status == S.DRAFT and cart.abstract_method == ""


@pytest.mark.django_db
def test_an_order_note_is_limited_in_the_service(customer, staff, dataset):
    order = submitted(customer, dataset)
    order = order_services.order_ask_info(order=order, by=staff, question="Variabel apa?")

    with pytest.raises(OrderError, match=r"4\.000"):
        order_services.order_answer(order=order, by=customer, answer="x" * 4001)

    order.refresh_from_db()
    assert order.status == S.NEEDS_INFO
    assert not order.events.filter(action="answer").exists()


@pytest.mark.django_db
def test_a_long_profile_address_is_refused_and_not_saved(client, customer):
    client.force_login(customer)
    page = client.get(reverse("users:profile")).context["form"]
    data = {name: page[name].value() or "" for name in page.fields}

    response = client.post(reverse("users:profile"), {**data, "address": TWO_MB})

    assert response.status_code == 200
    assert "paling banyak 500 karakter" in response.content.decode()
    customer.refresh_from_db()
    assert customer.address == "Jl. Selamanik No. 1, Banjarnegara"


@pytest.mark.django_db
def test_an_account_made_without_a_form_has_the_same_limits():
    with pytest.raises(ApplicationError, match="500"):
        customer_account_create(email="rina@example.com", full_name="Rina", address=TWO_MB)
    with pytest.raises(ApplicationError, match="150"):
        customer_account_create(email="rina@example.com", full_name="R" * 151)


@pytest.mark.django_db
def test_a_rating_comment_is_limited_in_the_service(customer):
    from feedback.ikm import CODES
    from feedback.services import FeedbackError, rating_record

    with pytest.raises(FeedbackError, match=r"4\.000"):
        rating_record(
            scores=dict.fromkeys(CODES, 4),
            comment="x" * 4001,
            channel="online",
            kinds=["publication"],
            office=_office(),
        )


def _selection():
    from catalog.selection import Selection

    return Selection()


def _office():
    from tests.factories import default_office

    return default_office()


@pytest.fixture
def dataset(db):
    from tests.factories import DatasetFactory

    return DatasetFactory(title="Sakernas 2024", full_size_bytes=3_000_000)
