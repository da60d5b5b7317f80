"""Regenerate docs/capacity.md: the load test at 25 … 400 participants and the cost of each page run.

    python -m bench.capacity [--sizes 25 50 100 200 400] [--duration 240] [--think 8]

Takes about five minutes per size on the 2-core development machine. Run it on a quiet
machine: anything else using the CPU lowers the figures.
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

from bench import load, rerun_cost
from bench.server import ROOT

COLUMNS = (
    ("participants", "People"),
    ("interactions", "Interactions"),
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
    ("vote_to_present_p95_ms", "Vote→projector p95 ms"),
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
        "| "
        + " | ".join("never (>5% unseen)" if r.get(k) is None else f"{r.get(k):,}" for k, _ in COLUMNS)
        + " |"
        for r in rows
    ]
    return "\n".join([head, rule, *body])


def cost_table(costs: dict[str, float]) -> str:
    floor = costs["empty page (floor)"]
    lines = ["| Page run | Server CPU ms | × floor |", "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {ms / floor:.1f} |" for name, ms in costs.items()]
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, streamlit "
            f"{streamlit.__version__}, commit {commit.stdout.strip() or 'unknown'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400])
    parser.add_argument("--duration", type=float, default=240)
    parser.add_argument("--think", type=float, default=8.0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "capacity.md")
    args = parser.parse_args()

    costs = rerun_cost.run(participants=300, runs=60)
    print(json.dumps(costs), flush=True)
    rows = []
    for size in args.sizes:
        result = load.run(size, args.duration, think=args.think)
        print(json.dumps(result), flush=True)
        rows.append(result)
    template = (ROOT / "bench" / "capacity_template.md").read_text()
    args.out.write_text(
        template.format(
            when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            machine=machine(),
            duration=round(args.duration),
            think=args.think,
            table=table(rows),
            costs=cost_table(costs),
            raw="\n".join(json.dumps(r) for r in rows),
        )
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
