"""How long a dot takes to reach the projector, measured in real browsers.

Starts the app (deploy/server.py) on a temporary database holding a workshop in the Vote phase,
opens the presenter screen and one participant in Chromium, places dots one by one and
times each from the click to the projector showing the new total.

    python -m bench.vote_to_present [--samples 10]

Prints one JSON object last: {"samples": N, "median_ms": .., "p95_ms": .., "max_ms": ..}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.browsers import ARGS
from deploy.server import AppServer
from workshop import actions
from workshop.model import Phase, ThemeDraft, WorkshopDraft
from workshop.store import Store


def prepare(db: Path, needs: int) -> tuple[str, str]:
    store = Store(db)
    draft = WorkshopDraft(
        "Latency check", "Measure the room.", (ThemeDraft("Theme"),), dot_budget=20, per_need_cap=20
    )
    created = actions.create_workshop(store, draft)
    access = actions.access_for(store, created.session_token)
    author, _ = actions.join(store, created.workshop.code, "Author")
    actions.set_phase(store, access, Phase.PROPOSE)
    for i in range(needs):
        actions.propose(store, author, created.workshop.themes[0].id, f"Need {i + 1}")
    actions.set_phase(store, access, Phase.VOTE)
    store.close()
    return created.workshop.code, created.presenter_token


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        code, presenter = prepare(db, needs=3)
        server = AppServer(db)
        server.start()
        url = server.url
        try:
            delays = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                projector = browser.new_page(viewport={"width": 1920, "height": 1080})
                projector.goto(f"{url}/present?p={presenter}")
                participant = browser.new_page(viewport={"width": 1200, "height": 900})
                participant.goto(f"{url}/participate?code={code}")
                participant.locator("[data-board=join]").get_by_role(
                    "button", name="Join the workshop"
                ).click()
                adds = participant.locator("[data-board=vote_board]").get_by_role("button", name="Add a dot")
                adds.first.wait_for()
                total = projector.locator(".cc-big").nth(1)
                total.wait_for()
                for i in range(args.samples):
                    expected = str(i + 1)
                    button = adds.nth(i % 3)
                    button.wait_for()
                    time.sleep(0.3)
                    start = time.perf_counter()
                    button.click()
                    projector.wait_for_function(
                        "n => document.querySelectorAll('.cc-big')[1]?.textContent.trim() === n",
                        arg=expected,
                        timeout=10000,
                        polling=10,
                    )
                    delays.append((time.perf_counter() - start) * 1000)
                    participant.get_by_text(f"{20 - i - 1} of 20").wait_for()
                browser.close()
        finally:
            server.stop()
    delays.sort()
    result = {
        "samples": len(delays),
        "median_ms": round(statistics.median(delays)),
        "p95_ms": round(delays[min(len(delays) - 1, int(0.95 * len(delays)))]),
        "max_ms": round(max(delays)),
    }
    print("vote-to-projector delays (ms):", [round(d) for d in delays])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
