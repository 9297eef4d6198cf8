"""Production: refuses to start without a secret key and allowed hosts, or with a key anyone
can read in this repository."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BILLING_CALLBACK_SECRET, BILLING_GATEWAY, SENTRY_DSN, STORAGES, env
from .secrets import PUBLISHED_SECRETS

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters.")
if SECRET_KEY in PUBLISHED_SECRETS:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is a key published in the repository: make a new random one."
    )
# Whoever holds the callback secret can declare any invoice paid.
if BILLING_CALLBACK_SECRET in PUBLISHED_SECRETS:
    raise ImproperlyConfigured(
        "BILLING_CALLBACK_SECRET is a secret published in the repository: make a new one."
    )
if BILLING_CALLBACK_SECRET and len(BILLING_CALLBACK_SECRET) < 32:
    raise ImproperlyConfigured("BILLING_CALLBACK_SECRET must be at least 32 random characters.")
if BILLING_GATEWAY != "simulated" and not BILLING_CALLBACK_SECRET:
    raise ImproperlyConfigured(
        "Set BILLING_CALLBACK_SECRET to the secret agreed with the billing gateway."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the portal's host names.")

DEBUG = False

# Rate limits (kiosk tickets, complaints, look-ups, verification links) are counted in the
# cache: it must be one for every web worker, or each worker allows the whole limit again.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://silastik_cache")}
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL names a cache each worker keeps to itself: use Redis "
        "(redis://host:6379/1) or the database cache (dbcache://silastik_cache)."
    )
if env.bool("BILLING_SIMULATION_ENABLED", default=False):
    raise ImproperlyConfigured("The simulated bank pays any billing code: never in production.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Large private files (microdata) are handed to the web server instead of streamed by Python.
PRIVATE_FILES_X_ACCEL_PREFIX = env("PRIVATE_FILES_X_ACCEL_PREFIX", default="")

if SENTRY_DSN:
    from silastik.logs import sentry_init

    sentry_init(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))
