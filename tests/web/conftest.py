"""The routes of web/ driven in this process with Starlette's TestClient, as the
participant's app sends them: the page (AppTest) gives the app its routes and token, the
test sends what the app would, and the app's `GET api/view` is what the screen draws."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

import web
from tests.conftest import ROOT
from ui.components import participant
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
    return _participate(t=token)


def join_page(code: str) -> AppTest:
    """The participant's page as the workshop's join link opens it."""
    return _participate(code=code)


def _participate(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("pages/participate.py")
    at.query_params.update(query)
    return at.run()


def component(at: AppTest, key: str) -> dict:
    """What the page gave its board `key` to draw."""
    (found,) = [e.proto for e in at.get("bidi_component") if e.proto.component_name.endswith(key)]
    return json.loads(found.json)


class Screen:
    """A participant's app, opened by their link: the routes it asks, with its token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.at = participant_page(token)
        self.data = component(self.at, participant.KEY)
        self.header = {self.data["header"]: self.data["token"]}

    def send(
        self, route: str, body: Any = None, method: str = "POST", raw: bytes | None = None, header=None
    ) -> tuple[int, Any]:
        """The status and answer of `route` (a name of the app's `urls`: dots, share …) for
        `body` (JSON) or `raw` bytes."""
        reply = ROUTES.request(
            method,
            "/" + self.data["urls"][route],
            headers=self.header if header is None else header,
            content=raw,
            json=None if raw is not None else body,
        )
        return reply.status_code, reply.json()

    def view(self, language: str | None = None) -> dict:
        """What the screen shows now (`GET api/view`): `status`, `room` and `me`."""
        header = self.header | ({"Accept-Language": language} if language else {})
        code, answer = self.send("view", method="GET", header=header)
        assert code == 200, answer
        return answer

    def reloaded(self) -> dict:
        """What the screen shows when the person reloads the page (a new session)."""
        return Screen(self.token).view()
