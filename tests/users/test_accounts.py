"""customer_account_create: the one way registration and the desk make a customer account."""

import pytest

from silastik.users.models import User
from silastik.users.services import AccountExistsError, customer_account_create, user_register

pytestmark = pytest.mark.django_db


def test_an_account_without_a_password_gets_a_usable_one_nobody_knows():
    account = customer_account_create(
        email="Rina@Example.com", full_name="Rina Kusuma", verified=True, phone="081234567890"
    )

    assert account.email == "rina@example.com" and account.phone == "081234567890"
    assert account.is_verified and account.is_customer
    # "Forgot password" serves only accounts with a usable password: the owner chooses one there.
    assert account.has_usable_password()


def test_an_account_is_unverified_unless_someone_checked_the_address():
    account = customer_account_create(
        email="budi@example.com", full_name="Budi", password="kopi-tubruk-2026", language="en"
    )

    assert not account.is_verified and account.language == "en"
    assert account.check_password("kopi-tubruk-2026")


def test_a_taken_address_makes_no_second_account(customer):
    with pytest.raises(AccountExistsError):
        customer_account_create(email=customer.email.upper(), full_name="Someone Else")
    # Registration tells its owner instead (tests/users/test_registration.py).
    made = user_register(
        email=customer.email,
        full_name="Someone Else",
        password="kopi-tubruk-2026",
        language="id",
        base_url="http://testserver/",
    )

    assert made is None
    assert User.objects.filter(email__iexact=customer.email).count() == 1
    customer.refresh_from_db()
    assert customer.full_name == "Alice Wulandari" and not customer.check_password(
        "kopi-tubruk-2026"
    )


def test_only_profile_fields_are_taken():
    with pytest.raises(TypeError):
        customer_account_create(email="x@example.com", full_name="X", is_superuser=True)

    assert not User.objects.filter(email="x@example.com").exists()
