"""The catalog over HTTP, as production serves it: gunicorn (3 sync workers, production
settings) on the bench database, loaded by wrk (Debian's `wrk`, which can saturate a server)
and by 50 simulated users. Reports, in one run and beside each other:

- requests per second of /healthz (the stack's floor) and of a search with a warm cache and
  with no cache at all (every request searched afresh); beside the search with no cache, its
  floors: the same page when its search finds nothing, and the home page;
- 50 users browsing, searching, choosing variables (the estimate), logging in and putting a
  dataset in their cart, each reading a page for 0,5 to 1,5 s before the next click: errors
  and the p95 of every request.

Targets (issue 17): search ≥ 50 % of /healthz warm and ≥ 20 % cold; the 50 users see 0 errors
and a p95 ≤ 200 ms. Run catalog_bench_seed first; `make bench` does."""

import http.client
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalog.models import Dataset, Product, Variable
from catalog.selectors import CatalogQuery, matching

USERS = 50
PASSWORD = "bench-http-" + "x" * 12
SEARCH = "/catalog/?q=penduduk"
WORDS = [
    "penduduk",
    "pertanian",
    "harga",
    "kemiskinan",
    "pendidikan",
    "industri",
    "energi",
    "pariwisata",
    "kesehatan",
    "perikanan",
    "desa",
    "inflasi",
    "statistik",
    "konsumsi",
]
# A word no product has: the catalog page with its search, finding nothing.
NOTHING_WORD = "qzxwvj"
HEALTHZ_SHARE_WARM = 0.50
HEALTHZ_SHARE_COLD = 0.20
P95_TARGET_MS = 200.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    base = url.rsplit("/", 1)[0] if url.startswith("redis://") else "redis://127.0.0.1:6379"
    return f"{base}/3"


class Server:
    """gunicorn with the production settings on a free port, for the duration of a phase."""

    def __init__(self, *, cache_seconds: int):
        self.port = free_port()
        database = connection.settings_dict
        auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "silastik.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://{auth}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}",
            "CACHE_URL": redis_url(),
            "CATALOG_SEARCH_CACHE_SECONDS": str(cache_seconds),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "3",
            "GUNICORN_ACCESS_LOG": "/dev/null",
            "GUNICORN_MAX_REQUESTS": "0",
        }
        # Production serves hashed static files from a manifest: made as a deploy makes it.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=env,
            cwd=settings.BASE_DIR,
            check=True,
        )
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "deploy/gunicorn.conf.py",
                "silastik.wsgi",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _headers = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise CommandError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


HEADERS = {"X-Forwarded-Proto": "https"}


def request(port, method, path, *, body=None, headers=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Host": f"127.0.0.1:{port}", **HEADERS, **(headers or {})}
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    data = response.read()
    if own:
        conn.close()
    return response.status, data, response.getheaders()


def wrk(port: int, path: str, seconds: int) -> float:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "-H",
            "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise CommandError(f"{path}: {errors.group(1)} error responses under wrk")
    return float(found.group(1)) if found else 0.0


class User(threading.Thread):
    """One customer: logs in once, then browses, searches, chooses variables and fills the
    cart until the phase ends."""

    def __init__(self, port, email, dataset, variables, deadline, timings, errors):
        super().__init__(daemon=True)
        self.port, self.email, self.dataset = port, email, dataset
        self.variables, self.deadline = variables, deadline
        self.timings, self.errors = timings, errors
        self.cookies: dict[str, str] = {}
        self.rng = random.Random(email)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, form=None, kind="page") -> bytes:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        start = time.perf_counter()
        try:
            status, data, response_headers = request(
                self.port, method, path, body=body, headers=headers, conn=self.conn
            )
        except (OSError, http.client.HTTPException) as exc:
            self.errors.append(f"{method} {path}: {exc}")
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return b""
        self.timings.append((kind, (time.perf_counter() - start) * 1000))
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        if status >= 400:
            self.errors.append(f"{method} {path}: {status}")
        return data

    def think(self) -> None:
        """A person reads the page before the next click: 0,5 to 1,5 s."""
        time.sleep(self.rng.uniform(0.5, 1.5))

    def run(self):
        # People arrive over half a minute, not all in one second: 50 logins at once would be
        # 50 password hashes (PBKDF2, on purpose slow) queued on two cores.
        time.sleep(self.rng.uniform(0, 30))
        self.call("GET", "/akun/masuk/")
        self.call("POST", "/akun/masuk/", {"username": self.email, "password": PASSWORD}, "login")
        detail = f"/catalog/{self.dataset.slug}/"
        chosen = False
        while time.monotonic() < self.deadline:
            self.think()
            self.call("GET", "/")
            self.think()
            self.call("GET", f"/catalog/?q={self.rng.choice(WORDS)}", kind="search")
            self.think()
            self.call("GET", detail)
            self.think()
            variable = self.rng.choice(self.variables)
            form = {"action": "toggle", "variable": variable}
            if not chosen:
                form["checked"] = "1"
            chosen = not chosen
            self.call("POST", f"/catalog/{self.dataset.slug}/pilihan/", form, "estimate")
            self.think()
            self.call("POST", f"/pesanan/keranjang/tambah/{self.dataset.pk}/", {}, "cart")


class Command(BaseCommand):
    help = "Serve the bench catalog with gunicorn and load it over HTTP (wrk, 50 users)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10)

    def handle(self, *args, seconds: int, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("HTTP phase skipped: it needs PostgreSQL (BENCH_DATABASE_URL).")
            return
        if shutil.which("wrk") is None:
            self.stdout.write("HTTP phase skipped: install Debian's wrk (apt-get install wrk).")
            return
        dataset = (
            Dataset.objects.filter(slug__startswith="bench-", variables__isnull=False)
            .order_by("pk")
            .first()
        )
        if dataset is None or not Product.objects.exists():
            raise CommandError("Run catalog_bench_seed first.")
        if matching(CatalogQuery(q=NOTHING_WORD, words=(NOTHING_WORD,))).exists():
            raise CommandError(f"“{NOTHING_WORD}” finds products: it cannot stand for none.")
        emails = self.users()
        self.stdout.write(
            f"HTTP: gunicorn, 3 workers, production settings, {Product.objects.count():,} "
            f"products; wrk 2 threads × 32 connections, {seconds} s each"
        )
        warm = Server(cache_seconds=300)
        try:
            healthz = wrk(warm.port, "/healthz", seconds)
            request(warm.port, "GET", SEARCH)  # into the cache
            search_warm = wrk(warm.port, SEARCH, seconds)
            self.users_phase(warm.port, emails, dataset, 45)
        finally:
            warm.stop()
        cold = Server(cache_seconds=0)
        try:
            search_cold = wrk(cold.port, SEARCH, seconds)
            # The cold search's floors: the same page when the search finds nothing (the
            # request, the session, the page and its form, a search of the terms' index), and
            # the home page (a page with a few queries, no search).
            nothing = wrk(cold.port, f"/catalog/?q={NOTHING_WORD}", seconds)
            home = wrk(cold.port, "/", seconds)
        finally:
            cold.stop()
        self.share("search, warm cache", search_warm, healthz, HEALTHZ_SHARE_WARM)
        self.share("search, no cache", search_cold, healthz, HEALTHZ_SHARE_COLD)
        if not healthz:
            return
        self.stdout.write(
            f"    beside it, no cache: the catalog page finding nothing {nothing:.0f} req/s = "
            f"{nothing / healthz:.1%}, the home page {home:.0f} req/s = {home / healthz:.1%}"
        )
        if nothing / healthz < HEALTHZ_SHARE_COLD:
            self.stdout.write(
                "    the catalog page finding nothing is itself under the cold target: no search "
                "that finds products can reach it without a cache"
            )

    def users(self) -> list[str]:
        model = get_user_model()
        emails = [f"bench-http-{n:02d}@example.org" for n in range(USERS)]
        have = set(model.objects.filter(email__in=emails).values_list("email", flat=True))
        for email in emails:
            if email not in have:
                model.objects.create_user(
                    email, PASSWORD, full_name="Pengguna Bench", email_verified_at=time_now()
                )
        return emails

    def share(self, name: str, rate: float, healthz: float, target: float) -> None:
        share = rate / healthz if healthz else 0.0
        verdict = "met" if share >= target else "MISSED"
        self.stdout.write(
            f"  {name:22} {rate:8.0f} req/s = {share:6.1%} of /healthz ({healthz:.0f} req/s); "
            f"target ≥ {target:.0%}: {verdict}"
        )

    def users_phase(self, port: int, emails: list[str], dataset: Dataset, seconds: int) -> None:
        variables = list(
            Variable.objects.filter(dataset=dataset).values_list("pk", flat=True)[:200]
        )
        timings: list[tuple[str, float]] = []
        errors: list[str] = []
        deadline = time.monotonic() + seconds
        users = [
            User(port, email, dataset, variables, deadline, timings, errors) for email in emails
        ]
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=seconds + 60)
        every = [ms for _kind, ms in timings]
        p95 = statistics.quantiles(every, n=20)[-1] if len(every) > 1 else 0.0
        ok = not errors and p95 <= P95_TARGET_MS
        self.stdout.write(
            f"  {USERS} users, {seconds} s: {len(every):,} requests, {len(errors)} errors, "
            f"p95 {p95:.0f} ms (target 0 errors, ≤ {P95_TARGET_MS:.0f} ms: "
            f"{'met' if ok else 'MISSED'})"
        )
        for kind in ("page", "search", "estimate", "cart", "login"):
            own = [ms for k, ms in timings if k == kind]
            if len(own) > 1:
                self.stdout.write(
                    f"    {kind:9} {len(own):6,} requests, median {statistics.median(own):6.1f} "
                    f"ms, p95 {statistics.quantiles(own, n=20)[-1]:6.1f} ms"
                )
        for error in errors[:5]:
            self.stdout.write(f"    error: {error}")


def time_now():
    from django.utils import timezone

    return timezone.now()
