from .complaints import *  # noqa: F403
from .ratings import *  # noqa: F403
from .reports import *  # noqa: F403
