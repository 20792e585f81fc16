"""annotate: find violent and violent-extremist content, route it to human review in
Label Studio, and export an auditable, retrainable corpus."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
