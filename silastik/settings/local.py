"""A developer's machine: `make run`. SQLite, local files, console e-mail, no Redis needed."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
BILLING_SIMULATION_ENABLED = env.bool("BILLING_SIMULATION_ENABLED", default=True)
VAR_DIR.mkdir(exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
