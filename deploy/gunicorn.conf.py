"""gunicorn behind nginx (deploy/nginx/): `gunicorn -c deploy/gunicorn.conf.py silastik.wsgi`.

Sync workers, deliberately. Each handles one request at a time, which is only safe when nothing
slow reaches it: nginx reads a whole upload before passing it on (proxy_request_buffering),
buffers page responses, and sends private files itself (X-Accel-Redirect), so a worker only
ever talks to nginx over the loopback or a socket, at local speed. Without nginx, a customer on
a slow line holds a worker for the whole transfer, and the timeout below kills it mid-file: the
fault tests/site/test_proxy.py reproduces.

The timeout then bounds the work of one request, not the speed of a client. The slowest honest
request is a 5 GB product (uploads.PRODUCT) that Django parses and stores after nginx has
handed it over; CI measures that path with 100 MB (docs/operations.md has the figures). nginx's
proxy_read_timeout is a little longer, so gunicorn is the one that stops a stuck request and
logs it. Every value can be changed through the environment.
"""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# About 2 × cores + 1 on a machine of its own; 3 where the count is unknown (a container sees
# the host's cores, not its share).
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
# A deploy or restart lets running requests finish (an upload being stored) for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "60"))
# Workers are replaced now and then, so a slow leak in a library never grows for months.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The workers' heartbeat files: on tmpfs where there is one, because a container's overlay
# disk can stall a heartbeat long enough for the arbiter to kill a healthy worker.
if Path("/dev/shm").is_dir():  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108
