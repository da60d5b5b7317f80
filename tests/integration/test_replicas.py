"""Several Cocreate processes on one PostgreSQL database, behind nginx (deploy/stack.py)."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import time
import urllib.request
from datetime import timedelta

import pytest

from deploy.stack import Stack
from deploy.wire import APP, Tab, check_room, join_request, run_sync, view_request
from tests.conftest import Chat, make_room, pg_schema
from ui.components import projector
from web import paths
from workshop import actions, schedule
from workshop.model import Phase
from workshop.store import Store

pytestmark = [
    pytest.mark.server,  # it starts real Cocreate processes, nginx and PostgreSQL
    pytest.mark.postgresql,
    pytest.mark.skipif(
        shutil.which("nginx") is None, reason="Replica suite: nginx is not installed (.ci/run installs it)"
    ),
]


def dots_shown(view: dict) -> int | None:
    """The number of dots placed that a projector's view shows."""
    return next((n["value"] for n in view["numbers"] if n["label"] == "dots placed"), None)


async def screen_until(tab: Tab, seen, timeout: float = 15.0) -> bool:
    """A projector following its stream (`api/present/events`) until a view is `seen`."""
    data = tab.screen.component_data(projector.KEY)

    async def follow() -> bool:
        async for code, message in tab.events(paths.PRESENT_EVENTS, {data["header"]: data["token"]}):
            assert code == 200, message
            if seen(message["view"]):
                return True
        return False

    try:
        return await asyncio.wait_for(follow(), timeout)
    except TimeoutError:
        return False


async def watch_until_moved(tab: Tab, view: dict, timeout: float = 15.0) -> dict | None:
    """A participant's app checking the room (as it does without its stream) until the room
    moved from `view` to another phase: the view it then shows, or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, status, shown = await check_room(tab, view)
        assert code == 200, status
        if shown["room"]["workshop"]["phase"] != view["room"]["workshop"]["phase"]:
            return shown
        view = shown
        await asyncio.sleep(0.5)
    return None


def test_two_replicas_share_one_workshop_through_postgresql(tmp_path):
    with pg_schema() as url:
        # This test's own store is a third process on the same database, as a CLI would be.
        store = Store(url)
        room = make_room(store, participants=2)
        room.to(Phase.PROPOSE)
        need = actions.propose(store, room.people[0], room.theme_ids[0], "Coaching skills")
        room.to(Phase.VOTE)
        code = room.created.workshop.code
        presenter = room.created.presenter_token
        stack = Stack(url, replicas=2, log_dir=tmp_path)
        stack.start()
        try:
            first, second = (f"http://127.0.0.1:{p}" for p in stack.ports)

            async def play() -> None:
                # Someone joins through the first replica; the join is in PostgreSQL at once.
                async with Tab(first, "participate", f"code={code}") as person:
                    await join_request(person, "Robin", "Sales")
                    joined = store.read_df(
                        "SELECT name FROM participants WHERE workshop_id = $w", {"w": room.workshop.id}
                    )
                    assert "Robin" in set(joined["name"])
                    # A projector on the second replica shows dots placed by this process.
                    async with Tab(second, "present", f"p={presenter}") as screen:
                        assert (
                            dots_shown(json.loads(screen.screen.component_data(projector.KEY)["view"])) == 0
                        )
                        actions.place_dot(store, room.people[1], need)
                        actions.place_dot(store, room.people[0], need)
                        assert await screen_until(screen, lambda view: dots_shown(view) == 2)
                    # The facilitator moves on here; the person on the first replica follows:
                    # their app asks that replica for the room, then for what to show.
                    answered, view = await view_request(person)
                    assert answered == 200 and view["room"]["workshop"]["phase"] == "vote"
                    runs = person.runs
                    actions.set_phase(store, room.access, Phase.RESULTS)
                    shown = await watch_until_moved(person, view)
                    assert shown is not None and shown["room"]["workshop"]["label"] == "Results"
                    assert [n["dots"] for n in shown["room"]["needs"]] == [2]  # revealed
                    assert person.runs == runs  # no page run

            run_sync(play())

            # Through nginx: the page sets the sticky cookie, and the websocket is upgraded.
            with urllib.request.urlopen(f"{stack.url}/participate?code={code}") as answer:
                assert answer.status == 200
                assert (answer.headers["Set-Cookie"] or "").startswith("cocreate_replica=")

            async def through_nginx() -> tuple[str, int, dict]:
                async with Tab(stack.url, "participate", f"code={code}") as tab:
                    text = tab.screen.component_data(APP)["join"]["title"]
                    await join_request(tab, "Sam", "Sales")
                    # The room watch's request goes through nginx to whichever replica; a
                    # replica learns of another process's write within about a second.
                    header = {paths.PARTICIPANT_HEADER: tab.joined}
                    deadline = time.monotonic() + 5
                    answered, status = await tab.get(paths.ROOM, header)
                    while status.get("phase") != "results" and time.monotonic() < deadline:
                        await asyncio.sleep(0.25)
                        answered, status = await tab.get(paths.ROOM, header)
                    return text, answered, status

            text, answered, status = run_sync(through_nginx())
            assert "Strategy 2027" in text
            assert answered == 200 and status["phase"] == "results" and status["needs"] == 1

            # nginx closes a connection whose headers never end (deploy/nginx.conf.template).
            with socket.create_connection(("127.0.0.1", stack.port), timeout=20) as held:
                held.sendall(b"GET /participate HTTP/1.1\r\nHost: x\r\n")
                started = time.monotonic()
                while held.recv(4096):  # nginx may say 408 before it closes
                    pass
                assert 8 < time.monotonic() - started < 15
        finally:
            stack.stop()
            store.close()


def test_the_stack_ends_its_replicas_and_nginx_on_sigterm(tmp_path):
    """`python -m deploy.stack` (what `make replicas` runs) given SIGTERM, as a service
    manager or `kill` sends it to that one process: no replica nor nginx is left running,
    and the port is free for the next start."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from deploy.server import ROOT, free_port

    def children(pid: int) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return found

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()

    port = free_port()
    with pg_schema() as url:
        stack = subprocess.Popen(
            [sys.executable, "-m", "deploy.stack", "--replicas", "2", "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, "COCREATE_DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started: list[int] = []
        try:
            for line in stack.stdout:  # the stack says when it serves
                if line.startswith("Cocreate: 2 replicas behind nginx"):
                    break
            started = children(stack.pid)
            assert len(started) == 3, started  # two replicas and nginx
            stack.send_signal(signal.SIGTERM)
            assert stack.wait(timeout=60) == 0
            left = [pid for pid in started if alive(pid)]
        finally:
            if stack.poll() is None:
                stack.kill()
            for pid in [p for p in started if alive(p)]:  # what a failure left: not the next test's
                os.killpg(pid, signal.SIGKILL)
        assert not left
        with socket.socket() as again:  # free for the next start (nginx binds so, too)
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))


def test_connections_whose_headers_never_end_leave_the_shipped_nginx_answering(tmp_path):
    """2,000 connections each holding half a request's headers: behind the shipped nginx the
    health check and the pages answer meanwhile, and nginx closes them once their headers
    are late (client_header_timeout)."""
    with pg_schema() as url:
        stack = Stack(url, 1, log_dir=tmp_path)
        stack.start()
        held: list[socket.socket] = []
        try:
            for _ in range(2000):
                one = socket.create_connection(("127.0.0.1", stack.port), timeout=5)
                one.sendall(b"GET / HTTP/1.1\r\nHost: cocreate\r\nX-Never-Ends: ")
                held.append(one)
            for path in ("/_stcore/health", "/readyz", "/", "/participate"):
                with urllib.request.urlopen(stack.url + path, timeout=20) as reply:
                    assert reply.status == 200, path
            # Text goes out compressed: Plotly.js is 4.8 MB as it is.
            asked = urllib.request.Request(
                f"{stack.url}/{paths.relative(paths.PLOTLY_JS)}", headers={"Accept-Encoding": "gzip"}
            )
            with urllib.request.urlopen(asked, timeout=20) as reply:
                assert reply.headers["Content-Encoding"] == "gzip"
                assert len(reply.read()) < 2_000_000
            # nginx gives headers 10 s: the held connections are closed after it.
            deadline = time.monotonic() + 30
            first = held[0]
            first.settimeout(1)
            while True:
                try:
                    if first.recv(1024) == b"":
                        break
                except TimeoutError:
                    pass
                except OSError:
                    break
                assert time.monotonic() < deadline, "nginx kept a connection whose headers never ended"
        finally:
            for one in held:
                one.close()
            stack.stop()


def test_two_replicas_on_one_schedule_move_a_self_paced_workshop_once_per_due_time(tmp_path):
    with pg_schema() as url:
        store = Store(url)
        now = store.now()
        # Share fell due before any process was up: the first to start moves the room then.
        opens = [(Phase.SHARE, now - timedelta(minutes=1))]
        opens += [(phase, now + timedelta(hours=i + 1)) for i, phase in enumerate(schedule.SCHEDULED[1:])]
        room = make_room(
            store, participants=1, self_paced=True, time_zone="Europe/Helsinki", schedule=tuple(opens)
        )
        wid = room.created.workshop.id
        stack = Stack(url, replicas=2, log_dir=tmp_path, env={"COCREATE_SCHEDULE_SECONDS": "1"})
        stack.start()
        try:

            async def until_phase(phase: Phase, timeout: float = 20.0) -> bool:
                deadline = time.monotonic() + timeout
                while store.workshop(wid).phase is not phase:
                    if time.monotonic() > deadline:
                        return False
                    await asyncio.sleep(0.2)
                return True

            assert run_sync(until_phase(Phase.SHARE))
            # The rest of the schedule falls due a second apart while both replicas look.
            start = store.now()
            later = [(Phase.SHARE, opens[0][1])]
            later += [
                (phase, start + timedelta(seconds=i + 1)) for i, phase in enumerate(schedule.SCHEDULED[1:])
            ]
            actions.set_schedule(store, room.access, True, "Europe/Helsinki", tuple(later))
            assert run_sync(until_phase(Phase.CLOSED))
            moves = store.phase_moves(wid)
            assert [(a, b, by) for a, b, _at, by in moves] == [
                (Phase.LOBBY, Phase.SHARE, "schedule"),
                (Phase.SHARE, Phase.PROPOSE, "schedule"),
                (Phase.PROPOSE, Phase.VOTE, "schedule"),
                (Phase.VOTE, Phase.RESULTS, "schedule"),
                (Phase.RESULTS, Phase.CLOSED, "schedule"),
            ]
            assert moves[0][2] < start  # made when the processes started
            for (_a, _b, at, _by), (_phase, due) in zip(moves[1:], later[1:], strict=True):
                assert due <= at < due + timedelta(seconds=5)  # within a few looks of its time
        finally:
            stack.stop()
            store.close()


async def until(check, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


def test_the_chat_gets_one_post_per_phase_opened_the_reminder_and_the_results_a_refused_post_later(tmp_path):
    chat, refusing = Chat(), Chat(refuse=1)
    with pg_schema() as url:
        store = Store(url)
        now = store.now()
        # Share opened 30 hours ago and closes in 23: the reminder is due as soon as a replica looks.
        opens = [(Phase.SHARE, now - timedelta(hours=30))]
        opens += [(phase, now + timedelta(hours=23 + i)) for i, phase in enumerate(schedule.SCHEDULED[1:])]
        room = make_room(
            store, participants=1, self_paced=True, time_zone="Europe/Helsinki", schedule=tuple(opens)
        )
        actions.set_webhook(store, room.access, chat.url)
        soon = [(Phase.SHARE, now - timedelta(minutes=1))]
        soon += [(phase, now + timedelta(hours=i + 1)) for i, phase in enumerate(schedule.SCHEDULED[1:])]
        other = make_room(store, participants=1, self_paced=True, time_zone="UTC", schedule=tuple(soon))
        actions.set_webhook(store, other.access, refusing.url)
        env = {"COCREATE_SCHEDULE_SECONDS": "1", "COCREATE_PUBLIC_URL": "https://cocreate.example.org"}
        stack = Stack(url, replicas=2, log_dir=tmp_path, env=env)
        stack.start()
        try:
            wid, code = room.created.workshop.id, room.created.workshop.code
            assert run_sync(until(lambda: len(chat.texts) == 2))
            assert chat.texts[0].startswith("“Strategy 2027”: Share is open.")
            assert f"https://cocreate.example.org/participate?code={code}" in chat.texts[0]
            assert "Share closes" in chat.texts[1] and "(Europe/Helsinki)" in chat.texts[1]
            # A refused post does not hold the room: the other workshop moved at start …
            assert store.phase_moves(other.created.workshop.id)[0][1] is Phase.SHARE
            # … and the post comes again a few seconds later.
            assert run_sync(until(lambda: len(refusing.texts) == 1))
            assert refusing.refused == refusing.texts
            (post,) = store.posts(other.created.workshop.id)
            assert post[3] == 2 and post[4] is not None  # two attempts, sent

            start = store.now()
            later = [(Phase.SHARE, opens[0][1])]
            later += [
                (p, start + timedelta(seconds=s))
                for p, s in zip(schedule.SCHEDULED[1:], (1, 6, 12, 18), strict=True)
            ]
            actions.set_schedule(store, room.access, True, "Europe/Helsinki", tuple(later))
            assert run_sync(until(lambda: store.phase_moves(wid)[-1][1] is Phase.PROPOSE))
            actions.propose(store, room.people[0], room.theme_ids[0], "Coaching skills")
            # Phases six seconds apart: each is open at some look of the clock, even on a busy machine.
            assert run_sync(
                until(lambda: all(p[4] is not None for p in store.posts(wid)) and len(chat.texts) >= 7, 60)
            ), chat.texts
            assert store.workshop(wid).phase is Phase.CLOSED
            opened = [t.split(":")[1].split(" is open")[0].strip() for t in chat.texts if " is open." in t]
            assert opened == ["Share", "Propose", "Vote", "Results"]
            assert sum("has closed" in t for t in chat.texts) == 1
            (results,) = [t for t in chat.texts if "results of" in t]
            assert (
                "1. Coaching skills (0 dots)" in results and "https://cocreate.example.org/review" in results
            )
            assert len(chat.texts) == 7  # and nothing twice, though two replicas look
        finally:
            stack.stop()
            store.close()
            chat.close()
            refusing.close()
