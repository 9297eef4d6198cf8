# The desks the kiosk's tickets are called to.
from tests.desk.conftest import desk  # noqa: F401
