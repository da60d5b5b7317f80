"""The store's integration tests run on both backends: a DuckDB file and PostgreSQL."""

from __future__ import annotations

import pytest

from workshop.store import Store


@pytest.fixture
def store(location):
    s = Store(location)
    yield s
    s.close()
