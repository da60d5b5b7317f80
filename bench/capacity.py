"""Regenerate docs/capacity.md: the load test at 25 … 800 participants, the cost of each page
run and of the room beside its clicks (joining, open tabs, moves, projectors), and one
against two replicas on PostgreSQL.

    python -m bench.capacity [--sizes 25 50 100 200 400 800] [--duration 240] [--think 8]
        [--database-url postgresql://... --replica-sizes 300 500]
    python -m bench.capacity --only replicas --database-url postgresql://...   # that part again
    python -m bench.capacity --only costs   # the page runs' and the room's costs again (8 min)
    python -m bench.capacity --render      # rewrite the page from docs/capacity.json

Takes about five minutes per run on the 2-core development machine. Run it on a quiet
machine: anything else using the CPU lowers the figures. Every result is kept in
docs/capacity.json, so one part can be measured again without the others.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import streamlit

from bench import load, rerun_cost, room_costs
from bench.server import ROOT

COLUMNS = (
    ("participants", "People"),
    ("replicas", "Processes"),
    ("interactions", "Interactions"),
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
    ("vote_to_present_p95_ms", "Vote→projector p95 ms"),
    ("phase_to_screens_p95_ms", "New phase on screens p95 ms"),
    ("cpu_ms_per_interaction", "Server CPU ms / interaction"),
    ("rerun_cpu_ms", "CPU ms / page run"),
    ("floor_cpu_ms_per_rerun", "Floor ms / rerun"),
    ("server_cpu_pct", "Server CPU %"),
    ("mb_per_session", "MB / session"),
    ("errors", "Errors"),
    ("lost_votes", "Lost votes"),
)


def table(rows: list[dict]) -> str:
    head = "| " + " | ".join(title for _, title in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = [
        "| " + " | ".join("—" if r.get(k) is None else f"{r.get(k):,}" for k, _ in COLUMNS) + " |"
        for r in rows
    ]
    return "\n".join([head, rule, *body])


def cost_table(costs: dict[str, float]) -> str:
    floor = costs["empty page (floor)"]
    lines = ["| Page run | Server CPU ms | × floor |", "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {ms / floor:.1f} |" for name, ms in costs.items()]
    return "\n".join(lines)


def room_cost_table(costs: dict[str, float], floor: float, minutes: float) -> str:
    """The room's costs beside its clicks, and what one person adds through a workshop of
    `minutes` with three moves (Share, Propose, Vote)."""
    lines = ["| Part | Server CPU ms | × floor |", "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {ms / floor:.1f} |" for name, ms in costs.items()]
    person = (
        costs["open and join, per person"]
        + 3 * costs["a move, per person"]
        + minutes * costs["an open tab, per person and minute"]
    )
    lines.append(
        f"| a person through this workshop ({minutes:g} min, three moves) | {person:.1f} | {person / floor:.1f} |"
    )
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, streamlit "
            f"{streamlit.__version__}, commit {commit.stdout.strip() or 'unknown'}")  # fmt: skip


def render(results: dict, out: Path) -> None:
    template = (ROOT / "bench" / "capacity_template.md").read_text()
    replica_rows = sorted(results.get("replicas", []), key=lambda r: (r["participants"], r["replicas"]))
    out.write_text(
        template.replace("{when}", results["when"])
        .replace("{machine}", results["machine"])
        .replace("{replica_when}", results.get("replica_when", "not yet"))
        .replace("{replica_machine}", results.get("replica_machine", ""))
        .replace("{duration}", str(round(results["duration"])))
        .replace("{think}", str(results["think"]))
        .replace("{table}", table(results["single"]))
        .replace(
            "{replica_table}", table(replica_rows) if replica_rows else "(not measured: give --database-url)"
        )
        .replace("{costs}", cost_table(results["costs"]))
        .replace("{costs_when}", results.get("costs_when", results["when"]))
        .replace("{costs_machine}", results.get("costs_machine", results["machine"]))
        .replace(
            "{room_costs}",
            room_cost_table(
                results["room_costs"], results["costs"]["empty page (floor)"], results["duration"] / 60
            )
            if "room_costs" in results
            else "(not measured yet)",
        )
        .replace("{raw}", "\n".join(json.dumps(r) for r in [*results["single"], *replica_rows]))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400, 800])
    parser.add_argument("--replica-sizes", type=int, nargs="+", default=[300, 500])
    parser.add_argument("--database-url", default=None, help="PostgreSQL for the replica runs")
    parser.add_argument("--duration", type=float, default=240)
    parser.add_argument("--think", type=float, default=8.0)
    parser.add_argument("--only", choices=["single", "replicas", "costs"], default=None,
                        help="costs: only what each page run and the room beside its clicks cost")  # fmt: skip
    parser.add_argument("--render", action="store_true", help="only rewrite the page from the JSON")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "capacity.md")
    args = parser.parse_args()
    kept = args.out.with_suffix(".json")
    results = json.loads(kept.read_text()) if kept.exists() else {}
    if not args.render:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        results.update(duration=args.duration, think=args.think)
        if args.only in (None, "single", "costs"):
            results.update(costs_when=now, costs_machine=machine())
            results["costs"] = rerun_cost.run(participants=300, runs=60)
            print(json.dumps(results["costs"]), flush=True)
            results["room_costs"] = room_costs.run(participants=300)
            print(json.dumps(results["room_costs"]), flush=True)
        if args.only in (None, "single"):
            results.update(when=now, machine=machine())
            results["single"] = []
            for size in args.sizes:
                results["single"].append(load.run(size, args.duration, think=args.think))
                print(json.dumps(results["single"][-1]), flush=True)
                kept.write_text(json.dumps(results, indent=1))
        if args.only in (None, "replicas") and args.database_url:
            results.update(replica_when=now, replica_machine=machine())
            results["replicas"] = []
            for size in args.replica_sizes:
                for replicas in (1, 2):
                    result = load.run(size, args.duration, think=args.think, database_url=args.database_url,
                                      replicas=replicas)  # fmt: skip
                    results["replicas"].append(result)
                    print(json.dumps(result), flush=True)
                    kept.write_text(json.dumps(results, indent=1))
        kept.write_text(json.dumps(results, indent=1))
    render(results, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
