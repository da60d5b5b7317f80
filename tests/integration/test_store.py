"""The store on a real DuckDB file: durability across reopening, concurrency, failures."""

from __future__ import annotations

import contextlib
import json
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT, make_room, pg_schema, run_cli
from workshop import actions, analytics
from workshop.analytics import HELP_RULE
from workshop.errors import BudgetSpent, CocreateError, NeedCapReached, StoreUnavailable
from workshop.live import LiveCache
from workshop.migrations import LATEST
from workshop.model import Phase, Reaction
from workshop.store import Store


def test_everything_survives_reopening_the_file(db_path):
    store = Store(db_path)
    room = make_room(store)
    room.to(Phase.PROPOSE)
    need = actions.propose(store, room.people[0], room.theme_ids[0], "Coaching skills")
    room.to(Phase.VOTE)
    actions.place_dot(store, room.people[1], need)
    _, token = actions.join(store, room.workshop.code, "Late", "Ops")
    wid, code = room.workshop.id, room.workshop.code
    store.close()

    reopened = Store(db_path)
    assert reopened.schema_version() == LATEST
    person = actions.resume(reopened, token)
    assert person.name == "Late"
    (kept,) = reopened.needs(wid)
    assert (kept.text, kept.dots) == ("Coaching skills", 1)
    assert reopened.workshop(wid).phase is Phase.VOTE
    actions.open_as_facilitator(reopened, code, room.created.facilitator_key)
    reopened.close()


def _run_all(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_two_hundred_participants_voting_at_once_are_all_counted(store):
    room = make_room(store, participants=200)
    room.to(Phase.PROPOSE)
    needs = [actions.propose(store, room.people[i], room.theme_ids[i % 2], f"Need {i}") for i in range(6)]
    room.to(Phase.VOTE)
    start, errors = threading.Barrier(200), []

    def vote(index: int) -> None:
        person = room.people[index]
        start.wait()
        try:
            for k in range(5):
                actions.place_dot(store, person, needs[(index + k) % len(needs)])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    _run_all([threading.Thread(target=vote, args=(i,)) for i in range(200)])
    assert errors == []
    summary = analytics.summary(store, room.workshop.id)
    assert summary["dots_total"] == 1000 and summary["voters"] == 200
    assert sum(n["dots"] for n in summary["needs"]) == 1000
    per_person = store.read_df("SELECT participant_id, count(*) AS n FROM dots GROUP BY ALL")
    assert set(per_person["n"]) == {5}


def test_one_participant_in_twenty_tabs_cannot_exceed_the_budget(store):
    room = make_room(store, participants=1, dot_budget=5, per_need_cap=5)
    room.to(Phase.PROPOSE)
    needs = [actions.propose(store, room.people[0], room.theme_ids[0], f"Need {i}") for i in range(3)]
    room.to(Phase.VOTE)
    start, placed, refused = threading.Barrier(20), [], []

    def tab(index: int) -> None:
        start.wait()
        try:
            placed.append(actions.place_dot(store, room.people[0], needs[index % 3]))
        except BudgetSpent:
            refused.append(index)

    _run_all([threading.Thread(target=tab, args=(i,)) for i in range(20)])
    assert len(placed) == 5 and len(refused) == 15
    assert store.dots_used(room.people[0]) == room.workshop.dot_budget
    assert sorted(store.read_df("SELECT slot FROM dots")["slot"]) == [0, 1, 2, 3, 4]


def test_racing_tabs_cannot_exceed_the_per_need_cap(store):
    room = make_room(store, participants=1, dot_budget=10, per_need_cap=3)
    room.to(Phase.PROPOSE)
    need = actions.propose(store, room.people[0], room.theme_ids[0], "One need")
    room.to(Phase.VOTE)
    start, outcomes = threading.Barrier(12), []

    def tab() -> None:
        start.wait()
        try:
            actions.place_dot(store, room.people[0], need)
            outcomes.append("placed")
        except NeedCapReached:
            outcomes.append("capped")

    _run_all([threading.Thread(target=tab) for _ in range(12)])
    assert outcomes.count("placed") == 3
    assert store.needs(room.workshop.id)[0].dots == 3


def test_a_foreign_duckdb_file_is_refused_with_a_clear_message(tmp_path: Path):
    import duckdb

    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.close()
    with pytest.raises(StoreUnavailable, match="holds tables that are not Cocreate's"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path):
    path = tmp_path / "notes.duckdb"
    path.write_text("shopping list\n" * 200)
    with pytest.raises(StoreUnavailable, match="Set COCREATE_DB"):
        Store(path)


def test_a_file_held_by_another_process_is_refused(db_path):
    Store(db_path).close()
    # Another process holds the file open until the test kills it (its sleep waits for nothing).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys,time; c=duckdb.connect({str(db_path)!r}); print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnavailable, match="in use by another Cocreate process"):
            Store(db_path)
    finally:
        holder.kill()
        holder.wait()


def test_live_values_are_computed_once_per_change_however_many_viewers(store, room):
    cache = LiveCache(store)
    wid = room.workshop.id
    calls = []

    def compute():
        calls.append(1)
        return analytics.votes_cast(store, wid)

    start = threading.Barrier(50)

    def viewer():
        start.wait()
        cache.get("cast", wid, compute)

    _run_all([threading.Thread(target=viewer) for _ in range(50)])
    assert len(calls) == 1
    room.to(Phase.SHARE)  # a write bumps the version
    for _ in range(50):
        cache.get("cast", wid, compute)
    assert len(calls) == 2


def test_while_one_reader_computes_a_value_readers_that_may_lag_are_not_held_up(store, room):
    cache = LiveCache(store)
    wid = room.workshop.id
    room.to(Phase.SHARE)
    texts = lambda: [s.text for s in store.statements(wid)]  # noqa: E731
    assert cache.get("s", wid, texts, max_age=60) == []
    said = actions.share(store, room.people[1], room.theme_ids[0], "A new thought")
    computing, release = threading.Event(), threading.Event()

    def slow():
        computing.set()
        release.wait(10)
        return texts()

    fresh = []
    computer = threading.Thread(target=lambda: fresh.append(cache.get("s", wid, slow)))
    computer.start()
    assert computing.wait(10)
    assert cache.get("s", wid, texts, max_age=0.001) == []  # the value there is, at once
    waiting = []
    exact = threading.Thread(target=lambda: waiting.append(cache.get("s", wid, texts)))
    exact.start()
    exact.join(0.3)
    assert waiting == []  # a reader that may not lag waits for the computation
    release.set()
    computer.join()
    exact.join()
    assert fresh == waiting == [["A new thought"]]

    # Never what was taken away: after a withdrawal a lagging reader waits too.
    computing.clear()
    release.clear()
    actions.withdraw_statement(store, room.people[1], said)
    computer = threading.Thread(target=lambda: cache.get("s", wid, slow))
    computer.start()
    assert computing.wait(10)
    lagging = []
    reader = threading.Thread(target=lambda: lagging.append(cache.get("s", wid, texts, max_age=60)))
    reader.start()
    reader.join(0.3)
    assert lagging == []
    release.set()
    computer.join()
    reader.join()
    assert lagging == [[]]


def test_demo_and_summary_from_the_command_line_agree(tmp_path: Path):
    db = tmp_path / "cli.duckdb"

    def cli(*args: str) -> str:
        done = run_cli(*args, "--db", str(db))
        assert done.returncode == 0, done.stderr
        return done.stdout

    demo = json.loads(cli("demo", "--participants", "20", "--seed", "3", "--json"))
    assert demo["participants"] == 20 and len(demo["code"]) == 6
    summary = json.loads(cli("summary", demo["code"], "--json"))
    assert summary["participants"] == 20 and summary["phase"] == "closed"
    assert summary["dots_total"] == 20 * summary["dot_budget"]
    visible = [n for n in summary["needs"] if not n["hidden"]]
    assert sum(n["dots"] for n in visible) == summary["dots_total"]
    assert len({n["id"] for n in summary["needs"]}) == len(summary["needs"])
    merged = [m for n in summary["needs"] for m in n["merged_from"]]
    assert merged and not set(merged) & {n["id"] for n in summary["needs"]}
    assert {"id", "text", "theme", "dots", "backers", "hidden", "cites"} <= set(summary["needs"][0])
    # Needs cite what was said; the top need has an action under way, with its history.
    assert summary["statements_per_need"] and all(v >= 1 for v in summary["statements_per_need"].values())
    (action,) = summary["actions"]
    assert action["status"] == "in progress" and action["note"] == "The first group starts in spring."
    assert [h["status"] for h in action["history"]] == ["planned", "in progress"]
    assert summary["dots_moved_after_reveal"]["moved"] == 0  # the demo votes before the reveal
    # The same figures from the exports' tables.
    store = Store(db)
    try:
        wid = actions.find_workshop(store, demo["code"]).id
        tables = store.session_frames(wid, 3, HELP_RULE)
    finally:
        store.close()
    cited = tables["need_statements"].groupby("need_id").size()
    assert {str(k): int(v) for k, v in cited.items()} == summary["statements_per_need"]
    assert list(tables["follow_ups"]["title"]) == [a["title"] for a in summary["actions"]]
    assert list(tables["follow_up_history"]["status"]) == [h["status"] for h in action["history"]]
    moves = tables["dot_moves"]
    assert int(moves["revealed"].sum()) == summary["dots_moved_after_reveal"]["moved"]
    assert int(moves["change"].sum()) == summary["dots_total"]


def test_summary_of_an_unknown_code_says_so(tmp_path: Path):
    done = run_cli("summary", "QQQQQQ", "--db", str(tmp_path / "x.duckdb"), "--json")
    assert done.returncode == 1
    assert done.stderr.strip() == "No workshop has the code QQQQQQ. Check the code on the projector."


def test_init_seeds_the_demo_once_when_asked_and_prints_its_keys_only_when_asked(tmp_path: Path):
    db = tmp_path / "data" / "cocreate.duckdb"
    run = [sys.executable, "-m", "workshop", "init", "--db", str(db), "--url", "http://localhost:9999"]
    plain = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "The database is ready" in plain and not (db.parent / "demo-credentials.json").exists()
    first = subprocess.run(
        [*run, "--demo", "--show-keys"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    second = subprocess.run([*run, "--demo"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    credentials = json.loads((db.parent / "demo-credentials.json").read_text())
    for output in (first, second):
        assert f"http://localhost:9999/participate?code={credentials['code']}" in output
    assert credentials["facilitator_key"] in first and "http://localhost:9999/present?p=" in first
    assert credentials["facilitator_key"] not in second and credentials["presenter_token"] not in second
    assert (db.parent / "demo-credentials.json").stat().st_mode & 0o077 == 0  # its owner's only
    assert "Created" in first and "Created" not in second
    assert f"http://localhost:9999/participate?code={credentials['self_paced']['code']}" in first
    store = Store(db)
    assert len(store.all_workshops()) == 2
    assert store.workshop_by_code(credentials["code"]).phase is Phase.VOTE
    paced = store.workshop_by_code(credentials["self_paced"]["code"])
    assert paced.self_paced and paced.phase is Phase.PROPOSE
    assert paced.next_opening()[0] is Phase.VOTE and paced.next_opening()[1] > store.now()
    assert {by for *_moves, by in store.phase_moves(paced.id)} == {"schedule"}
    store.close()


def test_the_workshop_kept_in_memory_follows_every_settings_change_under_racing_readers(store, location):
    room = make_room(store)
    wid = room.workshop.id
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            store.workshop(wid)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    try:
        for phase in (Phase.SHARE, Phase.PROPOSE, Phase.VOTE, Phase.PROPOSE, Phase.VOTE):
            actions.set_phase(store, room.access, phase)
            assert store.workshop(wid).phase is phase
        actions.set_timer(store, room.access, 3)
        assert store.workshop(wid).timer_ends_at is not None
        actions.reveal_results(store, room.access)
        assert store.workshop(wid).revealed
    finally:
        stop.set()
        for t in readers:
            t.join()
    # A fresh store reading the database agrees with the one that kept the row in memory.
    store.close()
    again = Store(location)
    try:
        assert again.workshop(wid).phase is Phase.VOTE and again.workshop(wid).revealed
    finally:
        again.close()


def test_a_shared_value_may_lag_a_second_but_never_behind_a_removal(store, room):
    cache = LiveCache(store)
    wid = room.workshop.id
    room.to(Phase.SHARE)
    count = lambda: len(store.statements(wid))  # noqa: E731
    assert cache.get("n", wid, count, max_age=60) == 0
    said = actions.share(store, room.people[1], room.theme_ids[0], "Someone else's thought")
    # An addition: a young value may be served as it is.
    assert cache.get("n", wid, count, max_age=60) == 0
    # Without max_age every change is seen at once.
    assert cache.get("n", wid, count) == 1
    actions.share(store, room.people[0], room.theme_ids[0], "My own thought")
    assert cache.get("n", wid, count, max_age=60) == 1
    # Something taken away is never shown however young the value is.
    actions.withdraw_statement(store, room.people[1], said)
    assert cache.get("n", wid, count, max_age=60) == 1
    assert [s.text for s in store.statements(wid)] == ["My own thought"]


def test_a_value_made_of_a_lagging_one_says_so_and_is_made_again_once_it_may_no_longer_lag(store, room):
    """A room's view made at version V from a list a second old is that list's version, not
    V: it is made again when the second has passed, even if nothing else happens (before, it
    was kept for V for as long as the room stayed quiet, and a screen never saw the addition)."""
    now = [0.0]
    cache = LiveCache(store, clock=lambda: now[0])
    wid = room.workshop.id
    room.to(Phase.SHARE)

    def statements() -> list:
        return cache.get("statements", wid, lambda: store.statements(wid), max_age=1.0)

    def room_view() -> tuple[int, int]:
        return cache.get_versioned("room", wid, lambda: len(statements()), max_age=1.0)

    before, shown = room_view()
    assert shown == 0
    now[0] = 0.5
    actions.share(store, room.people[1], room.theme_ids[0], "Someone else's thought")
    assert room_view() == (before, 0)  # a young view lags, and says which version it shows
    now[0] = 0.7
    cache.forget("room", wid)  # made again within the second: from the lagging list
    made_for, shown = room_view()
    assert (made_for, shown) == (before, 0) and made_for < store.version(wid)
    now[0] = 1.8  # neither may lag any longer: the view is made again, with no new write
    made_for, shown = room_view()
    assert (made_for, shown) == (store.version(wid), 1)


def test_a_persons_own_backing_and_dots_count_exactly_in_a_room_list_that_lags(store, room):
    """Test that the room's list of needs, computed before or after a person's own backing and
    dots, shows that person the same totals once their own state is laid over it."""
    wid = room.workshop.id
    ann, bo, cy = room.people[:3]
    room.to(Phase.PROPOSE)
    need = actions.propose(store, bo, room.theme_ids[0], "Coaching")
    actions.back(store, cy, need)
    before = store.room_needs(wid)  # Cy's backing in it, none of Ann's
    actions.back(store, ann, need)
    after = store.room_needs(wid)
    mine = store.viewer_state(wid, ann.id)
    assert mine.need(before.by_id[need], before).backers == mine.need(after.by_id[need], after).backers == 2
    assert mine.need(before.by_id[need], before).i_backed
    room.to(Phase.VOTE)
    actions.place_dot(store, cy, need)
    before = store.room_needs(wid)
    actions.place_dot(store, ann, need)
    actions.place_dot(store, ann, need)
    actions.remove_dot(store, ann, need)
    actions.place_dot(store, ann, need)
    after = store.room_needs(wid)
    mine = store.viewer_state(wid, ann.id)
    for seen in (before, after):
        shown = mine.need(seen.by_id[need], seen)
        assert (shown.dots, shown.my_dots, shown.backers, shown.i_backed) == (3, 2, 2, True)
    # Others' later dots may lag, never the person's own.
    actions.place_dot(store, cy, need)
    assert mine.need(after.by_id[need], after).dots == 3
    assert store.needs(wid)[0].dots == 4


def test_a_viewer_state_lays_one_persons_actions_over_the_shared_lists(store, room):
    wid = room.workshop.id
    ann, bo = room.people[:2]
    room.to(Phase.SHARE)
    said = actions.share(store, bo, room.theme_ids[0], "Bo's view")
    actions.react(store, ann, said, "agree")
    room.to(Phase.PROPOSE)
    need = actions.propose(store, bo, room.theme_ids[0], "Coaching")
    actions.back(store, ann, need)
    room.to(Phase.VOTE)
    actions.place_dot(store, ann, need)
    actions.place_dot(store, ann, need)
    mine = store.viewer_state(wid, ann.id)
    assert [mine.need(n) for n in store.needs(wid)] == store.needs(wid, viewer_id=ann.id)
    assert [mine.statement(s) for s in store.statements(wid)] == store.statements(wid, viewer_id=ann.id)
    assert mine.dots_used == 2 and store.viewer_state(wid, bo.id).dots_used == 0


def test_a_person_just_joined_is_found_as_stored_and_their_first_writes_show(store):
    """Test that what the store keeps of a person who has just joined (found by their link,
    and that they did nothing yet) is what the database holds, and that their first
    reaction and statement show in their state at once."""
    room = make_room(store)
    wid = room.workshop.id
    joined, token = actions.join(store, room.workshop.code, "Cleo", "Ops")
    # store.participant reads the database.
    assert actions.resume(store, token) == joined == store.participant(joined.id)
    fresh = store.viewer_state(wid, joined.id)
    assert (fresh.reactions, fresh.statements, fresh.dots_used) == ({}, set(), 0)
    room.to(Phase.SHARE)
    assert (
        actions.find_workshop(store, room.workshop.code.lower()).phase is Phase.SHARE
    )  # found by code before
    said = actions.share(store, room.people[0], room.theme_ids[0], "Ann's view")
    actions.react(store, joined, said, "agree")
    mine = actions.share(store, joined, room.theme_ids[0], "Cleo's view")
    state = store.viewer_state(wid, joined.id)
    assert (state.reactions, state.statements) == ({said: Reaction.AGREE}, {mine})


def test_a_persons_kept_state_follows_their_own_writes_exactly_also_from_racing_tabs(store):
    """Test that the state the store keeps for a person between their writes (it is carried
    through each write without a read) is what the database holds, also when two of their
    tabs place and take back dots at the same moment."""
    room = make_room(store, rate_needs=True)
    wid = room.workshop.id
    ann, bo = room.people[:2]
    room.to(Phase.SHARE)
    said = actions.share(store, bo, room.theme_ids[0], "Bo's view")
    store.viewer_state(wid, ann.id)  # kept from here on
    actions.react(store, ann, said, "agree")
    actions.react(store, ann, said, "pass")
    room.to(Phase.PROPOSE)
    store.viewer_state(wid, bo.id)
    needs = [actions.propose(store, bo, room.theme_ids[0], f"Need {i}") for i in range(4)]
    assert (store.viewer_state(wid, bo.id).statements, store.viewer_state(wid, bo.id).needs) == (
        {said},
        set(needs),
    )
    store.viewer_state(wid, ann.id)
    actions.back(store, ann, needs[0])
    actions.back(store, ann, needs[1])
    actions.back(store, ann, needs[1], backed=False)
    room.to(Phase.VOTE)
    store.viewer_state(wid, ann.id)
    actions.rate(store, ann, needs[2], 4, 2)

    def held() -> dict:
        """What the database says, read past the kept state."""
        listed = store.needs(wid, viewer_id=ann.id)
        return {n.id: (n.i_backed, n.my_dots, n.my_importance, n.my_capability) for n in listed}

    def kept() -> dict:
        state = store.viewer_state(wid, ann.id)
        return {
            n: (n in state.backed, state.dots.get(n, 0), *state.ratings.get(n, (None, None))) for n in needs
        }

    actions.place_dot(store, ann, needs[0])
    actions.place_dot(store, ann, needs[0])
    actions.remove_dot(store, ann, needs[0])
    actions.place_dot(store, ann, needs[3])
    assert kept() == held()
    assert store.viewer_state(wid, ann.id).reactions == {said: Reaction.PASS}

    def tab(seed: int) -> None:
        pick = random.Random(seed)
        for _ in range(60):
            need = pick.choice(needs)
            with contextlib.suppress(CocreateError):
                if pick.random() < 0.6:
                    actions.place_dot(store, ann, need)
                else:
                    actions.remove_dot(store, ann, need)
            store.viewer_state(wid, ann.id)

    tabs = [threading.Thread(target=tab, args=(seed,)) for seed in range(3)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    assert kept() == held()
    assert (
        sum(store.viewer_state(wid, ann.id).dots.values()) == store.dots_used(ann) <= room.workshop.dot_budget
    )
    with contextlib.suppress(CocreateError):
        actions.place_dot(store, ann, needs[3])
    assert kept() == held()


def test_a_persons_viewer_version_moves_with_every_change_to_their_own_state(store, room):
    """Test that whatever changes what one person did (their own writes, a withdrawal, hide or
    merge by others) changes their viewer version, so a screen that keeps their state by that
    version never shows it stale."""
    wid = room.workshop.id
    ann, bo = room.people[:2]
    seen = {"version": store.viewer_version(wid, ann.id), "state": store.viewer_state(wid, ann.id)}

    def step(action, *, changes_ann: bool) -> None:
        action()
        version, state = store.viewer_version(wid, ann.id), store.viewer_state(wid, ann.id)
        assert (state != seen["state"]) == changes_ann
        if changes_ann:
            assert version != seen["version"]
        seen.update(version=version, state=state)

    room.to(Phase.SHARE)
    said = actions.share(store, bo, room.theme_ids[0], "Bo's view")
    step(lambda: actions.react(store, ann, said, "agree"), changes_ann=True)
    room.to(Phase.PROPOSE)
    first = actions.propose(store, bo, room.theme_ids[0], "Coaching")
    second = actions.propose(store, bo, room.theme_ids[0], "Mentoring")
    third = actions.propose(store, bo, room.theme_ids[1], "Pairing")
    gone = actions.propose(store, bo, room.theme_ids[1], "Shadowing")
    step(lambda: actions.back(store, ann, first), changes_ann=True)
    step(lambda: actions.back(store, ann, gone), changes_ann=True)
    step(lambda: actions.withdraw_need(store, bo, gone), changes_ann=True)  # Ann's backing goes with it
    room.to(Phase.VOTE)
    step(lambda: actions.place_dot(store, ann, first), changes_ann=True)
    step(lambda: actions.place_dot(store, ann, third), changes_ann=True)
    quiet = store.viewer_version(wid, ann.id)
    step(lambda: actions.place_dot(store, bo, second), changes_ann=False)
    if store.kind == "duckdb":  # every write goes through this store: others' dots leave Ann's alone
        assert store.viewer_version(wid, ann.id) == quiet
    step(lambda: actions.hide_need(store, room.access, third), changes_ann=True)  # Ann's dot comes back
    step(lambda: actions.merge_needs(store, room.access, first, second), changes_ann=True)  # it moves
    step(lambda: actions.rate(store, ann, second, 4, 2), changes_ann=True)
    assert seen["state"].dots == {second: 1} and seen["state"].backed == {second}


def test_a_hidden_item_leaves_every_shared_list_at_once_however_young_the_value(store, room):
    cache = LiveCache(store)
    wid = room.workshop.id
    room.to(Phase.SHARE)
    rude = actions.share(store, room.people[1], room.theme_ids[0], "Rude remark")
    texts = lambda: [s.text for s in store.statements(wid)]  # noqa: E731
    assert cache.get("s", wid, texts, max_age=60) == ["Rude remark"]
    actions.hide_statement(store, room.access, rude)
    assert cache.get("s", wid, texts, max_age=60) == []


def test_a_persons_own_statements_are_theirs_oldest_first_without_the_hidden(store, room):
    """The share board lists what `own_statements` returns after every write."""
    wid, (ann, bo, _) = room.workshop.id, room.people
    first, second = room.theme_ids[:2]
    room.to(Phase.SHARE)
    a1 = actions.share(store, ann, second, "Later theme, said first")
    actions.share(store, bo, first, "Bo's")
    a2 = actions.share(store, ann, first, "Second")
    a3 = actions.share(store, ann, first, "Third, hidden")
    actions.hide_statement(store, room.access, a3)
    assert store.own_statements(wid, ann.id) == [
        (a1, second, "Later theme, said first"),
        (a2, first, "Second"),
    ]
    assert [s.text for s in store.statements(wid, by=ann.id)] == [
        t for _, _, t in store.own_statements(wid, ann.id)
    ]


def test_a_persons_own_needs_are_theirs_oldest_first_with_their_backers(store, room):
    """The propose board lists what `own_needs` returns after every write: not the hidden
    ones, nor one merged into another's."""
    wid, (ann, bo, cy) = room.workshop.id, room.people
    first, second = room.theme_ids[:2]
    room.to(Phase.PROPOSE)
    n1 = actions.propose(store, ann, second, "Coaching, proposed first")
    bos = actions.propose(store, bo, first, "Bo's")
    n2 = actions.propose(store, ann, first, "Negotiation")
    n3 = actions.propose(store, ann, first, "Rude, hidden")
    n4 = actions.propose(store, ann, first, "Coaching skills, merged")
    actions.hide_need(store, room.access, n3)
    actions.merge_needs(store, room.access, n4, bos)
    actions.back(store, bo, n2, True)
    actions.back(store, cy, n2, True)
    actions.back(store, cy, n1, True)
    actions.back(store, cy, n1, False)
    assert store.own_needs(wid, ann.id) == [
        (n1, second, "Coaching, proposed first", 0),
        (n2, first, "Negotiation", 2),
    ]
    by_room = {n.id: (n.theme_id, n.text, n.backers) for n in store.needs(wid, by=ann.id)}
    assert by_room == {i: (t, text, b) for i, t, text, b in store.own_needs(wid, ann.id)}


def test_a_reveal_refreshes_every_shared_list_however_young_the_value(store, room):
    cache = LiveCache(store)
    wid = room.workshop.id
    room.to(Phase.PROPOSE)
    need = actions.propose(store, room.people[0], room.theme_ids[0], "Coaching skills")
    room.to(Phase.VOTE)
    totals = lambda: [n.dots for n in store.needs(wid)]  # noqa: E731
    assert cache.get("n", wid, totals, max_age=60) == [0]
    actions.place_dot(store, room.people[1], need)  # totals hidden: nobody else needs it yet
    assert cache.get("n", wid, totals, max_age=60) == [0]
    actions.reveal_results(store, room.access)
    assert cache.get("n", wid, totals, max_age=60) == [1]


@pytest.mark.postgresql
def test_postgresql_that_cannot_be_reached_is_refused_with_a_clear_message():
    with pytest.raises(StoreUnavailable) as refused:
        Store("postgresql://cocreate:secret-password@127.0.0.1:1/cocreate")
    assert "could not be reached" in refused.value.message
    assert "Check COCREATE_DATABASE_URL" in refused.value.message
    assert "secret-password" not in refused.value.message  # the password is never shown


@pytest.mark.postgresql
def test_a_dropped_postgresql_connection_is_replaced_before_the_next_action():
    import psycopg

    with pg_schema() as url:
        store = Store(url)
        try:
            room = make_room(store, participants=2)
            room.to(Phase.SHARE)
            with psycopg.connect(url, autocommit=True) as admin:  # as a database restart would
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'cocreate' AND pid <> pg_backend_pid()"
                )
            actions.share(store, room.people[0], room.theme_ids[0], "Still here")
            assert [s.text for s in store.statements(room.workshop.id)] == ["Still here"]
        finally:
            store.close()
