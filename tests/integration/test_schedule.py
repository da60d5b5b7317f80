"""Self-paced workshops: the schedule moves the room through every phase by itself, one move
per due time however many processes look, on a DuckDB file and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta

import icalendar
import pytest

from tests.conftest import make_room, pg_schema
from workshop import actions, schedule, templates, timezones
from workshop.errors import InvalidSetting
from workshop.model import Phase
from workshop.store import Store

START = datetime(2026, 12, 7, 7, 0)  # UTC: 09:00 in Helsinki


class Clock:
    """A store's clock the test turns."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def hours_apart(start: datetime = START) -> schedule.Schedule:
    """Share at `start`, then a phase every hour."""
    return tuple((phase, start + timedelta(hours=i)) for i, phase in enumerate(schedule.SCHEDULED))


def self_paced_room(store: Store, opens: schedule.Schedule | None = None, participants: int = 2):
    return make_room(
        store,
        participants=participants,
        self_paced=True,
        time_zone="Europe/Helsinki",
        schedule=opens or hours_apart(),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(START - timedelta(days=1))


@pytest.fixture
def timed_store(location, clock):
    s = Store(location, clock=clock)
    yield s
    s.close()


def test_a_self_paced_workshop_moves_itself_through_every_phase_to_closed(timed_store, clock):
    room = self_paced_room(timed_store)
    assert schedule.move_due(timed_store) == []  # nothing is due a day before
    seen = []
    for phase, at in hours_apart():
        clock.now = at - timedelta(seconds=1)
        assert schedule.move_due(timed_store) == []
        clock.now = at
        moved = schedule.move_due(timed_store)
        assert [(w.id, target) for w, target in moved] == [(room.created.workshop.id, phase)]
        seen.append(room.workshop.phase)
    assert seen == list(schedule.SCHEDULED)
    workshop = room.workshop
    assert workshop.revealed  # Results revealed the counts, as a move by hand does
    moves = timed_store.phase_moves(workshop.id)
    assert [(a, b, by) for a, b, _at, by in moves] == [
        (Phase.LOBBY, Phase.SHARE, "schedule"),
        (Phase.SHARE, Phase.PROPOSE, "schedule"),
        (Phase.PROPOSE, Phase.VOTE, "schedule"),
        (Phase.VOTE, Phase.RESULTS, "schedule"),
        (Phase.RESULTS, Phase.CLOSED, "schedule"),
    ]
    assert [at for _a, _b, at, _by in moves] == [at for _p, at in hours_apart()]
    clock.now += timedelta(days=3)
    assert schedule.move_due(timed_store) == []  # closed: the schedule is done


def test_a_process_that_was_down_when_phases_fell_due_moves_through_each_at_once(timed_store, clock):
    room = self_paced_room(timed_store)
    timed_store.set_webhook(room.created.workshop.id, "https://chat.example.org/hooks/a")
    clock.now = START + timedelta(hours=3, minutes=30)  # Share, Propose, Vote and Results have opened
    moved = schedule.move_due(timed_store)
    assert [target for _w, target in moved] == [Phase.RESULTS]
    assert room.workshop.phase is Phase.RESULTS and room.workshop.revealed
    assert [(a, b) for a, b, _at, _by in timed_store.phase_moves(room.created.workshop.id)] == [
        (Phase.LOBBY, Phase.SHARE),
        (Phase.SHARE, Phase.PROPOSE),
        (Phase.PROPOSE, Phase.VOTE),
        (Phase.VOTE, Phase.RESULTS),
    ]
    # The chat hears of the phase the room is in and of the results, not of phases long gone.
    posts = timed_store.posts(room.created.workshop.id)
    assert sorted(what.split(":")[0] for what, *_rest in posts) == ["opened", "results"]
    assert any("Results is open" in body for _what, body, *_rest in posts)


def test_a_move_by_hand_after_a_due_time_wins_and_a_paused_schedule_moves_nothing(timed_store, clock):
    room = self_paced_room(timed_store)
    clock.now = START + timedelta(minutes=70)  # Propose opened ten minutes ago
    schedule.move_due(timed_store)
    assert room.workshop.phase is Phase.PROPOSE
    clock.now += timedelta(minutes=5)
    room.to(Phase.SHARE)  # the facilitator gives Share more time
    clock.now += timedelta(minutes=5)
    assert schedule.move_due(timed_store) == []
    assert room.workshop.phase is Phase.SHARE
    actions.pause_schedule(timed_store, room.access)
    clock.now = START + timedelta(hours=2, minutes=1)  # Vote is due, but the schedule is paused
    assert schedule.move_due(timed_store) == []
    assert room.workshop.next_opening() is None  # a screen says no closing time then
    actions.pause_schedule(timed_store, room.access, False)
    assert [t for _w, t in schedule.move_due(timed_store)] == [Phase.VOTE]
    moves = timed_store.phase_moves(room.created.workshop.id)
    assert [by for *_rest, by in moves] == ["schedule", "schedule", "facilitator", "schedule"]


def test_a_phase_to_come_set_before_the_rooms_last_move_is_refused(timed_store, clock):
    """The schedule opens a phase only when its time came after the room last moved: a time
    set before that move would never fire, so the change is refused, saying what to do."""
    room = self_paced_room(timed_store)
    clock.now = START + timedelta(minutes=30)
    room.to(Phase.PROPOSE)  # by hand, at 09:30 in Helsinki, before Propose's time
    before = room.workshop.schedule
    early = tuple((p, START + timedelta(minutes=20)) if p is Phase.VOTE else (p, at) for p, at in before)
    early = ((Phase.SHARE, START - timedelta(hours=1)), (Phase.PROPOSE, START), *early[2:])
    with pytest.raises(
        InvalidSetting, match=r"Vote is set to open before the room last moved \(Mon 7 Dec 09:30\)"
    ):
        actions.set_schedule(timed_store, room.access, True, "Europe/Helsinki", early)
    assert room.workshop.schedule == before  # nothing stored
    # Phases already open may lie before the move; one to come after it is taken.
    later = ((Phase.SHARE, START - timedelta(hours=1)), (Phase.PROPOSE, START), *before[2:])
    actions.set_schedule(timed_store, room.access, True, "Europe/Helsinki", later)
    clock.now = before[2][1]
    assert [t for _w, t in schedule.move_due(timed_store)] == [Phase.VOTE]


def test_the_facilitator_changes_the_schedule_in_any_phase_and_it_is_checked(timed_store, clock):
    room = self_paced_room(timed_store)
    clock.now = START
    schedule.move_due(timed_store)
    later = hours_apart(START + timedelta(days=1))
    later = ((Phase.SHARE, START), *later[1:])
    actions.set_schedule(timed_store, room.access, True, "Europe/Helsinki", later)
    clock.now = START + timedelta(hours=2)  # the old Propose time: nothing opens now
    assert schedule.move_due(timed_store) == []
    assert room.workshop.next_opening() == (Phase.PROPOSE, later[1][1])
    swapped = (later[0], (Phase.PROPOSE, later[2][1]), (Phase.VOTE, later[1][1]), *later[3:])
    with pytest.raises(InvalidSetting, match="Vote must open after Propose"):
        actions.set_schedule(timed_store, room.access, True, "Europe/Helsinki", swapped)
    with pytest.raises(InvalidSetting, match="Results has none"):
        actions.set_schedule(
            timed_store,
            room.access,
            True,
            "Europe/Helsinki",
            tuple(p for p in later if p[0] is not Phase.RESULTS),
        )
    with pytest.raises(InvalidSetting, match="not a time zone"):
        actions.set_schedule(timed_store, room.access, True, "Mars/Olympus", later)
    assert room.workshop.schedule == later  # a refused change stores nothing
    actions.set_schedule(timed_store, room.access, False, "Europe/Helsinki", later)
    clock.now = START + timedelta(days=5)
    assert schedule.move_due(timed_store) == []  # live now: only the facilitator moves it
    assert room.workshop.phase is Phase.SHARE


@pytest.mark.postgresql
def test_two_processes_looking_at_once_make_exactly_one_move_per_due_time():
    with pg_schema() as url:
        clock = Clock(START - timedelta(hours=1))
        stores = [Store(url, clock=clock) for _ in range(2)]
        try:
            room = self_paced_room(stores[0])
            made: list[list] = [[], []]
            for _phase, at in hours_apart():
                clock.now = at
                ready = threading.Barrier(2)

                def look(i: int, ready: threading.Barrier = ready) -> None:
                    ready.wait()
                    made[i].extend(target for _w, target in schedule.move_due(stores[i]))

                threads = [threading.Thread(target=look, args=(i,)) for i in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            assert sorted(made[0] + made[1]) == sorted(schedule.SCHEDULED)
            moves = stores[1].phase_moves(room.created.workshop.id)
            assert [b for _a, b, _at, _by in moves] == list(schedule.SCHEDULED)
        finally:
            for s in stores:
                s.close()


def test_the_calendar_file_holds_each_phase_with_its_time(timed_store):
    room = self_paced_room(timed_store)
    link = "https://cocreate.example.org/participate?t=abc"
    made = timed_store.now()
    parsed = icalendar.Calendar.from_ical(schedule.calendar(room.workshop, link, made))
    events = list(parsed.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        f"Strategy 2027: {phase.label}" for phase in schedule.SCHEDULED
    ]
    for event, (_phase, at) in zip(events, hours_apart(), strict=True):
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == "Europe/Helsinki"
        assert start.replace(tzinfo=None) == timezones.to_local(at, "Europe/Helsinki")
        assert link in str(event["description"])
        assert event.decoded("dtstamp").replace(tzinfo=None) == made.replace(microsecond=0)  # made now
    assert events[0].decoded("dtend") == events[1].decoded("dtstart")  # Share lasts until Propose


def test_a_template_keeps_how_long_each_phase_stays_open(tmp_path):
    opens = schedule.from_days(datetime(2026, 12, 7, 9), {Phase.SHARE: 4, Phase.VOTE: 1}, "Europe/Helsinki")
    draft = templates.parse_template({"title": "T", "themes": [{"title": "A"}]}, "t").draft
    kept = templates.save_template(
        "Week",
        draft.__class__(
            **{**draft.__dict__, "self_paced": True, "time_zone": "Europe/Helsinki", "schedule": opens}
        ),
        directory=tmp_path,
    )
    loaded = templates.load_templates(tmp_path)[0].draft
    assert loaded.self_paced
    assert schedule.days_open(loaded.schedule, loaded.time_zone) == {
        Phase.SHARE: 4,
        Phase.PROPOSE: 2,
        Phase.VOTE: 1,
        Phase.RESULTS: 2,
    }
    assert kept.name == "Week"


def test_the_self_paced_demo_runs_through_every_phase_by_its_schedule_and_the_summary_lists_each_move(
    db_path,
):
    from tests.conftest import run_cli
    from workshop.demo import play_self_paced

    clock = Clock(START)
    store = Store(db_path, clock=clock)
    waited = []

    def wait(seconds: float) -> None:
        waited.append(seconds)
        clock.now += timedelta(seconds=seconds)

    told: list[str] = []
    result = play_self_paced(store, participants=30, minutes=5, wait=wait, say=told.append)
    workshop = store.workshop(result.created.workshop.id)
    assert workshop.phase is Phase.CLOSED
    assert clock.now - START < timedelta(minutes=5, seconds=31)  # every phase in five minutes
    assert len(result.participants) == 30
    joined = {p.id: p.joined_at for p, _token in result.participants}
    opened = dict((b, at) for _a, b, at, _by in store.phase_moves(workshop.id))
    # People came over the phases: some joined in Share, some in Propose, some in Vote …
    assert {Phase.SHARE, Phase.PROPOSE, Phase.VOTE} <= {
        max((p for p in opened if opened[p] <= at), key=lambda p: p.index) for at in joined.values()
    }
    # … and some who came in Share came back to vote.
    early = {pid for pid, at in joined.items() if at < opened[Phase.PROPOSE]}
    voters = set(store.read_df("SELECT DISTINCT participant_id FROM dots")["participant_id"])
    assert early & voters
    assert [line.split(" the schedule opened ")[-1] for line in told if "opened" in line] == [
        p.value for p in schedule.SCHEDULED
    ]
    store.close()

    ran = run_cli("summary", workshop.code, "--db", str(db_path), "--json")
    assert ran.returncode == 0, ran.stderr
    data = json.loads(ran.stdout)
    assert data["self_paced"] and data["phase"] == "closed"
    assert [s["phase"] for s in data["schedule"]] == [p.value for p in schedule.SCHEDULED]
    assert [(m["from"], m["to"], m["by"]) for m in data["moves"]] == [
        ("lobby", "share", "schedule"),
        ("share", "propose", "schedule"),
        ("propose", "vote", "schedule"),
        ("vote", "results", "schedule"),
        ("results", "closed", "schedule"),
    ]
    text = run_cli("summary", workshop.code, "--db", str(db_path))
    assert "Self-paced (UTC): 5 moves, 5 by the schedule" in text.stdout


def test_a_workshop_made_after_its_share_time_opens_share_at_the_first_look(timed_store, clock):
    clock.now = START + timedelta(minutes=30)
    room = self_paced_room(timed_store)  # Share's time, START, has passed already
    assert [t for _w, t in schedule.move_due(timed_store)] == [Phase.SHARE]
    assert room.workshop.phase is Phase.SHARE


def test_the_chats_webhook_is_checked_shown_masked_and_in_no_export(timed_store, tmp_path):
    from workshop import announce, exports, review
    from workshop.errors import InvalidSetting as Refused

    room = self_paced_room(timed_store)
    for wrong in ("ftp://hooks.example.org/x", "javascript:alert(1)", "hooks.example.org/x"):
        with pytest.raises(Refused, match="not a webhook address"):
            actions.set_webhook(timed_store, room.access, wrong)
    secret = "https://hooks.example.org/services/T00/B00/SeCrEtPaRt1234"
    assert actions.set_webhook(timed_store, room.access, f"  {secret} ")
    assert timed_store.webhook(room.created.workshop.id) == secret
    assert announce.masked(secret) == "https://hooks.example.org/…1234"
    files = exports.export_tables(timed_store, room.created.workshop.id, "csv", tmp_path / "csv", 3)
    files += exports.export_tables(timed_store, room.created.workshop.id, "xlsx", tmp_path / "xlsx", 3)
    for path in files:
        if path.suffix == ".xlsx":  # a zip: read its cells
            import openpyxl

            book = openpyxl.load_workbook(path)
            cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
            assert not [c for c in cells if "SeCrEt" in c]
        else:
            assert b"SeCrEt" not in path.read_bytes(), path.name
    summary = review.session_summary(timed_store, room.created.workshop.id, 3)
    assert "SeCrEt" not in exports.markdown_report(summary, [])
    assert not actions.set_webhook(timed_store, room.access, "   ")  # empty: no more posts
    assert timed_store.webhook(room.created.workshop.id) is None


def test_a_due_reminder_is_queued_once_and_later_looks_write_nothing(timed_store, clock):
    opens = [
        (Phase.SHARE, START),
        *((p, START + timedelta(days=2 + i)) for i, p in enumerate(schedule.SCHEDULED[1:])),
    ]
    room = self_paced_room(timed_store, tuple(opens))
    timed_store.set_webhook(room.created.workshop.id, "https://chat.example.org/hooks/a")
    clock.now = START + timedelta(days=1, hours=12)  # Share closes within a day, open a day and a half
    schedule.move_due(timed_store)  # Lobby to Share (made after its time): no reminder at this look
    before = timed_store.version(room.created.workshop.id)
    schedule.move_due(timed_store)  # the reminder is due: queued
    queued = timed_store.version(room.created.workshop.id)
    assert queued != before
    for _look in range(3):
        schedule.move_due(timed_store)
    assert timed_store.version(room.created.workshop.id) == queued  # later looks write nothing
    assert [what.split(":")[0] for what, *_rest in timed_store.posts(room.created.workshop.id)].count(
        "closing"
    ) == 1
