"""Large files through Debian's nginx in front of a real gunicorn (deploy/nginx/, deploy/
gunicorn.conf.py), moved by a client on a slow line: a staff member uploads a 100 MB product on
the order page, then downloads it through its signed link.

gunicorn's sync workers stop any request that runs past --timeout (30 s by default, 300 s in
deploy/gunicorn.conf.py). Here it is 5 s and the client moves 100 MB at 10 MB/s, so each
transfer takes twice as long as gunicorn allows: straight to gunicorn (today's compose) the
upload is lost and the download cut off while gunicorn logs 200; through nginx, with the very
same gunicorn, both arrive whole, because nginx takes the slow side of each transfer."""

import hashlib
import os
import pwd
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection, IncompleteRead
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from catalog.selection import Selection
from orders.files import download_token
from orders.models import DownloadLog, LineFile, Order
from orders.services import cart_add, line_file_upload, order_approve, order_submit
from tests.celery_utils import wait_until
from tests.factories import PublicationFactory, UserFactory
from tests.services import free_port, need, port_open, which

pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]

NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
DEPLOY = Path(settings.BASE_DIR) / "deploy"
MB = 1024 * 1024
SIZE = 100 * MB
RATE = 10 * MB  # bytes per second, each way: 10 s for the file
GUNICORN_TIMEOUT = 5
CHUNK = 256 * 1024
# What the snippet calls the portal's directories, and what they are in the tests.
SNIPPET_PATHS = {
    "/srv/silastik/var/private/": settings.PRIVATE_MEDIA_ROOT,
    "/srv/silastik/var/media/": settings.MEDIA_ROOT,
    "/srv/silastik/static/": settings.STATIC_ROOT,
}


@dataclass
class Transfer:
    status: int | None
    received: int
    sha256: str
    seconds: float
    error: str = ""
    headers: dict | None = None


@pytest.fixture(scope="module")
def product(tmp_path_factory) -> tuple[Path, str]:
    """100 MB of text a product may be (uploads.PRODUCT), different on every run."""
    need(os.access(NGINX, os.X_OK), f"nginx is not installed at {NGINX}")
    path = tmp_path_factory.mktemp("proxy") / "susenas-2025.txt"
    row = 64
    with path.open("wb") as out:
        for _ in range(SIZE // (16 * MB)):
            block = secrets.token_hex(8 * MB).encode()
            out.write(b"".join(block[i : i + row - 1] + b"\n" for i in range(0, len(block), row)))
        out.truncate(SIZE)
        out.seek(SIZE - 1)
        out.write(b"\n")
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def database_url() -> str:
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        host = params["HOST"] or "127.0.0.1"
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        return f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{params['NAME']}"
    return f"sqlite:///{params['NAME']}"


@contextmanager
def gunicorn(tmp: Path, *, behind_nginx: bool) -> Iterator[tuple[int, Path]]:
    """The portal on gunicorn with deploy/gunicorn.conf.py, one sync worker, a 5-s timeout."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.site.proxy_settings",
        "DATABASE_URL": database_url(),
        "PROXY_COUNT": "1" if behind_nginx else "0",
        "PRIVATE_FILES_X_ACCEL_PREFIX": "/_private/" if behind_nginx else "",
    }
    log_path = tmp / f"gunicorn-{port}.log"
    log = log_path.open("wb")
    command = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--timeout", str(GUNICORN_TIMEOUT), "silastik.wsgi"]
    proc = subprocess.Popen(
        command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        # Until the worker answers: its start must not count against its timeout.
        wait_until(lambda: answers(port) or proc.poll() is not None, 60, interval=0.2)
        assert proc.poll() is None, log_path.read_text()
        yield port, log_path
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def answers(port: int) -> bool:
    try:
        connection_ = HTTPConnection("127.0.0.1", port, timeout=2)
        connection_.request("GET", "/healthz")
        connection_.getresponse().read()
        connection_.close()
        return True
    except OSError:
        return False


@pytest.fixture
def stored_files():
    """The 100 MB files the tests store, removed afterwards so no run leaves them behind."""
    yield
    for line_file in LineFile.objects.all():
        line_file.file.delete(save=False)


@contextmanager
def nginx(tmp: Path, *, upstream: int) -> Iterator[int]:
    """Debian's nginx with the shipped snippet, as this user, on a free port."""
    port = free_port()
    snippet = (DEPLOY / "nginx" / "silastik-proxy.conf").read_text()
    for shipped, here in SNIPPET_PATHS.items():
        snippet = snippet.replace(shipped, f"{here}/")
    (tmp / "silastik-proxy.conf").write_text(snippet)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / temp).mkdir(exist_ok=True)
    # As root (CI) nginx would hand its workers to "nobody"; keep them this user's.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (tmp / "nginx.conf").write_text(
        f"""
        {user}
        daemon off;
        worker_processes 1;
        pid {tmp}/nginx.pid;
        error_log {tmp}/nginx-error.log info;
        events {{ worker_connections 64; }}
        http {{
            {mime}
            log_format timed '$request_method $uri $status $body_bytes_sent '
                             '$request_time $upstream_response_time';
            access_log {tmp}/nginx-access.log timed;
            client_body_temp_path {tmp}/body;
            proxy_temp_path {tmp}/proxy;
            fastcgi_temp_path {tmp}/fastcgi;
            uwsgi_temp_path {tmp}/uwsgi;
            scgi_temp_path {tmp}/scgi;
            upstream silastik {{ server 127.0.0.1:{upstream} fail_timeout=0; }}
            server {{
                listen 127.0.0.1:{port};
                server_name localhost;
                include {tmp}/silastik-proxy.conf;
            }}
        }}
        """
    )
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "nginx-error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: port_open("127.0.0.1", port, 0.2) or proc.poll() is not None, 15)
        assert proc.poll() is None, (tmp / "nginx-error.log").read_text()
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def paced(sent: int, started: float) -> None:
    """Sleep until `sent` bytes fit RATE since `started`."""
    ahead = sent / RATE - (time.monotonic() - started)
    if ahead > 0:
        time.sleep(ahead)


def upload_slowly(port: int, *, order: Order, cookies: str, csrf: str, path: Path) -> Transfer:
    """POST the order page's upload form with the file, sending at RATE."""
    boundary = secrets.token_hex(16)
    fields = {"csrfmiddlewaretoken": csrf, "line": str(order.lines.get().pk), "kind": "product"}
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f"--{boundary}\r\nContent-Disposition: form-data; name=upload; "
        f'filename="{path.name}"\r\nContent-Type: text/plain\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)
    url = reverse("admin:orders_order_act", args=[order.pk, "upload"])
    request = (
        f"POST {url} HTTP/1.1\r\nHost: localhost\r\nCookie: {cookies}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.monotonic()
    sent = 0
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(request + head)
            with path.open("rb") as file:
                while chunk := file.read(CHUNK):
                    paced(sent, started)
                    sock.sendall(chunk)
                    sent += len(chunk)
            sock.sendall(tail)
            answer = sock.makefile("rb").readline()
    except OSError as exc:
        return Transfer(None, sent, "", time.monotonic() - started, error=repr(exc))
    status = int(answer.split()[1]) if answer.startswith(b"HTTP/") else None
    seconds = time.monotonic() - started
    return Transfer(status, sent, "", seconds, error=answer.decode(errors="replace"))


def download_slowly(port: int, *, url: str, cookies: str) -> Transfer:
    """GET the download link, reading at RATE; the client claims another address."""
    connection_ = HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.monotonic()
    digest, received, error = hashlib.sha256(), 0, ""
    connection_.request("GET", url, headers={"Cookie": cookies, "X-Forwarded-For": "203.0.113.7"})
    response = connection_.getresponse()
    try:
        while chunk := response.read(CHUNK):
            digest.update(chunk)
            received += len(chunk)
            paced(received, started)
    except (IncompleteRead, OSError) as exc:
        error = repr(exc)[:200]
    finally:
        connection_.close()
    return Transfer(
        response.status,
        received,
        digest.hexdigest(),
        time.monotonic() - started,
        error=error,
        headers=dict(response.getheaders()),
    )


@dataclass
class Prepared:
    order: Order
    staff: object
    cookies: str
    csrf: str


def preparing_order() -> Prepared:
    """An approved order of a publication and the staff member preparing it, signed in."""
    customer = UserFactory(email="rina@example.com")
    staff = UserFactory(email="agus@example.com", roles=["pst_staff"])
    cart_add(customer=customer, product=PublicationFactory(page_count=40), selection=Selection())
    order = order_submit(
        order=Order.objects.get(customer=customer, status="draft"),
        by=customer,
        ip="10.1.2.3",
        terms_accepted=True,
        abstract={},
    )
    order_approve(order=order, by=staff)
    client = Client()
    client.force_login(staff)
    # Django takes the unmasked secret as the form's token.
    csrf = secrets.token_hex(16)
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    return Prepared(order, staff, cookies, csrf)


def stored_sha256(line_file: LineFile) -> str:
    digest = hashlib.sha256()
    with line_file.file.open("rb") as file:
        while chunk := file.read(4 * MB):
            digest.update(chunk)
    return digest.hexdigest()


def report(label: str, transfer: Transfer) -> None:
    rate = transfer.received / MB / transfer.seconds if transfer.seconds else 0
    # The figures docs/operations.md quotes (pytest -s shows them).
    print(
        f"\n{label}: status {transfer.status}, {transfer.received / MB:.1f} MB in "
        f"{transfer.seconds:.1f} s ({rate:.1f} MB/s) {transfer.error[:80]}"
    )


def test_straight_to_gunicorn_a_slow_client_loses_the_upload_and_gets_a_cut_download(
    product, tmp_path, stored_files
):
    """The fault as reported: gunicorn alone on the port. This is also the control that the
    pace and the timeout below really are beyond what gunicorn can take."""
    path, sha = product
    prepared = preparing_order()
    line = prepared.order.lines.get()
    stored = line_file_upload(
        line=line, by=prepared.staff, upload=ContentFile(path.read_bytes(), "p.txt"), kind="product"
    )
    token = download_token(
        user=prepared.staff, order=prepared.order, document="product", file_id=stored.pk
    )
    with gunicorn(tmp_path, behind_nginx=False) as (port, log):
        upload = upload_slowly(
            port, order=prepared.order, cookies=prepared.cookies, csrf=prepared.csrf, path=path
        )
        report("upload straight to gunicorn", upload)
        download = download_slowly(
            port, url=reverse("orders:download", args=[token]), cookies=prepared.cookies
        )
        report("download straight from gunicorn", download)

    assert upload.status != 302  # cut off mid-body: no answer, or an error
    assert upload.received < SIZE or upload.status is None
    assert line.files.count() == 1  # the upload never arrived
    # gunicorn answered 200 with the whole Content-Length, then its worker was killed mid-file.
    assert download.status == 200
    assert int(download.headers["Content-Length"]) == SIZE
    assert download.received < SIZE
    assert download.sha256 != sha
    # And the log: both workers killed, the cut download logged as a 200 first.
    text = log.read_text()
    assert text.count("WORKER TIMEOUT") == 2
    assert re.search(r'"GET /pesanan/unduh/\S+ HTTP/1.1" 200 ', text)


def test_through_nginx_a_slow_client_moves_100_mb_both_ways_whole(product, tmp_path, stored_files):
    path, sha = product
    prepared = preparing_order()
    line = prepared.order.lines.get()
    with (
        gunicorn(tmp_path, behind_nginx=True) as (upstream, _),
        nginx(tmp_path, upstream=upstream) as port,
    ):
        upload = upload_slowly(
            port, order=prepared.order, cookies=prepared.cookies, csrf=prepared.csrf, path=path
        )
        report("upload through nginx", upload)
        assert upload.status == 302, upload.error
        stored = line.files.get()
        assert stored.size_bytes == SIZE
        assert stored.original_name == path.name
        assert stored_sha256(stored) == sha

        token = download_token(
            user=prepared.staff, order=prepared.order, document="product", file_id=stored.pk
        )
        download = download_slowly(
            port, url=reverse("orders:download", args=[token]), cookies=prepared.cookies
        )
        report("download through nginx", download)

    assert download.status == 200, download.error
    assert download.received == SIZE
    assert download.sha256 == sha
    # nginx sent the file (X-Accel-Redirect) under Django's download name.
    assert "X-Accel-Redirect" not in download.headers
    assert f'filename="{path.name}"' in download.headers["Content-Disposition"]
    # Each took about as long as the client's pace, far past gunicorn's 5 s.
    assert upload.seconds > 2 * GUNICORN_TIMEOUT * 0.9
    assert download.seconds > 2 * GUNICORN_TIMEOUT * 0.9
    # PROXY_COUNT=1 and nginx's X-Forwarded-For: the address nginx saw, not the client's claim.
    assert DownloadLog.objects.get(line_file=stored).ip == "127.0.0.1"
    # What gunicorn spent on each (nginx's $upstream_response_time): the whole 100 MB body
    # parsed and stored, and the download's headers.
    for line_ in (tmp_path / "nginx-access.log").read_text().splitlines():
        print(f"\nnginx: {line_}")


def test_the_shipped_configs_pass_nginx_t(tmp_path):
    """deploy/nginx/silastik.conf (a plain server, with TLS) and compose.conf as nginx reads
    them, with only what names this machine changed: certificates, the compose upstream."""
    need(os.access(NGINX, os.X_OK), f"nginx is not installed at {NGINX}")
    need(which("openssl") is not None, "openssl is not installed (for a test certificate)")
    certificate = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    certificate += ["-subj", "/CN=pst.example.go.id", "-keyout", str(tmp_path / "key.pem")]
    certificate += ["-out", str(tmp_path / "cert.pem")]
    subprocess.run(
        certificate,
        check=True,
        capture_output=True,
    )
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "silastik-proxy.conf").write_text(
        (DEPLOY / "nginx" / "silastik-proxy.conf").read_text()
    )
    live = "/etc/letsencrypt/live/pst.example.go.id"
    plain = (DEPLOY / "nginx" / "silastik.conf").read_text()
    plain = plain.replace(f"{live}/fullchain.pem", str(tmp_path / "cert.pem"))
    plain = plain.replace(f"{live}/privkey.pem", str(tmp_path / "key.pem"))
    compose = (DEPLOY / "nginx" / "compose.conf").read_text()
    compose = compose.replace("web:8000", "127.0.0.1:8000")
    compose = compose.replace("/etc/nginx/snippets/", f"{tmp_path}/snippets/")
    for name, server in {"plain": plain, "compose": compose}.items():
        (tmp_path / f"{name}.conf").write_text(server)
        (tmp_path / f"{name}-nginx.conf").write_text(
            f"pid {tmp_path}/{name}.pid;\nevents {{}}\n"
            f"http {{ include /etc/nginx/mime.types; include {tmp_path}/{name}.conf; }}\n"
        )
        command = [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / f"{name}-nginx.conf")]
        command += ["-e", str(tmp_path / f"{name}-error.log")]
        checked = subprocess.run(
            command,
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, f"{name}: {checked.stderr}"


def head_only(port: int, method: str, url: str, *, length: int, headers: dict) -> int:
    """Send a request's headers with a large Content-Length and no body; the status nginx
    answers before it would read the body."""
    request = f"{method} {url} HTTP/1.1\r\nHost: localhost:{port}\r\n"
    request += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    request += f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request.encode())
        return int(sock.makefile("rb").readline().split()[1])


def test_nginx_takes_gigabytes_only_from_a_back_office_session(tmp_path):
    """Only the back office's upload forms take up to 5 GB, and only after the portal has said
    the session is a back-office one: nobody else makes nginx store gigabytes."""
    need(os.access(NGINX, os.X_OK), f"nginx is not installed at {NGINX}")
    prepared = preparing_order()
    customer = Client()
    customer.force_login(prepared.order.customer)
    url = reverse("admin:orders_order_act", args=[prepared.order.pk, "upload"])
    big = 2 * 1024 * MB
    with (
        gunicorn(tmp_path, behind_nginx=True) as (upstream, _),
        nginx(tmp_path, upstream=upstream) as port,
    ):
        anonymous = head_only(port, "POST", url, length=big, headers={})
        as_customer = head_only(
            port,
            "POST",
            url,
            length=big,
            headers={"Cookie": f"sessionid={customer.cookies['sessionid'].value}"},
        )
        public = head_only(port, "POST", reverse("complaints:new"), length=30 * MB, headers={})
        other_admin = head_only(port, "POST", "/admin/auth/group/add/", length=30 * MB, headers={})

    assert (anonymous, as_customer) == (401, 401)
    assert (public, other_admin) == (413, 413)


def test_through_nginx_forms_keep_their_origin_and_requests_get_nginxs_id(tmp_path):
    """Behind compose's localhost:8000 the browser posts with that Origin: Django must see the
    same host and port, or every form is refused (CSRF). And the request id is nginx's own."""
    need(os.access(NGINX, os.X_OK), f"nginx is not installed at {NGINX}")
    UserFactory(email="rina@example.com")
    with (
        gunicorn(tmp_path, behind_nginx=True) as (upstream, _),
        nginx(tmp_path, upstream=upstream) as port,
    ):
        origin = f"http://localhost:{port}"
        page = HTTPConnection("127.0.0.1", port, timeout=30)
        page.request(
            "GET",
            reverse("users:login"),
            headers={"Host": f"localhost:{port}", "X-Request-ID": "chosen-by-the-client"},
        )
        answer = page.getresponse()
        html = answer.read().decode()
        cookie = answer.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        request_id = answer.getheader("X-Request-ID")
        form = HTTPConnection("127.0.0.1", port, timeout=30)
        body = f"csrfmiddlewaretoken={token}&username=rina%40example.com&password=wrong"
        form.request(
            "POST",
            reverse("users:login"),
            body=body,
            headers={
                "Host": f"localhost:{port}",
                "Origin": origin,
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        posted = form.getresponse().status

    assert posted == 200  # the form again with "wrong password", not 403
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
