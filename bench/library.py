"""How fast the practice library answers a search: 10 000 practices (and their marks) from
100 workshops in a temporary DuckDB file, searched by a word of their descriptions, by
theme, and unfiltered, as Review's library tab does (views.library: how many match, and
the first page of 30 drawn), each the median of several runs.

    python -m bench.library [--practices 10000] [--runs 7]

Prints one JSON object last: {"practices": N, "search_ms": … (a few words: about 1 % match),
"broad_search_ms": … (a word in 30 %), "theme_ms": …, "all_ms": …, "filter_lists_ms": …,
"found": {...}}; the target is a search under 100 ms at 10 000 practices.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from workshop import actions, views
from workshop.model import ThemeDraft, WorkshopDraft
from workshop.store import Store

WORKSHOPS = 100
PEOPLE = 30  # per workshop
WORDS = ["customer", "weekly", "demo", "pair", "review", "checklist", "dashboard", "coaching", "map", "test"]


def build(path: Path, practices: int) -> None:
    """WORKSHOPS workshops of PEOPLE people each, and `practices` practices spread over them,
    about a third of them marked by a few people."""
    store = Store(path)
    draft = WorkshopDraft(
        "Library benchmark", "Measure the library.", tuple(ThemeDraft(f"Theme {i}") for i in range(1, 4))
    )
    for _ in range(WORKSHOPS):
        actions.create_workshop(store, draft)
    store.close()
    con = duckdb.connect(str(path))
    try:
        con.execute(
            f"""
            INSERT INTO participants (id, workshop_id, token_hash, name, team, joined_at)
            SELECT i, 1 + i % {WORKSHOPS}, 'bench-' || i, 'Person ' || i, 'Team ' || (i % 7), now()::TIMESTAMP
            FROM range(1, {WORKSHOPS * PEOPLE} + 1) t(i)
            """
        )
        con.execute(
            f"""
            INSERT INTO practices (id, workshop_id, theme_id, participant_id, title, description, show_name,
                                   created_at, updated_at)
            SELECT i, 1 + i % {WORKSHOPS}, 3 * (i % {WORKSHOPS}) + 1 + i % 3, 1 + i % ({WORKSHOPS * PEOPLE}),
                   'Practice ' || i || ': ' || list_extract($words, 1 + i % {len(WORDS)}),
                   'We ' || list_extract($words, 1 + (i * 3) % {len(WORDS)}) || ' every week; it changed '
                   || list_extract($words, 1 + (i * 7) % {len(WORDS)}) || ' for us.',
                   i % 2 = 0, now()::TIMESTAMP - INTERVAL (i) MINUTE, now()::TIMESTAMP
            FROM range(1, {practices} + 1) t(i)
            """,
            {"words": WORDS},
        )
        con.execute(
            f"""
            INSERT INTO practice_reactions
            SELECT p.id, 1 + (p.id * 13 + k) % ({WORKSHOPS * PEOPLE}), p.workshop_id,
                   CASE WHEN k % 2 = 0 THEN 'do_too' ELSE 'want_to_try' END, now()::TIMESTAMP
            FROM practices p, range(0, 4) r(k) WHERE p.id % 3 = 0
            """
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


def median_ms(runs: int, work) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = work()[0]
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1), found


def run(practices: int = 10_000, runs: int = 7) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "library.duckdb"
        build(path, practices)
        store = Store(path)
        try:
            # As the library tab asks: how many match, and the first page of them drawn.
            page = 30
            search_ms, searched = median_ms(runs, lambda: views.library(store, "practice 42", limit=page))
            broad_ms, broad = median_ms(runs, lambda: views.library(store, "dashboard", limit=page))
            theme_ms, themed = median_ms(runs, lambda: views.library(store, "", "theme 2", limit=page))
            all_ms, everything = median_ms(runs, lambda: views.library(store, limit=page))
            lists_ms, _ = median_ms(runs, lambda: store.library_themes() + store.library_teams(3))
        finally:
            store.close()
    return {
        "practices": practices,
        "search_ms": search_ms,
        "broad_search_ms": broad_ms,
        "theme_ms": theme_ms,
        "all_ms": all_ms,
        "filter_lists_ms": lists_ms,
        "found": {"search": searched, "broad_search": broad, "theme": themed, "all": everything},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(run(args.practices, args.runs)))


if __name__ == "__main__":
    main()
