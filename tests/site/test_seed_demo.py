import pytest
from django.core.management import CommandError, call_command

from silastik.users.models import User

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "pelanggan@example.com": set(),
    "foreign@example.com": set(),
    "petugas@example.com": {"pst_staff"},
    "bendahara@example.com": {"treasurer"},
    "ketua@example.com": {"head"},
    "admin@example.com": set(),
    "nasional@example.com": {"national_admin"},
    **{
        f"{prefix}.{code}@example.com": {role}
        for code in ("0000", "1600", "6503")
        for prefix, role in (
            ("petugas", "pst_staff"),
            ("bendahara", "treasurer"),
            ("ketua", "head"),
        )
    },
}
OFFICE_OF = {"petugas@example.com": "3304", "petugas.6503@example.com": "6503"}


def test_seed_demo_creates_the_demo_accounts_and_can_run_again(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")

    users = {u.email: u for u in User.objects.exclude(email__startswith="responden")}
    assert set(users) == set(ACCOUNTS)
    for email, roles in ACCOUNTS.items():
        user = users[email]
        assert user.check_password("silastik-demo")
        assert user.is_verified
        assert set(user.roles) == roles
    # The working day has something to show: a question answered, a message on an order, a
    # suggestion from the box — once, however often the command runs.
    from feedback.models import Complaint
    from orders.models import Conversation

    assert Conversation.objects.filter(order__isnull=True).count() == 1
    assert Conversation.objects.filter(order__isnull=False).count() == 1
    assert list(Complaint.objects.values_list("channel", flat=True)) == ["box"]
    assert users["admin@example.com"].is_superuser
    for email, code in OFFICE_OF.items():
        assert users[email].office_membership.office.code == code
    from offices.models import Office

    assert set(Office.objects.values_list("code", flat=True)) >= {"0000", "1600", "3304", "6503"}
    tana_tidung = Office.objects.get(code="6503")
    assert tana_tidung.time_zone == "Asia/Makassar"
    assert tana_tidung.has_transfer_account
    assert users["foreign@example.com"].domicile == "abroad"
    assert users["pelanggan@example.com"].is_profile_complete
    assert users["foreign@example.com"].is_profile_complete
    from orders.models import Order

    demo_customer = Order.objects.filter(customer__email="pelanggan@example.com")
    assert sorted(demo_customer.values_list("status", flat=True)) == ["needs_info", "submitted"]
    # Half a year of survey answers for the IKM pages, seeded once.
    from feedback.models import Rating

    assert Rating.objects.count() == 48
    assert Rating.objects.filter(needs_follow_up=True).exists()
    assert Rating.objects.filter(channel="walk_in").exists()
    assert Rating.objects.filter(with_microdata=True).exists()
    # Walk-in visits: past days served at the desk, three waiting today.
    from desk.models import Visit

    assert Visit.objects.filter(status="done").count() >= 25
    assert Visit.objects.filter(status="waiting").count() == 3


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()

    call_command("seed_demo", "--force")
    assert User.objects.exclude(email__startswith="responden").count() == len(ACCOUNTS)
