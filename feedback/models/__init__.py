# The complaints' models live with the rest of the complaints (feedback/complaints/); imported
# here they stay models of the feedback app, in its migrations.
from feedback.complaints.models import *  # noqa: F403

from .ratings import *  # noqa: F403
from .reports import *  # noqa: F403
