"""Running tasks on a real broker from the tests."""

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from silastik.celery import app


def _reset_pools() -> None:
    # Forget, never close: kombu keeps pools in a global registry per broker URL, and a closed
    # pool would be handed out again the next time that URL is used.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_on_broker(url: str) -> Iterator[None]:
    """Point the app at `url` and stop running tasks eagerly, for the duration."""
    # Celery's broker_url prefers the CELERY_BROKER_URL environment variable over any change;
    # the read and write URLs come first when set.
    overrides = {"broker_read_url": url, "broker_write_url": url, "task_always_eager": False}
    app.conf.update(overrides)
    _reset_pools()
    try:
        yield
    finally:
        # Drop the overrides so the values come from Django's settings again.
        for key in overrides:
            app.conf.changes.pop(key, None)
        _reset_pools()


@contextmanager
def worker_thread() -> Iterator[None]:
    """A real Celery worker consuming from the app's broker, in a thread of this process."""
    app.loader.import_default_modules()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen]:
    """A throwaway Redis on `port`, owned by the test, so the test can take it down and up."""
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _ping(port), timeout=10)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _ping(port: int) -> bool:
    import redis

    try:
        return redis.Redis(port=port, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
