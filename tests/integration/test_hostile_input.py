"""Hostile input through every text field and every link parameter: a clear message or
clean stored text, never an unexpected error, never anything stored half-way."""

from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import draft, make_room
from tests.hostile import BASE, corpus
from workshop import actions
from workshop.errors import CocreateError, InvalidLink, WorkshopNotFound
from workshop.model import Phase, ThemeDraft
from workshop.text import clean_text

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def is_clean(text: str | None, limit: int) -> bool:
    return text is None or (
        0 < len(text) <= limit
        and text == text.strip()
        and not any(ch in BIDI or (unicodedata.category(ch) == "Cc" and ch != "\n") for ch in text)
    )


TABLES = ("workshops", "themes", "participants", "statements", "needs", "follow_ups", "follow_up_needs")
COUNTS = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in TABLES)


def row_counter(store, location):
    """How many rows each table that a text field writes to holds, asked of the database itself
    (on PostgreSQL the store's aggregate mirror would reload every workshop for each count)."""
    if store.kind != "postgresql":
        return lambda: tuple(int(n) for n in store.read_df(COUNTS).iloc[0])
    import psycopg

    con = psycopg.connect(str(location), autocommit=True)
    return lambda: tuple(con.execute(COUNTS).fetchone())


@pytest.fixture
def attempt(store, location):
    """Run an action; a refusal must be a CocreateError with a message and change nothing."""
    counts = row_counter(store, location)

    def attempted(action, *args, **kwargs):
        before = counts()
        try:
            return action(*args, **kwargs)
        except CocreateError as exc:
            assert exc.message.strip()
            assert counts() == before
            return None

    return attempted


def test_every_text_field_refuses_or_stores_clean_text(store, attempt):
    room = make_room(store, participants=1)
    author = room.people[0]
    room.to(Phase.SHARE)
    for value in corpus():
        sid = attempt(actions.share, store, author, room.theme_ids[0], value)
        if sid is not None:
            stored = next(s.text for s in store.statements(room.workshop.id) if s.id == sid)
            assert stored == clean_text(value) and is_clean(stored, 500)
            attempt(actions.edit_statement, store, author, sid, value + value)
    room.to(Phase.PROPOSE)
    for value in corpus():
        nid = attempt(actions.propose, store, author, room.theme_ids[0], value)
        if nid is not None:
            assert is_clean(next(n.text for n in store.needs(room.workshop.id) if n.id == nid), 500)
            attempt(actions.edit_need, store, author, nid, value[::-1], room.theme_ids[1])
        joined = attempt(actions.join, store, room.workshop.code, value, value)
        if joined is not None:
            assert is_clean(joined[0].name, 40) and is_clean(joined[0].team, 40)
    need = store.needs(room.workshop.id)[0].id
    for value in corpus():
        created = attempt(
            actions.create_workshop, store, draft(title=value, themes=(ThemeDraft(value, value),))
        )
        if created is not None:
            assert is_clean(created.workshop.title, 120) and is_clean(created.workshop.themes[0].title, 120)
        fid = attempt(
            actions.create_follow_up, store, room.access, value, [need], owner=value, due_date=value
        )
        assert fid is None or is_clean(next(f.title for f in store.follow_ups() if f.id == fid), 200)


@pytest.mark.parametrize("value", corpus())
def test_every_link_parameter_refuses_a_hostile_value(shared_store, value):
    with pytest.raises(WorkshopNotFound) as error:
        actions.find_workshop(shared_store, value)
    assert error.value.message.startswith("No workshop has the code ") and len(error.value.message) < 100
    for check in (actions.resume, actions.presented_workshop, actions.access_for):
        with pytest.raises(InvalidLink):
            check(shared_store, value)


@pytest.fixture
def app_store(db_path, monkeypatch):
    monkeypatch.setenv("COCREATE_DB", str(db_path))
    from workshop.database import open_database

    return open_database(str(db_path)).store


def test_pages_show_a_message_for_hostile_link_parameters(app_store):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    make_room(app_store)
    for path, name in (
        ("pages/participate.py", "t"),
        ("pages/participate.py", "code"),
        ("pages/present.py", "p"),
        ("pages/facilitate.py", "s"),
        ("pages/review.py", "s"),
    ):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.run()
        at.switch_page(path)
        for value in BASE[:25] + ["\x00", "x" * 5000]:  # one link after another in one tab
            at.query_params.clear()
            at.query_params[name] = value
            at.run()
            assert not at.exception, (path, name, value)
            assert at.error and at.error[0].value.strip(), (path, name, value)
