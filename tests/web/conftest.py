"""The routes of web/ driven in this process with Starlette's TestClient, as a participant's
board sends them: the page (AppTest) gives the board its route and token, the test sends
what the board would, and a second run of the page is a reload."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

import web
from tests.conftest import ROOT
from workshop.database import close_databases, open_database

ROUTES = TestClient(Starlette(routes=web.routes))


@pytest.fixture
def app_store(db_path, monkeypatch):
    """The very Store the pages and the routes use (one per process and database)."""
    monkeypatch.setenv("COCREATE_DB", str(db_path))
    monkeypatch.delenv("COCREATE_DATABASE_URL", raising=False)
    yield open_database(str(db_path)).store
    close_databases()


def participant_page(token: str) -> AppTest:
    """The participant's page as their link opens it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/participate.py")
    at.query_params["t"] = token
    return at.run()


def component(at: AppTest, key: str) -> dict:
    """What the page gave its board `key` to draw."""
    (found,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name.endswith(key)]
    return json.loads(found.json)


class Board:
    """One board of a participant's page (opened by their link), sending what it sends to
    its route."""

    def __init__(self, token: str, key: str) -> None:
        self.token, self.key = token, key
        self.at = participant_page(token)
        self.data = component(self.at, key)
        self.header = {self.data["header"]: self.data["token"]}

    def send(self, body: Any = None, method: str = "POST", raw: bytes | None = None, header=None):
        """The route's status and answer for `body` (JSON) or `raw` bytes."""
        reply = ROUTES.request(
            method,
            "/" + self.data["url"],
            headers=self.header if header is None else header,
            content=raw,
            json=None if raw is not None else body,
        )
        return reply.status_code, reply.json()

    def reloaded(self) -> dict:
        """What the board draws when the person reloads the page (a new session)."""
        return component(participant_page(self.token), self.key)
