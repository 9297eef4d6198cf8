import os
from functools import partial

import pytest
from django.conf import settings
from django.core import mail

from silastik.users.roles import Role

from .factories import UserFactory
from .services import REQUIRE_SERVICES

# Playwright's sync API keeps an event loop in the test thread; Django's ORM guard would refuse
# database calls made from the same thread (the tests' setup) while it runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session):
    engine = settings.DATABASES["default"]["ENGINE"]
    if REQUIRE_SERVICES and "postgresql" not in engine:
        raise pytest.UsageError("REQUIRE_SERVICES=1 needs DATABASE_URL to point at PostgreSQL")


@pytest.fixture(autouse=True)
def _clean_mail_and_cache():
    from django.core.cache import cache

    mail.outbox = []
    cache.clear()


@pytest.fixture
def customer(db):
    return UserFactory(email="alice@example.com", full_name="Alice Wulandari")


@pytest.fixture
def other_customer(db):
    return UserFactory(email="bob@example.com", full_name="Bob Santoso")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", full_name="Charlie Staff", roles=[Role.PST_STAFF])


@pytest.fixture
def treasurer(db):
    return UserFactory(
        email="treasurer@example.com", full_name="Dewi Bendahara", roles=[Role.TREASURER]
    )


@pytest.fixture
def head(db):
    return UserFactory(email="head@example.com", full_name="Eko Ketua", roles=[Role.HEAD])


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_superuser=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block left for after commit (tasks, e-mails), as a
    real request's commit would; plain `db` tests never commit."""
    return partial(django_capture_on_commit_callbacks, execute=True)
