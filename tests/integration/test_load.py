"""The load generator plays a small workshop against the real server, as the capacity runs do."""

from bench import capacity, load, rerun_cost, room_costs


def test_a_small_workshop_goes_through_every_step_without_errors_or_lost_votes(tmp_path):
    timeline = tmp_path / "timeline.csv"
    result = load.run(participants=4, duration=30, projectors=1, seed=3, workdir=tmp_path, timeline=timeline,
                      clock_db=True)  # fmt: skip

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
    assert list(result["p95_ms_by_phase"]) == ["Lobby", "Share", "Propose", "Vote"]
    assert all(ms > 0 for ms in result["p95_ms_by_phase"].values())
    # The server timed its database calls: a share of its CPU, every write committed.
    assert 0 < result["db_cpu_ms_per_interaction"] < result["cpu_ms_per_interaction"]
    assert 0 < result["db_share_of_cpu"] < 1
    statements = {sql: (calls, ms) for sql, calls, ms in result["db_statements"]}
    assert statements["COMMIT"][0] >= 4 * (1 + 2 + 5) and statements["COMMIT"][1] > 0
    rows = timeline.read_text().splitlines()
    assert rows[0] == "seconds,kind,ms" and len(rows) == 1 + 4 + result["interactions"]
    assert [row.split(",")[1] for row in rows if ",phase " in row] == [
        "phase Lobby", "phase Share", "phase Propose", "phase Vote"]  # fmt: skip


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
    costs = rerun_cost.run(participants=6, runs=12)  # enough runs for CPU read in 10 ms ticks

    for phase in ("share", "propose", "vote"):
        assert costs[f"participant page, {phase}"] > 0
        assert costs[f"projector page, {phase}"] > 0
    for request in ("share", "react (card", "back or take back", "propose or withdraw", "dot or take back"):
        assert any(name.startswith(request) for name in costs), request
    assert costs["empty page (floor)"] > 0


def test_the_capacity_page_adds_up_what_a_person_costs_beside_their_clicks(tmp_path):
    row = {"participants": 300, "replicas": 1, "interactions": 4650, "errors": 0, "lost_votes": 0}
    results = {
        "when": "2026-11-30 17:00 UTC", "machine": "2 cores", "duration": 240, "think": 8.0,
        "single": [row], "costs": {"share (board request)": 4.0, "empty page (floor)": 2.0},
        "room_costs": {"open and join, per person": 20.0, "an open tab, per person and minute": 2.0,
                       "a projector, per minute": 240.0, "a move, per person": 10.0},
    }  # fmt: skip
    out = tmp_path / "capacity.md"

    capacity.render(results, out)

    page = out.read_text()
    assert "| share (board request) | 4.0 | 2.0 |" in page
    assert "| a move, per person | 10.0 | 5.0 |" in page
    # 20 to join, 3 moves of 10, 4 minutes of an open tab at 2: 58 ms, 29 floors.
    assert "| a person through this workshop (4 min, three moves) | 58.0 | 29.0 |" in page
    assert "{" not in page.split("## Raw results")[0], "a placeholder was left unfilled"
