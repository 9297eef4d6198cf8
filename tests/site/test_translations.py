"""Every message has an Indonesian translation, and the compiled catalogue matches the source."""

import os
import shutil
import subprocess
import sys

from django.conf import settings

from tests.services import need, which

PO = settings.BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_to_indonesian():
    need(which("msgfmt") is not None, "gettext (msgfmt) is not installed")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    need(which("msgfmt") is not None, "gettext (msgfmt) is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)

    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the source finds no message the committed catalogue lacks."""
    need(which("msgcmp") is not None, "gettext (msgcmp) is not installed")
    base = settings.BASE_DIR
    apps = sorted(path.parent.name for path in base.glob("*/apps.py"))
    for name in [*apps, "silastik", "templates", "locale"]:
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "silastik.settings.test"},
        check=True,
        capture_output=True,
    )
    fresh = tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"

    result = subprocess.run(["msgcmp", str(PO), str(fresh)], capture_output=True, text=True)

    assert result.returncode == 0, f"run `make messages` and translate:\n{result.stderr[:3000]}"
