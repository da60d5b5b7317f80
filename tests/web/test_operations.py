"""What the people who host Cocreate rely on: /healthz, /readyz (the database answers and its
schema is current), /metrics for Prometheus behind the organisation key, and a log of one
line per request and per workshop event, as JSON when asked, never with a token or a key."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import web
from tests.conftest import ORGANISATION_KEY, make_room
from web.paths import PARTICIPANT_HEADER
from workshop import actions, logs
from workshop.database import close_databases, open_database
from workshop.errors import AccessDenied
from workshop.migrations import LATEST
from workshop.model import Phase


@pytest.fixture
def served(tmp_path, monkeypatch):
    """The app's routes on a fresh DuckDB file (the database the routes open), and its store."""
    db = tmp_path / "ops.duckdb"
    monkeypatch.setenv("COCREATE_DB", str(db))
    monkeypatch.delenv("COCREATE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COCREATE_ADMIN_KEY", ORGANISATION_KEY)
    store = open_database(str(db)).store
    yield TestClient(Starlette(routes=web.routes)), store
    close_databases()


def test_healthz_answers_while_the_process_is_up(served):
    client, _store = served
    reply = client.get("/healthz")
    assert reply.status_code == 200
    assert reply.json() == {"status": "up"}


def test_readyz_answers_ready_when_the_database_answers_with_the_current_schema(served):
    client, _store = served
    reply = client.get("/readyz")
    assert reply.status_code == 200
    assert reply.json() == {"status": "ready", "schema": LATEST}
    assert reply.headers["cache-control"] == "no-store"


def test_readyz_answers_503_when_the_database_cannot_be_reached(tmp_path, monkeypatch):
    # Nothing listens on port 1: the connection is refused at once, as for a stopped server.
    monkeypatch.setenv("COCREATE_DATABASE_URL", "postgresql://cocreate:cocreate@127.0.0.1:1/cocreate")
    client = TestClient(Starlette(routes=web.routes))
    reply = client.get("/readyz")
    assert reply.status_code == 503
    assert reply.json()["status"] == "unavailable"
    assert "cocreate:cocreate" not in reply.text  # the reason never repeats the URL's password
    assert client.get("/healthz").status_code == 200  # the process itself is up


def test_metrics_need_the_organisation_key(served, monkeypatch):
    client, _store = served
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    monkeypatch.delenv("COCREATE_ADMIN_KEY")
    assert client.get("/metrics", headers={"Authorization": f"Bearer {ORGANISATION_KEY}"}).status_code == 404


def figure(text: str, name: str, **labels: str) -> float:
    """The value of the metric `name` with these labels in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_route_and_writes_by_kind(served):
    client, store = served
    room = make_room(store, participants=1)
    _person, token = actions.join(store, room.workshop.code, "Ann", "Sales")
    room.to(Phase.SHARE)
    scrape = {"Authorization": f"Bearer {ORGANISATION_KEY}"}
    before = client.get("/metrics", headers=scrape).text
    theme = room.workshop.themes[0].id
    for n in range(3):
        reply = client.post(
            "/api/share",
            headers={PARTICIPANT_HEADER: token},
            json={"do": "share", "theme": theme, "text": f"Statement {n}"},
        )
        assert reply.status_code == 200
    refused = client.post("/api/share", headers={PARTICIPANT_HEADER: "tampered"}, json={})
    after = client.get("/metrics", headers=scrape)
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    # The process's own figures: what bounds a room's size is its CPU and memory.
    assert figure(after.text, "process_cpu_seconds_total") > 0
    assert figure(after.text, "process_resident_memory_bytes") > 0
    assert "python_gc_collections_total" in after.text
    text = after.text
    shared = dict(route="/api/share", method="POST", status="200")
    assert (
        figure(text, "cocreate_requests_total", **shared)
        - figure(before, "cocreate_requests_total", **shared)
        == 3
    )
    refusal = dict(route="/api/share", method="POST", status=str(refused.status_code))
    assert figure(text, "cocreate_requests_total", **refusal) >= 1
    writes = figure(text, "cocreate_writes_total", kind="share") - figure(
        before, "cocreate_writes_total", kind="share"
    )
    assert writes == 3
    assert figure(text, "cocreate_request_seconds_count", route="/api/share") >= 4
    assert "cocreate_open_streams" in text and "cocreate_store_conflicts_total" in text


@pytest.fixture
def json_log(monkeypatch, capsys):
    """The app's log as JSON lines on standard error (COCREATE_LOG_FORMAT=json), read back."""
    monkeypatch.setenv("COCREATE_LOG_FORMAT", "json")
    logs.configure()

    def lines() -> list[dict]:
        err = capsys.readouterr().err
        return [json.loads(line) for line in err.splitlines() if line.startswith("{")]

    yield lines
    for name in logs.LOGGERS:
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def test_each_request_is_one_json_line_without_its_token(served, json_log):
    client, store = served
    room = make_room(store, participants=0)
    _person, token = actions.join(store, room.workshop.code, "Ann", "Sales")
    room.to(Phase.SHARE)
    json_log()  # what creating the room logged
    client.post(
        "/api/share",
        headers={PARTICIPANT_HEADER: token},
        json={"do": "share", "theme": room.workshop.themes[0].id, "text": "Logged once"},
    )
    (line,) = [entry for entry in json_log() if entry.get("route") == "/api/share"]
    assert line["method"] == "POST" and line["status"] == 200
    assert line["workshop_id"] == room.workshop.id
    assert isinstance(line["duration_ms"], float)
    assert token not in json.dumps(line)


def test_workshop_events_are_logged_with_the_code_never_a_key(served, json_log):
    client, store = served
    room = make_room(store, participants=1)
    actions.set_phase(store, room.access, Phase.SHARE)
    with pytest.raises(AccessDenied):
        actions.open_as_facilitator(store, room.workshop.code, "not-the-key")
    logged = json_log()
    phase = next(entry for entry in logged if entry.get("event") == "phase")
    assert phase["workshop"] == room.workshop.code and phase["phase"] == "share"
    failed = next(entry for entry in logged if entry.get("event") == "sign_in_failed")
    assert failed["workshop"] == room.workshop.code and failed["role"] == "facilitator"
    text = json.dumps(logged)
    assert "not-the-key" not in text and room.created.facilitator_key not in text


def test_organisation_key_guesses_on_metrics_and_backup_are_slowed_down_and_logged(served, json_log):
    """/metrics and /backup check the organisation key as Review does: after three wrong keys
    from one client even the right key waits (429, Retry-After), and each wrong one is logged
    with its client, never with the key."""
    client, _store = served
    for route, method in [("/metrics", client.get), ("/backup", client.post), ("/metrics", client.get)]:
        reply = method(route, headers={"Authorization": "Bearer guess-number-one"})
        assert reply.status_code == 401, route
    held = client.post("/backup", headers={"Authorization": f"Bearer {ORGANISATION_KEY}"})
    assert held.status_code == 429
    wait = held.headers["retry-after"]
    assert wait in {"2", "3"}  # two seconds after the third wrong key, rounded up
    assert held.text == f"Too many wrong keys. Wait {wait} seconds, then try again.\n"
    failed = [entry for entry in json_log() if entry.get("event") == "sign_in_failed"]
    assert [(e["role"], e["via"], e["client"]) for e in failed] == [
        ("organisation", "metrics", "testclient"),
        ("organisation", "backup", "testclient"),
        ("organisation", "metrics", "testclient"),
    ]
    assert "guess-number-one" not in json.dumps(failed)


def test_the_organisation_key_is_checked_30_times_a_minute_through_every_route(served, monkeypatch):
    """Thirty addresses guessing once each through /metrics and /backup spend the minute's
    checks of the organisation key, so the next address waits even with the right key; the
    scraper's own metrics token still scrapes."""
    client, _store = served
    scraper_token = "the-scraper-token-of-this-test-7Hq2"
    monkeypatch.setenv("COCREATE_TRUSTED_PROXIES", "testclient")
    monkeypatch.setenv("COCREATE_METRICS_TOKEN", scraper_token)
    for i in range(30):
        route, method = ("/metrics", client.get) if i % 2 else ("/backup", client.post)
        reply = method(route, headers={"Authorization": "Bearer guess", "X-Forwarded-For": f"198.51.100.{i}"})
        assert reply.status_code == 401
    right = {"Authorization": f"Bearer {ORGANISATION_KEY}", "X-Forwarded-For": "192.0.2.1"}
    assert client.get("/metrics", headers=right).status_code == 429
    scrape = {"Authorization": f"Bearer {scraper_token}", "X-Forwarded-For": "192.0.2.1"}
    assert client.get("/metrics", headers=scrape).status_code == 200


def test_the_app_refuses_to_start_with_a_weak_organisation_key(monkeypatch):
    monkeypatch.setenv("COCREATE_ADMIN_KEY", "choose-a-long-key")
    starting = TestClient(Starlette(routes=web.routes, lifespan=web.lifespan))
    with pytest.raises(ValueError, match="COCREATE_ADMIN_KEY is too weak"):
        starting.__enter__()
