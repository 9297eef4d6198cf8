"""An installation that served one office (its facts in OFFICE_* variables) upgrades into a
network of one office, its people at that office."""

import importlib

import pytest
from django.apps import apps

from offices.models import Office, OfficeMembership
from silastik.users.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

office_from_settings = importlib.import_module(
    "offices.migrations.0002_office_from_settings"
).office_from_settings
memberships = importlib.import_module("offices.migrations.0003_memberships")


def test_the_office_of_the_settings_becomes_the_first_office(monkeypatch):
    monkeypatch.setenv("OFFICE_CODE", "6503")
    monkeypatch.setenv("OFFICE_NAME", "BPS Kabupaten Tana Tidung")
    monkeypatch.setenv("OFFICE_ADDRESS", "Jl. Perintis, Tideng Pale, Kalimantan Utara")
    staff = UserFactory(roles=[Role.PST_STAFF], office=False)
    customer = UserFactory()

    office_from_settings(apps, None)
    office_from_settings(apps, None)  # a second run changes nothing
    memberships.memberships_for_the_office(apps, None)

    office = Office.objects.get(code="6503")
    assert office.name == "BPS Kabupaten Tana Tidung"
    assert office.city == "Tideng Pale"
    assert office.parent.code == "6500" and office.parent.parent.code == "0000"
    assert Office.objects.filter(code="6503").count() == 1
    assert OfficeMembership.objects.get(user=staff).office == office
    assert not OfficeMembership.objects.filter(user=customer).exists()


def test_a_new_installation_starts_without_an_office(monkeypatch):
    monkeypatch.delenv("OFFICE_CODE", raising=False)

    office_from_settings(apps, None)

    assert not Office.objects.exists()
