"""The load generator plays a small workshop against the real server, as the capacity runs do:
the smallest room and the shortest run that show each bench plays it right (the figures
themselves come from the benches' own runs, docs/capacity.md)."""

import pytest

from bench import load, rerun_cost, room_costs

pytestmark = pytest.mark.server  # each starts a real Cocreate process


def test_a_small_workshop_goes_through_every_step_without_errors_or_lost_votes(tmp_path):
    timeline = tmp_path / "timeline.csv"
    result = load.run(
        participants=4,
        duration=24,
        projectors=1,
        seed=3,
        workdir=tmp_path,
        timeline=timeline,
        floor_reruns=30,
        browsers=1,
    )

    assert result["errors"] == 0, result.get("first_errors")
    assert result["lost_votes"] == 0
    # Every participant opened the link, joined, shared, and spent all five dots.
    kinds = result["by_kind"]
    assert kinds["open"][0] == 4 and kinds["join"][0] == 4
    assert kinds["share"][0] == 8
    assert kinds.get("propose", [0])[0] + kinds.get("back", [0])[0] >= 4
    assert result["dots"] == 4 * 5
    # The projector ended up showing every dot the participants' screens confirmed.
    assert result["projector_dots"] == result["dots"]
    assert result["interactions"] == sum(n for n, _, _ in kinds.values())
    for figure in ("p50_ms", "p95_ms", "cpu_ms_per_interaction", "floor_cpu_ms_per_rerun", "mb_per_session"):
        assert result[figure] > 0, figure
    # The facilitator took the room through every phase, and each had its interactions.
    assert list(result["p95_ms_by_phase"]) == ["Lobby", "Share", "Propose", "Vote", "Results", "Closed"]
    assert all(result["p95_ms_by_phase"][phase] > 0 for phase in ("Lobby", "Share", "Propose", "Vote"))
    # Every participant's screen followed the room into every phase, Closed included.
    new_phase = result["new_phase_p95_ms"]
    assert list(new_phase) == ["share", "propose", "vote", "results", "closed"]
    assert all(ms is not None and ms > 0 for ms in new_phase.values()), new_phase
    # A real Chromium participant followed the room beside them, into Closed at least (it
    # may join after the first moves).
    assert (result["chromium_screens"], result.get("chromium_errors")) == (1, None)
    assert result["chromium_new_phase_p95_ms"]["closed"] > 0
    # The last line ends with the participant page runs per person: the join link's, and
    # none for the join or the workshop's moves (the participant's app asks the routes).
    assert list(result)[-1] == "page_runs_per_participant"
    assert result["page_runs_per_participant"] == 1.0
    rows = timeline.read_text().splitlines()
    assert rows[0] == "seconds,kind,ms" and len(rows) == 1 + 6 + result["interactions"]
    assert [row.split(",")[1] for row in rows if ",phase " in row] == [
        "phase Lobby",
        "phase Share",
        "phase Propose",
        "phase Vote",
        "phase Results",
        "phase Closed",
    ]


def test_the_room_costs_measure_joining_open_tabs_a_projector_and_a_move_that_reaches_every_screen():
    # run() raises unless every tab showed the new phase after the move, without errors.
    costs = room_costs.run(participants=4, quiet_seconds=2.0)

    assert list(costs) == [
        "open and join, per person",
        "an open tab, per person and minute",
        "a projector, per minute",
        "a move, per person",
    ]
    assert costs["open and join, per person"] > 0 and costs["a move, per person"] > 0


def test_every_kind_of_page_run_and_request_is_measured_against_the_floor():
    # Enough runs for CPU read in 10 ms ticks.
    costs = rerun_cost.run(participants=6, runs=12, floor_reruns=30)

    for phase in ("share", "propose", "vote"):
        assert costs[f"participant page, {phase}"] > 0
        assert costs[f"projector page, {phase}"] > 0
    for request in ("share", "react (card", "back or take back", "propose or withdraw", "dot or take back"):
        assert any(name.startswith(request) for name in costs), request
    assert costs["empty page (floor)"] > 0


def test_a_self_paced_workshop_moves_by_its_schedule_while_people_come_and_go(tmp_path):
    result = load.run(
        participants=8,
        duration=30,
        projectors=1,
        seed=5,
        workdir=tmp_path,
        think=1.0,
        floor_reruns=10,
        self_paced=True,
    )
    assert result["errors"] == 0, result.get("first_errors")
    assert result["lost_votes"] == 0
    kinds = result["by_kind"]
    assert kinds["join"][0] == 8
    assert kinds["come back"][0] >= 1  # some came back in a later phase, by their link
    # Nobody clicked: the schedule moved the room, and the screens present followed it (people
    # come while Share, Propose or Vote is open).
    new_phase = result["new_phase_p95_ms"]
    assert new_phase["propose"] is not None and new_phase["vote"] is not None, new_phase
    assert result["dots"] > 0 and result["projector_dots"] == result["dots"]
