"""Import a DDI Codebook (1.2.2 or 2.5) into a microdata dataset: its description, data files,
variables and value labels.

The whole file is parsed and checked before the database is touched, and the write is one
transaction, so a codebook that fails halfway leaves nothing behind.
"""

from .parse import DdiError
from .store import DdiImportResult, ddi_import

__all__ = ["DdiError", "DdiImportResult", "ddi_import"]
