"""Settings shared by every environment.

Everything that differs between machines comes from an environment variable (or a `.env` file in
the project root) with a default that is safe on a developer's machine.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="django-insecure-local-development-key-not-for-production"
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused form (left open too long) explained in the portal's layout.
CSRF_FAILURE_VIEW = "silastik.errors_views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "axes",
    "silastik",
    "silastik.users",
    "silastik.mail",
    "silastik.verification",
    "silastik.notifications",
    "offices",
    "catalog",
    "orders",
    "billing",
    "feedback",
    "desk",
    "kiosk",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "silastik.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so that it covers what later middleware answers (axes' lockout page, redirects).
    "silastik.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The public catalog's reads from a read replica, when one is configured.
    "silastik.replica.ReplicaReadsMiddleware",
    "silastik.middleware.LanguageMiddleware",
    "offices.middleware.OfficeTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "silastik.urls"
WSGI_APPLICATION = "silastik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "offices.context_processors.office",
                "silastik.notifications.context_processors.badge",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'silastik.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database host answers nothing: give up in seconds, not minutes, so beat's
    # ticks and a web worker's request fail fast and are retried.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # A pool of connections in each process (psycopg's pool, Django 5.1+) instead of one kept
    # per thread (CONN_MAX_AGE): for many gunicorn threads against one server. With pgbouncer
    # in front of PostgreSQL leave it at 0 and keep CONN_MAX_AGE (docs/operations.md).
    if pool_max := env.int("DATABASE_POOL_MAX", default=0):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(2, pool_max),
            "max_size": pool_max,
            "timeout": 10,
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
# A read replica of the primary (streaming replication), for the public catalog's reads when
# one server is not enough (silastik/replica.py): its URL names a second database "replica".
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # Django's tests use the primary's test database for it (a replica has the same rows).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
READ_REPLICA_DATABASE = "replica" if "replica" in DATABASES else ""
# What may read from it: the public catalog's pages, and only the catalog's own models.
READ_REPLICA_PATHS = r"^/(catalog/.*)?$"
READ_REPLICA_APPS = ("catalog", "offices")
DATABASE_ROUTERS = ["silastik.replica.ReadReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# How long a catalog search's total, page and facet counts are reused (catalog.search); any
# change of a product makes them stale at once. 0: always searched afresh.
CATALOG_SEARCH_CACHE_SECONDS = env.int("CATALOG_SEARCH_CACHE_SECONDS", default=60)

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    # Refuses logins from an address over LOGIN_FAILURES_PER_ADDRESS before any other backend.
    "silastik.users.auth.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A verification link stays valid this long; the user can ask for a new one afterwards.
EMAIL_VERIFICATION_MAX_AGE = timedelta(days=env.int("EMAIL_VERIFICATION_DAYS", default=3))

# Failed logins: after AXES_FAILURE_LIMIT failures for one e-mail address from one IP address the
# pair is locked out for the cool-off time; a successful login resets the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "silastik.users.views.lockout"
# And failed logins from one client address (an IPv6 /64) for any accounts together, in windows
# of the cool-off time: one address trying many accounts is paused too (silastik/users/auth.py;
# not axes' "ip_address" parameter, whose count one successful login would reset).
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
# Password-reset requests and registrations per client address in an hour (beyond: 429 with a
# message), and e-mails about one e-mail address in an hour (reset links, "someone tried to
# register with your address"; beyond: the same answer as ever, and nothing is sent).
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=10)
REGISTRATIONS_PER_HOUR = env.int("REGISTRATIONS_PER_HOUR", default=10)
ACCOUNT_EMAILS_PER_HOUR = env.int("ACCOUNT_EMAILS_PER_HOUR", default=3)
AXES_USERNAME_CALLABLE = "silastik.users.auth.axes_username"
# Reverse proxies in front of the portal (nginx, a load balancer) that append X-Forwarded-For.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "silastik.users.auth.axes_client"
AXES_VERBOSE = False

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "silastik_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

# --- Files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Customer documents and purchased products: never under a public URL, only served by views
# that check who is asking.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "silastik.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("S3_BUCKET_NAME", default=""):
    # Several web and worker nodes share files through S3-compatible storage
    # (needs the optional dependency: pip install ".[s3]").
    _s3 = {
        "bucket_name": env("S3_BUCKET_NAME"),
        "endpoint_url": env("S3_ENDPOINT_URL", default=None),
        "region_name": env("S3_REGION", default=None),
        "access_key": env("S3_ACCESS_KEY_ID", default=None),
        "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": "public",
            "default_acl": "public-read",
            "querystring_auth": False,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "private", "default_acl": "private"},
    }
# Private files on S3 are downloaded from the bucket through pre-signed URLs valid this long
# (silastik/files.py); the portal's own signed link is checked first.
PRIVATE_FILES_URL_SECONDS = env.int("PRIVATE_FILES_URL_SECONDS", default=300)

# --- E-mail -------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Silastik <no-reply@silastik.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Outbox: a failed delivery is tried again after 1, 2, 4 … minutes, at most this many times.
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=8)

# --- Background work ----------------------------------------------------------------------------
# With CELERY_BROKER_URL (Redis) tasks go to real workers and beat runs the schedule below.
# Without it, tasks run eagerly in the web process right after the transaction commits, so the
# portal works on one machine with nothing else installed; periodic work then runs by hand
# (`python manage.py run_periodic`).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A web request must not hang while the broker is down: publish fails fast, the outbox and the
# periodic sweeps pick the work up once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 10}
# Beat's scheduler records that beat is alive (silastik.heartbeats), for /healthz.
CELERY_BEAT_SCHEDULER = "silastik.heartbeats:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    # A worker runs it every minute: /healthz tells a worker down from a quiet one.
    "worker-heartbeat": {"task": "silastik.tasks.worker_heartbeat_task", "schedule": 60.0},
    "mail-outbox-flush": {"task": "silastik.mail.tasks.outbox_flush_task", "schedule": 60.0},
    # Rate limits' ended windows (silastik.ratelimit).
    "rate-counters-sweep": {"task": "silastik.tasks.rate_counters_sweep_task", "schedule": 3600.0},
    "billing-invoices-expire": {"task": "billing.tasks.invoices_expire_task", "schedule": 900.0},
    # Receipts, invoice PDFs and agreements whose task was lost (broker down): queued again.
    "billing-recover": {"task": "billing.tasks.billing_recover_task", "schedule": 300.0},
    "orders-recover": {"task": "orders.tasks.orders_recover_task", "schedule": 300.0},
    # Every morning at 07:00 Jakarta time, before the PST desk opens.
    "orders-sla-remind": {
        "task": "orders.tasks.sla_remind",
        "schedule": crontab(hour=7, minute=0),
    },
    "feedback-ratings-remind": {
        "task": "feedback.tasks.ratings_remind_task",
        "schedule": crontab(hour=9, minute=0),
    },
    # Back-office people who chose a daily digest of their notifications get it at 07:00.
    "notifications-digest": {
        "task": "silastik.notifications.tasks.notifications_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Visits left open at the walk-in desk yesterday are closed before the next day starts.
    "desk-visits-close-stale": {
        "task": "desk.tasks.visits_close_stale_task",
        "schedule": crontab(hour=0, minute=15),
    },
    # Last month's IKM report of each office to its heads of dissemination: sent on the 1st;
    # the daily run catches up a month that a stopped worker or a missing head account held back.
    "feedback-reports-monthly": {
        "task": "feedback.tasks.reports_send_monthly_task",
        "schedule": crontab(hour=7, minute=30),
    },
}

# --- Forms and pages ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}

# Offices are data (back office → Offices). OFFICE_NAME, OFFICE_CODE, OFFICE_ADDRESS,
# OFFICE_PHONE and OFFICE_EMAIL are read once, by the migration that turns a single-office
# installation into the first office (offices/migrations/0002_office_from_settings.py).

# Complaints (pengaduan), per client address (an IPv6 /64): new complaints in an hour, and
# tracking-code look-ups in 10 minutes. Raise them for a shared address such as the PST desk's.
COMPLAINTS_SUBMIT_PER_HOUR = env.int("COMPLAINTS_SUBMIT_PER_HOUR", default=5)
COMPLAINTS_LOOKUPS_PER_10_MINUTES = env.int("COMPLAINTS_LOOKUPS_PER_10_MINUTES", default=30)
# Queue tickets taken at the guest book per client address (the entrance tablet is one address).
DESK_TICKETS_PER_10_MINUTES = env.int("DESK_TICKETS_PER_10_MINUTES", default=60)
# The networks of each office's entrance tablets are the office's data (back office → Offices →
# Kiosk networks); the migration desk 0002 moved a former KIOSK_NETWORKS variable there.
# Tickets looked up at the kiosk's rating form per client address (ticket + PIN guesses).
KIOSK_RATING_LOOKUPS_PER_10_MINUTES = env.int("KIOSK_RATING_LOOKUPS_PER_10_MINUTES", default=30)
# The offer prices microdata from the prepared data; a price further than this from the
# customer's quote needs staff's confirmation with a reason.
REPRICE_TOLERANCE_PERCENT = env.int("REPRICE_TOLERANCE_PERCENT", default=10)
# The portal's cuts of microdata from the offices' master files (orders.cutting): the largest
# product one may write, how long one may run, where it works (a folder with room for the
# largest product twice: the data and its ZIP), and when a silent run counts as lost.
CUT_MAX_OUTPUT_BYTES = env.int("CUT_MAX_OUTPUT_BYTES", default=5 * 1024**3)
CUT_TIME_LIMIT_SECONDS = env.int("CUT_TIME_LIMIT_SECONDS", default=60 * 60)
CUT_WORK_DIR = env.str("CUT_WORK_DIR", default="") or None
CUT_STALE_AFTER = timedelta(seconds=env.int("CUT_STALE_AFTER_SECONDS", default=5 * 60))
# Look-ups of documents' verification codes (/verifikasi/) per client address.
VERIFICATION_LOOKUPS_PER_10_MINUTES = env.int("VERIFICATION_LOOKUPS_PER_10_MINUTES", default=60)

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of every page (silastik.middleware): the portal's own scripts and
# styles only, no inline script, style or event handler (tests/site/test_csp.py scans the
# templates), images also as data: URIs (QR codes). The back office is under the same policy:
# Django's admin needs no inline script or style. CSP_REPORT_ONLY=1 sends it as
# Content-Security-Policy-Report-Only, to try a change on a live site first.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "silastik.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "silastik.logs.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
        # Server errors and failed tasks, e-mailed to ADMINS (when set).
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"handlers": ["console", "mail_admins"], "propagate": False},
        "celery.app.trace": {"handlers": ["console", "mail_admins"], "propagate": False},
        # A line per rendering step of every PDF says nothing an operator needs.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


def _admins(entries: list[str]) -> list[tuple[str, str]]:
    """ "Name <email>" or a bare address, as DJANGO_ADMINS lists them."""
    people = []
    for entry in entries:
        name, _sep, address = entry.partition("<")
        address = address.strip(" >") or name.strip()
        people.append((name.strip() if _sep else address, address))
    return people


# Who hears of server errors and failed tasks: "Name <email>, other@example.go.id".
ADMINS = _admins(env.list("DJANGO_ADMINS", default=[]))
# Optional: errors to Sentry as well (pip install ".[sentry]").
SENTRY_DSN = env("SENTRY_DSN", default="")

# Government billing: the gateway adapter, and the simulated bank page (never in production).
BILLING_GATEWAY = env("BILLING_GATEWAY", default="simulated")
# Signs the gateway's payment notices; empty: one derived from SECRET_KEY (billing.gateway).
BILLING_CALLBACK_SECRET = env("BILLING_CALLBACK_SECRET", default="")
BILLING_SIMULATION_ENABLED = env.bool("BILLING_SIMULATION_ENABLED", default=False)

# PostgreSQL text search configuration for the catalog (Indonesian stemming).
CATALOG_SEARCH_CONFIG = env("CATALOG_SEARCH_CONFIG", default="indonesian")

# The portal's public address, for links in e-mails sent without a request (tasks, sweeps).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# /healthz tells anyone only "ok" or "down"; the detailed answer (database, broker, …) goes to
# staff and to a monitor that sends this value in the X-Healthz-Token header. Empty: staff only.
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")

# The office the portal speaks for where no office serves (header, footer, account e-mails).
PORTAL_OFFICE_CODE = env("PORTAL_OFFICE_CODE", default="0000")
# The defaults of every e-mail's context (offices, which the core does not import).
EMAIL_CONTEXT_DEFAULTS = "offices.context_processors.email_defaults"

# `manage.py seed_demo`: after the demo accounts, each app's demo data, in dependency order.
DEMO_SEEDERS = [
    "offices.demo.offices_demo_seed",
    "catalog.demo.catalog_demo_seed",
    "orders.demo.orders_demo_seed",
    "feedback.demo.feedback_demo_seed",
    "desk.demo.desk_demo_seed",
]
