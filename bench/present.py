"""How fast the projector screen refreshes after a change, and how often it is computed.

Builds workshops with about 1 000, 100 000 and 1 000 000 dots and reactions (half each)
in a temporary DuckDB file, then for each, in the Vote (revealed), Results and Share phases:
places one dot or reaction through the real actions (one change) and times building
everything the Present page shows for that phase (median of several runs). Then 50
simulated viewers read the screen at once after one change, and the computations of the
screen are counted (1: one computation serves every viewer).

    python -m bench.present [--sizes 1000 100000 1000000] [--runs 5]

Prints one JSON object last:
{"rows": [...], "refresh_ms": [...], "computations_50_viewers": N, ...}
where refresh_ms is the slowest phase's median at each size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from workshop import actions
from workshop.live import LiveCache
from workshop.model import Phase, ThemeDraft, WorkshopDraft
from workshop.screens import present_screen
from workshop.store import Store

TEAMS = 10
NEEDS = 40
BUDGET = 5
WORDS = [
    "customer",
    "service",
    "data",
    "digital",
    "team",
    "learning",
    "coaching",
    "feedback",
    "tools",
    "process",
    "quality",
    "speed",
    "trust",
]


def build(path: Path, rows: int) -> tuple[int, str]:
    """A workshop with `rows` dots and reactions; returns its id and a facilitator session token."""
    store = Store(path)
    draft = WorkshopDraft(
        "Benchmark",
        "Measure the projector.",
        tuple(ThemeDraft(f"Theme {i}") for i in range(1, 4)),
        dot_budget=BUDGET,
        per_need_cap=BUDGET,
        hide_results=False,
    )
    created = actions.create_workshop(store, draft)
    wid, themes = created.workshop.id, [t.id for t in created.workshop.themes]
    store.close()

    dots = rows // 2
    people = max(dots // BUDGET, 20)
    statements = max(min(people // 20, 5000), 10)
    per_person = max((rows - dots) // people, 1)
    con = duckdb.connect(str(path))
    statements_sql = f"""
        INSERT INTO participants (id, workshop_id, token_hash, name, team, joined_at) SELECT i, {wid}, 'bench-' || i, 'Person ' || i, 'Team ' || (i % {TEAMS}),
               now()::TIMESTAMP FROM range(1, {people} + 1) t(i);
        INSERT INTO statements SELECT i, {wid}, list_extract($themes, 1 + i % 3), 1 + i % {people},
               list_extract($words, 1 + i % {len(WORDS)}) || ' ' || list_extract($words, 1 + (i * 7) % {len(WORDS)}) || ' matters to us',
               false, now()::TIMESTAMP, now()::TIMESTAMP FROM range(1, {statements} + 1) t(i);
        INSERT INTO reactions SELECT 1 + (p * 31 + k * 17) % {statements}, p, {wid},
               CASE (p + k) % 4 WHEN 3 THEN 'disagree' WHEN 2 THEN 'pass' ELSE 'agree' END, now()::TIMESTAMP
               FROM range(1, {people} + 1) a(p), range(0, {per_person}) b(k) ON CONFLICT DO NOTHING;
        INSERT INTO needs SELECT i, {wid}, list_extract($themes, 1 + i % 3), i, 'Need number ' || i, false, NULL,
               now()::TIMESTAMP, now()::TIMESTAMP FROM range(1, {NEEDS} + 1) t(i);
        INSERT INTO dots SELECT {wid}, p, s, 1 + (p * 3 + s * 11) % {NEEDS}, s, now()::TIMESTAMP
               FROM range(1, {people} + 1) a(p), range(0, {BUDGET}) b(s);
        INSERT INTO ratings SELECT n, p, {wid}, 1 + (p + n) % 5, 1 + (p * n) % 5, now()::TIMESTAMP
               FROM range(1, {NEEDS} + 1) a(n), range(1, least({people}, 200) + 1) b(p)
        """
    for sql in statements_sql.split(";"):
        params = {k: v for k, v in {"themes": themes, "words": WORDS}.items() if f"${k}" in sql}
        con.execute(sql, params)
    for sequence, table in [
        ("participant_ids", "participants"),
        ("statement_ids", "statements"),
        ("need_ids", "needs"),
    ]:
        top = con.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        con.execute(f"DROP SEQUENCE {sequence}; CREATE SEQUENCE {sequence} START {top + 1}")
    con.execute("CHECKPOINT")
    con.close()
    return wid, created.session_token


def measure(path: Path, wid: int, session: str, runs: int) -> dict:
    store = Store(path)
    access = actions.access_for(store, session)
    spare, _ = actions.join(store, store.workshop(wid).code, "Spare", "Team 0")
    counts = {
        "dots": store.read_df("SELECT count(*) AS n FROM dots")["n"][0],
        "reactions": store.read_df("SELECT count(*) AS n FROM reactions")["n"][0],
    }
    statement = int(store.read_df("SELECT min(id) AS id FROM statements")["id"][0])
    result: dict = {"rows": int(counts["dots"] + counts["reactions"]), "phases": {}}
    cache = LiveCache(store)
    for phase in (Phase.SHARE, Phase.VOTE, Phase.RESULTS):
        actions.set_phase(store, access, phase)
        timings = []
        for run in range(runs):
            if phase is Phase.SHARE:
                actions.react(store, spare, statement, ["agree", "disagree", "pass"][run % 3])
            elif phase is Phase.VOTE:
                # A dot placed, then taken back: the budget never runs out, however many runs.
                if run % 2 == 0:
                    actions.place_dot(store, spare, 1)
                else:
                    actions.remove_dot(store, spare, 1)
            else:
                actions.reveal_results(store, access)
            start = time.perf_counter()
            cache.get("present", wid, lambda: present_screen(store, wid, cache.previous("present", wid)))
            timings.append((time.perf_counter() - start) * 1000)
        result["phases"][phase.value] = round(statistics.median(timings), 1)

    # 50 viewers refresh at the same moment after one change.
    actions.reveal_results(store, access)
    computed: list[int] = []
    barrier = threading.Barrier(50)

    def compute():
        computed.append(1)
        return present_screen(store, wid, cache.previous("present", wid))

    def viewer() -> None:
        barrier.wait()
        cache.get("present", wid, compute)

    threads = [threading.Thread(target=viewer) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result["computations_50_viewers"] = len(computed)
    store.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"present-{size}.duckdb"
            started = time.perf_counter()
            wid, session = build(path, size)
            built = time.perf_counter() - started
            measured = measure(path, wid, session, args.runs)
            print(
                f"{measured['rows']:>9} rows (built in {built:.1f} s): median ms per phase {measured['phases']}, "
                f"{measured['computations_50_viewers']} computation(s) of the screen for 50 viewers"
            )
            results.append(measured)
    print(
        json.dumps(
            {
                "rows": [r["rows"] for r in results],
                "refresh_ms": [max(r["phases"].values()) for r in results],
                "refresh_ms_by_phase": [r["phases"] for r in results],
                "computations_50_viewers": max(r["computations_50_viewers"] for r in results),
            }
        )
    )


if __name__ == "__main__":
    main()
