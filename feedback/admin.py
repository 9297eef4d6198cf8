"""Back office of the feedback app."""

from . import (
    # Complaints (pengaduan), answered and closed by PST staff.
    complaint_admin,  # noqa: F401
    rating_admin,  # noqa: F401  (ratings and the follow-up queue)
)
