"""Readiness follows the database: a Cocreate whose PostgreSQL stops answers /readyz with 503
within the check's time, and 200 again once the database is back, with no restart."""

from __future__ import annotations

import os
import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import web
from deploy.throwaway_postgres import binaries, throwaway_postgres
from web.health import READY_SECONDS
from workshop.database import close_databases

pytestmark = pytest.mark.postgresql  # it starts and stops a PostgreSQL server of its own


def ready(client: TestClient, wanted: int, within: float) -> float:
    """Ask /readyz until it answers `wanted`; how long that took (fails after `within` s)."""
    start = time.monotonic()
    while True:
        status = client.get("/readyz").status_code
        if status == wanted:
            return time.monotonic() - start
        if time.monotonic() - start > within:
            raise AssertionError(f"/readyz still answered {status} after {within} s")
        time.sleep(0.2)


def test_readyz_follows_postgresql_stopping_and_coming_back(monkeypatch):
    if binaries() is None:
        message = "PostgreSQL suite: PostgreSQL's binaries are not installed (apt-get install postgresql-15)"
        if os.environ.get("COCREATE_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    with throwaway_postgres() as server:
        monkeypatch.setenv("COCREATE_DATABASE_URL", server.url)
        client = TestClient(Starlette(routes=web.routes))
        try:
            assert client.get("/readyz").status_code == 200
            server.stop()
            started = time.monotonic()
            reply = client.get("/readyz")
            assert reply.status_code == 503, reply.text
            assert time.monotonic() - started < READY_SECONDS + 1  # never hangs on the database
            assert reply.json()["status"] == "unavailable"
            server.start()
            ready(client, 200, within=15)  # the same process: its pool connects again
        finally:
            close_databases()
