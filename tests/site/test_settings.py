import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "silastik.settings.production",
    # Made afresh for every run: a key written here would be a published one.
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
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
    """Every long key-like value written in the repository's settings, deploy files and tests
    is on the list production refuses."""
    from silastik.settings.secrets import PUBLISHED_SECRETS

    base = settings.BASE_DIR
    files = [base / name for name in ("docker-compose.yml", "Dockerfile", ".env.example")]
    files += [*(base / "silastik" / "settings").glob("*.py"), *(base / "deploy").rglob("*")]
    files += list((base / "tests").rglob("*.py"))
    assignment = re.compile(
        r"(?:SECRET|KEY|TOKEN)\w*[\"']?\s*[:=]\s*[\"']?([^\s\"'$({]{40,})", re.IGNORECASE
    )
    found = {
        value
        for path in files
        if path.is_file()
        for value in assignment.findall(path.read_text(errors="ignore"))
    }
    assert found <= PUBLISHED_SECRETS, found - PUBLISHED_SECRETS


def test_the_servers_environment_file_reads_alike_in_sh_and_refuses_to_start_as_it_is():
    example = settings.BASE_DIR / "deploy" / "systemd" / "silastik.env.example"
    shell = subprocess.run(
        ["sh", "-c", f'set -a; . "{example}"; set +a; echo "$DEFAULT_FROM_EMAIL|$DJANGO_ADMINS"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shell.stdout.strip() == "Silastik <pst@example.go.id>|Tim TI PST <ti-pst@example.go.id>"

    values = dict(
        line.split("=", 1)
        for line in example.read_text().splitlines()
        if line and not line.startswith("#")
    )
    environment = {name: value.strip('"') for name, value in values.items()}
    result = manage("check", env={**environment, "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


# --- the database at national scale --------------------------------------------------------------

SHOW_DATABASES = (
    "from django.conf import settings; d = settings.DATABASES; "
    "print(d['default'].get('OPTIONS', {}).get('pool'), d['default']['CONN_MAX_AGE'], "
    "sorted(d), settings.READ_REPLICA_DATABASE)"
)


def test_a_pool_and_a_replica_are_chosen_by_environment_variables():
    url = "postgres://silastik@db.example:5432/silastik"
    plain = manage(
        "shell", "--no-imports", "-c", SHOW_DATABASES, env={**PRODUCTION, "DATABASE_URL": url}
    )
    assert plain.stdout.split("\n")[0] == "None 60 ['default'] "
    scaled = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_DATABASES,
        env={
            **PRODUCTION,
            "DATABASE_URL": url,
            "DATABASE_POOL_MAX": "16",
            "DATABASE_REPLICA_URL": "postgres://silastik@replica.example:5432/silastik",
        },
    )
    assert scaled.returncode == 0, scaled.stderr
    assert scaled.stdout.split("\n")[0] == (
        "{'min_size': 2, 'max_size': 16, 'timeout': 10} 0 ['default', 'replica'] replica"
    )
