"""Rate limits hold across processes and under concurrency: they are counted in the database
with one atomic statement (silastik.ratelimit), whatever the cache; and production refuses a
cache that each worker keeps to itself (other things are cached there)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.services import need
from tests.site.test_celery_worker import database_url
from tests.site.test_settings import PRODUCTION, manage, setting

HITS = """
from silastik.ratelimit import RateLimit
limit = RateLimit("kiosk-ticket", 60, 600)
print(sum(limit.hit("10.33.4.7") for _ in range(40)))
"""


def worker_process_hits(cache_url: str) -> int:
    """One web worker taking 40 tickets from one address: a separate process, as under
    gunicorn."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "silastik.settings.test",
        "DATABASE_URL": database_url(),
        "CACHE_URL": cache_url,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", HITS],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache_url", ["locmemcache://", "dbcache://silastik_cache"])
def test_every_worker_counts_against_the_one_limit_whatever_the_cache(cache_url):
    """The reported fault: with the local-memory cache, one address took 120 of 60 allowed
    tickets under 4 workers. Two worker processes here, 40 tickets each: 60 in all."""
    taken = [worker_process_hits(cache_url) for _ in range(2)]

    assert taken == [40, 20]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_lose_no_count():
    """Django's database cache increments by reading and writing back: parallel requests would
    lose counts. The counter's single INSERT … ON CONFLICT … RETURNING does not."""
    import threading

    from django.db import close_old_connections, connection

    from silastik.ratelimit import RateLimit

    need(connection.vendor == "postgresql", "row locks need PostgreSQL")
    limit = RateLimit("kiosk-ticket", 60, 600)
    barrier, allowed = threading.Barrier(8), []

    def requests():
        try:
            barrier.wait()
            allowed.append(sum(limit.hit("10.33.4.8") for _ in range(15)))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=requests) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(allowed) == 60  # of 120 requests


@pytest.mark.django_db
def test_a_window_lasts_its_whole_length_and_the_sweep_forgets_it_afterwards():
    from datetime import UTC, datetime

    from silastik.models import RateCounter
    from silastik.ratelimit import RateLimit, rate_counters_sweep

    hour = RateLimit("password-reset", 3, 3600)
    start = 1_780_000_000 // 3600 * 3600
    assert [hour.hit("10.0.0.1", now=start + 10 * n) for n in range(4)] == [True] * 3 + [False]
    assert hour.exceeded("10.0.0.1", now=start + 3599)  # no reset five minutes later
    assert hour.hit("10.0.0.1", now=start + 3600)  # the next window

    assert rate_counters_sweep(now=datetime.fromtimestamp(start + 3600 + 61, tz=UTC)) == 1
    assert RateCounter.objects.count() == 1


def test_production_counts_limits_in_the_database_cache_by_default():
    result = setting('CACHES["default"]["BACKEND"]', PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(
        "django.core.cache.backends.db.DatabaseCache"
    )


@pytest.mark.parametrize("url", ["locmemcache://", "dummycache://"])
def test_production_refuses_a_cache_each_worker_keeps_to_itself(url):
    result = manage("check", env={**PRODUCTION, "CACHE_URL": url})

    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr
