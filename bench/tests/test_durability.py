"""SIGKILL the real server while people write: every confirmed write is in the database, once."""

from bench import durability


def test_confirmed_writes_survive_sigkill_of_the_server(tmp_path):
    # Gaps long enough that each life of the server confirms writes even on a busy machine.
    result = durability.run(kills=2, writers=6, seed=5, gap=(2.5, 4.0), workdir=tmp_path)

    assert result["kills"] == 2
    assert result["acknowledged"] >= 20, result
    assert result["lost"] == 0, result
    assert result["duplicated"] == 0, result
    assert result["found"] == result["acknowledged"]


def test_the_check_counts_a_missing_and_a_doubled_write(tmp_path):
    from workshop import actions
    from workshop.store import Store

    db = tmp_path / "check.duckdb"
    room = durability.prepare(db)
    store = Store(db)
    workshop = actions.find_workshop(store, room.share_code)
    person, token = actions.join(store, room.share_code, "Writer 0")
    actions.share(store, person, room.theme_id, "said twice")
    actions.share(store, person, room.theme_id, "said twice")
    store.close()
    ledger = durability.Ledger(joined={token: "Writer 0"}, names_tried=["Writer 0"])
    ledger.said = {"said twice", "never stored"}
    ledger.tried.update({"said twice": 1, "never stored": 1})

    result = durability.check(db, room, ledger)

    assert workshop.code == room.share_code
    assert result == {"acknowledged": 3, "found": 2, "lost": 1, "duplicated": 1}
