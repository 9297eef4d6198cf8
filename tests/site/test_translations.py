"""Every message has an Indonesian translation, and the compiled catalogue matches the source."""

import subprocess

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
