"""The test suite. Uses DATABASE_URL and CELERY_BROKER_URL when set (CI: PostgreSQL and Redis)."""

from .base import *  # noqa: F403
from .base import DATABASES, STATIC_ROOT, STORAGES, VAR_DIR, env

VAR_DIR.mkdir(exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
DEBUG = False
BILLING_SIMULATION_ENABLED = True
SECRET_KEY = "test-secret-key-test-secret-key-test-secret-key-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]

# Tasks run in-process after commit unless a test starts a real worker (tests/celery_utils.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The broker the worker tests use; empty when none is configured.
TEST_BROKER_URL = env("CELERY_BROKER_URL", default="")

EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
if env("EMAIL_URL", default=""):
    # A worker subprocess started by the tests delivers to the tests' own SMTP server.
    vars().update(env.email_url("EMAIL_URL"))

MEDIA_ROOT = VAR_DIR / "test-media"
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker subprocess sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # The browser tests' live server writes while the test thread does: wait, don't fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A second PostgreSQL database stands in for a read replica in the router's tests
    # (tests/site/test_replica.py); the router is off unless a test turns it on.
    DATABASES["replica"] = {
        **DATABASES["default"],
        "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_replica", "MIGRATE": False},
    }
READ_REPLICA_DATABASE = ""
