"""What operators rely on: log lines in UTC that name their request, errors that reach
people, heartbeats of the background processes, and deploy files that fit the code."""

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from silastik.heartbeats import BEAT, WORKER, HeartbeatScheduler, heartbeat_ages
from silastik.logs import UTCFormatter, request_id
from silastik.models import Heartbeat
from silastik.tasks import worker_heartbeat_task


@pytest.mark.django_db  # the 404 page is drawn in the portal's layout, which names the office
def test_a_request_is_named_and_its_log_lines_carry_the_name(client, caplog):
    seen = []

    class Spy(logging.Handler):
        def emit(self, record):
            seen.append(request_id.get())

    spy = Spy()
    logging.getLogger("django.request").addHandler(spy)
    try:
        response = client.get("/halaman-yang-tidak-ada/")
    finally:
        logging.getLogger("django.request").removeHandler(spy)

    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert seen == [rid]  # the "Not Found" warning Django logs for the request


def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "a1b2c3d4e5f6a7b8"})
    replaced = client.get("/healthz", headers={"X-Request-ID": "x\nSet-Cookie: a=b"})

    assert kept["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_log_lines_are_written_in_utc():
    record = logging.makeLogRecord({"msg": "x", "created": 1_780_000_000.0})

    assert UTCFormatter().formatTime(record) == "2026-05-28T20:26:40Z"


def test_pdf_rendering_steps_stay_out_of_the_log():
    assert not logging.getLogger("weasyprint.progress").isEnabledFor(logging.INFO)
    assert logging.getLogger("weasyprint").isEnabledFor(logging.WARNING)


@pytest.mark.parametrize("logger", ["django.request", "celery.app.trace"])
def test_server_errors_and_failed_tasks_are_emailed_to_the_admins(settings, logger):
    settings.ADMINS = [("Tim TI", "ti@example.go.id")]

    logging.getLogger(logger).error("Task billing.tasks.receipt_issue[1] raised: boom")

    assert [m.to for m in mail.outbox] == [["ti@example.go.id"]]
    assert "boom" in mail.outbox[0].body


# --- heartbeats ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_worker_beats_by_running_the_beat_task():
    worker_heartbeat_task.apply()

    ages = heartbeat_ages()
    assert ages[WORKER] is not None and ages[WORKER] <= 1 and ages[BEAT] is None


# Beat works outside any transaction (it drops dead connections between ticks), as here.
@pytest.mark.django_db(transaction=True)
def test_beat_records_itself_as_it_ticks_but_not_at_every_tick(tmp_path):
    from celery import Celery

    # An app of its own with nothing scheduled: the tick sends no task anywhere.
    app = Celery("heartbeat-test", broker="memory://", set_as_current=False)
    app.conf.beat_schedule = {}
    scheduler = HeartbeatScheduler(app, schedule_filename=str(tmp_path / "schedule"))
    scheduler.tick()
    first = Heartbeat.objects.get(name=BEAT).at
    scheduler.tick()

    assert Heartbeat.objects.get(name=BEAT).at == first  # within BEAT_WRITE_EVERY
    assert heartbeat_ages(now=first + timedelta(seconds=40))[BEAT] == 40


def test_beat_uses_the_heartbeat_scheduler_and_schedules_the_workers_heartbeat(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "silastik.heartbeats:HeartbeatScheduler"
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "silastik.tasks.worker_heartbeat_task" in tasks


# --- deploy files -------------------------------------------------------------------------


def test_the_systemd_units_run_production_settings_and_files_that_exist(settings):
    deploy = settings.BASE_DIR / "deploy" / "systemd"
    environment = (deploy / "silastik.env.example").read_text()
    assert "DJANGO_SETTINGS_MODULE=silastik.settings.production" in environment
    for unit in ("silastik-web", "silastik-worker", "silastik-beat"):
        text = (deploy / f"{unit}.service").read_text()
        assert "EnvironmentFile=/etc/silastik/silastik.env" in text, unit
        for config in re.findall(r"-c (deploy/\S+)", text):
            assert (settings.BASE_DIR / config).is_file(), config
    assert "celery -A silastik beat" in (deploy / "silastik-beat.service").read_text()


@pytest.mark.django_db
def test_the_heartbeat_check_fails_for_a_stale_or_missing_process():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="never"):
        call_command("heartbeat_check", "beat")
    Heartbeat.objects.create(name=BEAT, at=timezone.now() - timedelta(minutes=10))
    with pytest.raises(CommandError, match="600 s ago"):
        call_command("heartbeat_check", "beat")
    Heartbeat.objects.filter(name=BEAT).update(at=timezone.now())
    call_command("heartbeat_check", "beat")


# --- the detailed health answer -------------------------------------------------------------


@pytest.mark.django_db
def test_health_details_say_whether_worker_and_beat_are_alive(client, settings, superuser):
    client.force_login(superuser)
    Heartbeat.objects.create(name=WORKER, at=timezone.now() - timedelta(seconds=20))
    Heartbeat.objects.create(name=BEAT, at=timezone.now() - timedelta(minutes=10))

    answer = client.get("/healthz").json()

    assert answer["worker"] == "ok" and 20 <= answer["worker_age"] <= 22
    assert answer["beat"] == "stale" and answer["beat_age"] >= 600
    assert answer["status"] == "degraded"


@pytest.mark.django_db
def test_health_details_count_the_outbox_and_its_oldest_mail(client, superuser):
    from tests.factories import outbox_message

    client.force_login(superuser)
    old = outbox_message(to="late@example.com")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=7))
    outbox_message(to="new@example.com")
    for name in (WORKER, BEAT):
        Heartbeat.objects.create(name=name)

    answer = client.get("/healthz").json()

    assert answer["outbox_pending"] == 2 and 420 <= answer["outbox_oldest_age"] <= 425
    assert answer["status"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_beat_beats_again_after_the_database_dropped_its_connection(tmp_path):
    from celery import Celery
    from django.db import connection

    app = Celery("heartbeat-test", broker="memory://", set_as_current=False)
    app.conf.beat_schedule = {}
    scheduler = HeartbeatScheduler(app, schedule_filename=str(tmp_path / "schedule"))
    scheduler.tick()
    # The database restarted: the connection beat holds is dead.
    connection.ensure_connection()
    connection.connection.close()
    scheduler._last_beat -= timedelta(minutes=1)

    scheduler.tick()

    assert heartbeat_ages()[BEAT] <= 1
