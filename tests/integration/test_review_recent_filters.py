"""`review status` reads exposure through Data Manager filters (updated since a time,
passage-id patterns): checked on the SQLite server (test_postgres.py: on PostgreSQL)."""

from __future__ import annotations

import pytest

from annotate.studio.client import StudioClient

from .recent_filters import check_recent_filters

pytestmark = pytest.mark.integration


def test_recent_filters_on_sqlite(client: StudioClient) -> None:
    check_recent_filters(client)
