"""Each person of the back office lands on their work: the counts on their home match the data,
each links to the list it counts, and the page costs the same queries however much waits."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import services as billing_services
from billing.models import Invoice
from feedback.models import Rating
from orders import services as order_services
from orders.models import Order, OrderChannel
from tests.factories import DatasetFactory, PublicationFactory, UserFactory, office
from tests.orders.conftest import paid, pdf, prepared, submitted

pytestmark = pytest.mark.django_db


def counts(page: str) -> dict[str, int]:
    """Each work item's link (its list's query) with the count it shows."""
    found = re.findall(r'href="[^"]*\?([^"]+)" data-count="(\d+)"', page)
    return {query.replace("&amp;", "&"): int(n) for query, n in found}


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("work:home"))
    assert response.status_code == 200
    return response.content.decode()


def requests_of(count: int) -> list[Order]:
    return [submitted(UserFactory(), PublicationFactory()) for _ in range(count)]


def test_staff_see_each_queue_of_their_office_with_its_count(client, staff):
    new = requests_of(3)
    order_services.order_ask_info(order=new[0], by=staff, question="Untuk apa?")
    order_services.order_answer(order=new[0], by=new[0].customer, answer="Skripsi.")
    order_services.order_approve(order=new[1], by=staff)
    elsewhere = office("6503")
    stranger = submitted(UserFactory(), PublicationFactory(office=elsewhere))

    found = counts(home(client, staff))

    assert found["queue=new"] == 1
    assert found["queue=answered"] == 1
    assert found["queue=prepare"] == 1
    assert found["queue=deliver"] == 0
    assert Order.objects.filter(pk=stranger.pk, status="submitted").exists()  # not counted


def test_each_count_leads_to_the_list_it_counts(client, staff):
    requests_of(2)
    found = counts(home(client, staff))

    listed = client.get(reverse("admin:orders_order_changelist") + "?queue=new")

    assert listed.status_code == 200
    assert listed.context["cl"].result_count == found["queue=new"] == 2


def test_the_order_list_opens_on_what_needs_the_staff_oldest_first(client, staff):
    first, second, third = requests_of(3)
    order_services.order_ask_info(order=third, by=staff, question="Untuk apa?")  # customer's turn
    Order.objects.filter(pk=second.pk).update(status_changed_at=timezone.now() - timedelta(days=3))
    client.force_login(staff)

    opened = client.get(reverse("admin:orders_order_changelist"))
    assert opened.status_code == 302 and opened["Location"].endswith("?queue=mine")
    listed = client.get(opened["Location"])

    assert [o.pk for o in listed.context["cl"].result_list] == [second.pk, first.pk]
    everything = client.get(reverse("admin:orders_order_changelist") + "?queue=all")
    assert everything.context["cl"].result_count == 3


def test_the_treasurer_sees_proofs_cash_and_refunds(client, staff, treasurer):
    abroad = UserFactory(domicile="abroad", country="SE", id_type="passport", id_number="X1")
    online = order_services.order_approve(order=submitted(abroad, DatasetFactory()), by=staff)
    online = order_services.order_offer(order=prepared(online, staff), by=staff)
    billing_services.payment_proof_submit(
        invoice=Invoice.objects.get(order=online), by=abroad, proof=pdf("swift.pdf")
    )
    walk_in = order_services.order_approve(
        order=submitted(UserFactory(), PublicationFactory()), by=staff
    )
    Order.objects.filter(pk=walk_in.pk).update(channel=OrderChannel.WALK_IN)
    order_services.order_offer(order=prepared(Order.objects.get(pk=walk_in.pk), staff), by=staff)

    found = counts(home(client, treasurer))

    assert found["status__exact=pending&channel__exact=transfer"] == 1
    assert found["desk=cash"] == 1
    assert found["status__exact=refund_due"] == 0
    cash_list = client.get(reverse("admin:billing_invoice_changelist") + "?desk=cash")
    assert cash_list.context["cl"].result_count == 1


def test_the_head_reads_the_months_ikm_sla_and_revenue(client, staff, head):
    order = order_services.order_approve(
        order=submitted(UserFactory(), PublicationFactory()), by=staff
    )
    order = paid(order_services.order_offer(order=prepared(order, staff), by=staff))
    order = order_services.order_deliver(order=order, by=staff)
    assert order.status == "completed"
    scores = {f"u{i}": 4 for i in range(1, 10)}
    Rating.objects.create(order=order, office=order.office, customer=order.customer, **scores)

    page = home(client, head)

    assert 'id="figures-ikm"' in page and 'id="ikm-month">100,00<' in page
    assert 'id="figures-revenue"' in page
    total = Invoice.objects.get(order=order).total
    assert f"Rp{total:,}".replace(",", ".") in page
    assert 'id="sla-month">100% (1/1)<' in page and 'id="sla-chart"' in page
    assert 'id="revenue-chart"' in page and "<svg" in page


def test_the_national_administrator_sees_the_outbox(client):
    national = UserFactory(roles=["national_admin"], office=False)

    found = counts(home(client, national))

    assert "status__exact=pending" in found and "status__exact=failed" in found


def test_customers_have_no_back_office_home(client, customer):
    client.force_login(customer)

    assert client.get(reverse("work:home")).status_code in (302, 403, 404)


def test_back_office_people_land_on_their_work_after_login(client, staff, customer):
    from tests.factories import PASSWORD

    landed = client.post(reverse("users:login"), {"username": staff.email, "password": PASSWORD})
    assert landed["Location"] == reverse("work:home")
    client.logout()
    landed = client.post(reverse("users:login"), {"username": customer.email, "password": PASSWORD})
    assert landed["Location"] != reverse("work:home")


@pytest.mark.parametrize("person", ["staff", "treasurer", "head"])
def test_the_home_costs_the_same_queries_however_much_waits(
    client, person, request, django_assert_max_num_queries
):
    user = request.getfixturevalue(person)
    requests_of(1)
    client.force_login(user)
    client.get(reverse("work:home"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("work:home"))
    requests_of(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("work:home"))


def test_the_reconciliation_count_and_its_list_agree(client, staff, treasurer, customer):
    order = order_services.order_approve(order=submitted(customer, PublicationFactory()), by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)
    code = Invoice.objects.get(order=order).billing_codes.get().code
    client.post(reverse("billing:bank"), {"code": code, "channel": "BRI · ATM"})

    found = counts(home(client, treasurer))
    listed = client.get(reverse("admin:billing_payment_changelist") + "?desk=reconcile_month")

    assert found["desk=reconcile_month"] == 1 == listed.context["cl"].result_count
