"""The test settings for a gunicorn that tests/site/test_proxy.py starts: X-Accel-Redirect as
production has it, when the test puts nginx in front."""

from silastik.settings.test import *  # noqa: F403
from silastik.settings.test import env

PRIVATE_FILES_X_ACCEL_PREFIX = env("PRIVATE_FILES_X_ACCEL_PREFIX", default="")
