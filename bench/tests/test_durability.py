"""SIGKILL the real server while people write: every confirmed write is in the database, once."""

import pytest

from bench import durability

pytestmark = pytest.mark.server  # each starts a real Cocreate process


def test_confirmed_writes_survive_sigkill_of_the_server(tmp_path):
    # Gaps long enough that each life of the server confirms writes even on a busy machine.
    result = durability.run(kills=2, writers=6, seed=5, gap=(3.0, 5.0), workdir=tmp_path)

    assert result["kills"] == 2
    assert result["acknowledged"] >= 20, result
    assert result["lost"] == 0, result
    assert result["duplicated"] == 0, result
    assert result["found"] == result["acknowledged"]
    assert {"join", "share", "react", "propose", "place_dot", "hide_need", "merge_needs"} <= set(
        result["kinds"]
    )


def test_the_check_counts_a_missing_and_a_doubled_write(tmp_path):
    from workshop import actions
    from workshop.store import Store

    db = tmp_path / "check.duckdb"
    room = durability.prepare(db)
    store = Store(db)
    workshop = actions.find_workshop(store, room.share_code)
    person, token = actions.join(store, room.share_code, "Writer 0")
    said = actions.share(store, person, room.theme_id, "said twice")
    actions.share(store, person, room.theme_id, "said twice")
    access = actions.access_for(store, room.session)
    actions.hide_need(store, access, room.hide_need)
    actions.hide_need(store, access, room.hide_need, False)
    actions.hide_need(store, access, room.hide_need)
    store.close()
    ledger = durability.Ledger(joined={token: "Writer 0"}, names_tried=["Writer 0"])
    ledger.tried.update({"said twice": 1})
    ledger.ack((room.share_code, token, "share", said))
    ledger.ack((room.share_code, token, "share", said + 1000))  # confirmed, never stored
    hidden = (room.propose_code, durability.FACILITATOR, "hide_need", room.hide_need)
    ledger.attempted[hidden] += 1  # tried once, stored twice
    ledger.ack(hidden)

    result = durability.check(db, room, ledger)

    assert workshop.code == room.share_code
    assert result == {
        "acknowledged": 4,
        "found": 3,
        "lost": 1,
        "duplicated": 2,  # the hide, and the statement's text
        "kinds": ["hide_need", "join", "share"],
    }
