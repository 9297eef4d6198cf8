import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from silastik.celery import app
from tests.factories import outbox_message


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


@pytest.mark.django_db
def test_run_periodic_runs_the_schedule_once_without_a_broker(capsys):
    # A message whose first enqueue was lost (broker down), now due.
    outbox_message(to="late@example.com")

    call_command("run_periodic")

    assert "mail-outbox-flush: 1" in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [["late@example.com"]]
