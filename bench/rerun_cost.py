"""What one page run costs the server, by kind, next to the empty page's floor.

Starts the app on a database holding the demo workshop at 300 participants, once in each
of Share, Propose and Vote, and one tab at a time runs each kind of page run many times
in a row while the server's CPU time (user + system, from /proc) is read before and
after. No other load: these are the costs that the load test multiplies. A participant's
"check" is their app asking `/api/room` (no page run), as it does without its stream; a
"view" is `GET api/view`, what the app asks when the room moved.

    python -m bench.rerun_cost [--participants 300] [--runs 100]

Prints one JSON object last: {kind: ms of server CPU per run}.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from bench.load import cpu_seconds, measure_floor
from deploy.server import AppServer
from deploy.wire import (
    APP,
    Tab,
    back_request,
    board_dot,
    card_request,
    propose_request,
    run_sync,
    share_request,
    view_request,
)
from ui.components import projector
from web import paths
from workshop import actions, demo
from workshop.model import Phase
from workshop.store import Store


def prepare(db: Path, participants: int) -> dict[str, tuple[str, str]]:
    """Per phase: (participant link token, presenter link token)."""
    store = Store(db)
    links = {}
    for phase in (Phase.SHARE, Phase.PROPOSE, Phase.VOTE):
        made = demo.create_demo(store, participants=participants, until=phase)
        links[phase.value] = (made.participants[0][1], made.created.presenter_token)
        if phase is Phase.VOTE:
            # Leave the first person's dots unspent, so that a click can place one.
            first = made.participants[0][0]
            for need in store.needs(made.created.workshop.id, viewer_id=first.id):
                for _ in range(need.my_dots):
                    actions.remove_dot(store, first, need.id)
    store.close()
    return links


def place_and_take_back(need_id: int):
    """A step that places a dot on a need as the vote board does (`POST api/dots`), then
    takes it back, and so on."""
    clicks = [0]

    async def step(tab: Tab) -> None:
        clicks[0] += 1
        code, answer = await board_dot(tab, need_id, 1 if clicks[0] % 2 else -1)
        assert code == 200, answer

    return step


def write_and_withdraw(route: str, item: str, write):
    """A step that writes as the app does (`write(tab)`: share a statement, propose a need),
    then withdraws what it wrote (`POST route` with `item`'s id), and so on: one person may
    write only so many."""
    written: list[int] = []

    async def step(tab: Tab) -> None:
        if written:
            body = {"do": "withdraw", item: written.pop()}
            data = tab.screen.component_data(APP)
            code, answer = await tab.post(route, body, {data["header"]: data["token"]})
        else:
            code, answer = await write(tab)
            written.append(max(mine["id"] for mine in answer["mine"]))  # the newest is this one
        assert code == 200, answer

    return step


def answer_cards(first_id: int):
    """A step that answers the statement the card shows, as the card does (`POST api/react`),
    and goes on with the next one its answer brings (a person answers each statement once;
    when none is left, the last one again)."""
    shown = [first_id]

    async def step(tab: Tab) -> None:
        code, answer = await card_request(tab, shown[0], "pass")
        assert code == 200, answer
        if answer.get("card"):
            shown[0] = answer["card"]["id"]

    return step


def back_and_take_back(need_id: int):
    """A step that backs a need as the back board does (`POST api/back`), then takes the
    backing back, and so on."""
    clicks = [0]

    async def step(tab: Tab) -> None:
        clicks[0] += 1
        code, answer = await back_request(tab, need_id, clicks[0] % 2 == 1)
        assert code == 200, answer

    return step


async def measure(url: str, pid: int, links: dict[str, tuple[str, str]], runs: int) -> dict[str, float]:
    costs: dict[str, float] = {}

    async def timed(name: str, tab: Tab, step) -> None:
        for _ in range(5):
            await step(tab)
        before = cpu_seconds(pid)
        for _ in range(runs):
            await step(tab)
        costs[name] = round((cpu_seconds(pid) - before) * 1000 / runs, 2)

    async def reload(tab: Tab) -> None:
        await tab.reload()

    async def ask_screen(tab: Tab) -> None:  # what a projector without its stream does
        data = tab.screen.component_data(projector.KEY)
        code, _ = await tab.get(paths.PRESENT, {data["header"]: data["token"]})
        assert code == 200

    async def ask_status(tab: Tab) -> None:  # what a participant's app does on each tick
        code, _ = await tab.get(paths.ROOM, {paths.PARTICIPANT_HEADER: tab.query.removeprefix("t=")})
        assert code == 200

    async def ask_view(tab: Tab) -> None:  # what a participant's app asks when the room moved
        code, _ = await view_request(tab)
        assert code == 200

    for phase, (token, presenter) in links.items():
        async with Tab(url, "participate", f"t={token}") as tab:
            await timed(f"participant page, {phase}", tab, reload)
            await timed(f"participant check, {phase}", tab, ask_status)
            await timed(f"participant view, {phase}", tab, ask_view)
            _code, view = await view_request(tab)
            room, me = view["room"], view["me"]
            if phase == "share":
                theme = room["workshop"]["themes"][0]["id"]
                sharing = write_and_withdraw(
                    paths.SHARE,
                    "statement",
                    lambda tab, theme=theme: share_request(tab, theme, "What the theme means for me"),
                )
                await timed("share or withdraw (board request)", tab, sharing)
                statement = me["card"]["id"]
                await timed("react (card request)", tab, answer_cards(statement))
            if phase == "propose":
                own = {n["id"] for n in me["needs"]}
                need = next(n["id"] for n in room["needs"] if n["id"] not in own)
                await timed("back or take back (board request)", tab, back_and_take_back(need))
                theme = room["workshop"]["themes"][0]["id"]
                proposing = write_and_withdraw(
                    paths.PROPOSE,
                    "need",
                    lambda tab, theme=theme: propose_request(tab, theme, "Customer interview skills"),
                )
                await timed("propose or withdraw (board request)", tab, proposing)
            if phase == "vote":
                first = room["needs"][0]["id"]
                await timed("dot or take back (board request)", tab, place_and_take_back(first))
        async with Tab(url, "present", f"p={presenter}") as screen:
            await timed(f"projector screen request, {phase}", screen, ask_screen)
            await timed(f"projector page, {phase}", screen, reload)
    return costs


def run(participants: int = 300, runs: int = 100, floor_reruns: int = 300) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cost.duckdb"
        links = prepare(db, participants)
        server = AppServer(db)
        server.start()
        try:
            costs = run_sync(measure(server.url, server.pid, links, runs))
        finally:
            server.stop()
    costs["empty page (floor)"] = round(measure_floor(floor_reruns), 2)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    report(run(args.participants, args.runs))


def report(costs: dict[str, float]) -> None:
    """One line per kind, then the JSON object a script reads."""
    for name, ms in costs.items():
        print(f"{name:38} {ms:8.2f} ms")
    print(json.dumps(costs))


if __name__ == "__main__":
    main()
