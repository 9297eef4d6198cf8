import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "silastik.settings.production",
    "DJANGO_SECRET_KEY": "x7#kq2!vR9mZp4sWc8@nL1fT6yHb3jDg5eA0uXoIi-Qw_Ks+Ed=Jr",
    "DJANGO_ALLOWED_HOSTS": "pst.example.go.id",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": "short"})

    assert result.returncode != 0
    assert "at least 50" in result.stderr


# --- secrets that are no secret ------------------------------------------------------------------

LOCAL_DEFAULT_KEY = "django-insecure-local-development-key-not-for-production"
COMPOSE_FALLBACK_KEY = "compose-only-secret-change-me-compose-only-secret-change-me"


def setting(name: str, env: dict) -> subprocess.CompletedProcess:
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    return manage("shell", "-c", code, env=env)


def test_the_callback_secret_is_read_from_the_environment():
    """BILLING_CALLBACK_SECRET was documented but never read: the secret always came from
    SECRET_KEY, so whoever knew a repository key could sign a "paid" notice."""
    secret = "cb-" + "9" * 40
    result = setting("BILLING_CALLBACK_SECRET", {**PRODUCTION, "BILLING_CALLBACK_SECRET": secret})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(secret)


def test_production_refuses_a_real_gateway_without_a_callback_secret():
    result = manage("check", env={**PRODUCTION, "BILLING_GATEWAY": "simponi"})

    assert result.returncode != 0
    assert "BILLING_CALLBACK_SECRET" in result.stderr


def test_production_refuses_a_short_callback_secret():
    result = manage("check", env={**PRODUCTION, "BILLING_CALLBACK_SECRET": "short"})

    assert result.returncode != 0
    assert "BILLING_CALLBACK_SECRET" in result.stderr


@pytest.mark.parametrize("key", [LOCAL_DEFAULT_KEY, COMPOSE_FALLBACK_KEY])
def test_production_refuses_a_secret_key_from_the_repository(key):
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": key})

    assert result.returncode != 0
    assert "published" in result.stderr


def test_production_refuses_a_callback_secret_from_the_repository():
    result = manage("check", env={**PRODUCTION, "BILLING_CALLBACK_SECRET": COMPOSE_FALLBACK_KEY})

    assert result.returncode != 0
    assert "published" in result.stderr


def test_no_secret_the_production_settings_refuse_is_missing_from_the_repository():
    """The list of published secrets holds every key written in the repository's files."""
    from silastik.settings.secrets import PUBLISHED_SECRETS

    files = ["silastik/settings/base.py", "docker-compose.yml", "Dockerfile", ".env.example"]
    text = "\n".join((settings.BASE_DIR / name).read_text() for name in files)
    for candidate in re.findall(r"[A-Za-z0-9_#!@+=-]{40,}", text):
        if "key" in candidate.lower() or "secret" in candidate.lower():
            assert candidate in PUBLISHED_SECRETS, candidate
