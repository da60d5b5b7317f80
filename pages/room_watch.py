"""How a participant's screen follows the room without rerunning its page on a timer.

Every open participant tab has to notice when the facilitator moves the room on, and show
the phase, its timer and how many statements or needs others added since its lists were
drawn. Rerunning a Streamlit fragment every few seconds for that costs a page run per tab
per check (a 4-minute workshop of 300 people made 13 000 of them beside 4 500 clicks).
Instead the tab's `room_watch` component asks `GET /api/room` (a plain HTTP request
answered from memory, no page run) and draws the phase line itself; it reruns its
fragment only when there is something to draw: the room moved (trigger "moved"), the
person asked to see new items ("show_new"), or the status could not be read ("check": the
fragment then checks the room in Python, as it does on every tick when the page is served
without the route, e.g. by `streamlit run app.py`).

`serve.py` puts `RoomStatusRoute` in front of the app to answer `/api/room`. The
participant's link token, sent in the `X-Cocreate-Participant` header, says whose room
to report: the same right as opening the page, and the token stays out of request lines
and logs.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from workshop import actions, analytics, security, settings
from workshop.errors import InvalidLink, StoreUnavailable, WorkshopNotFound
from workshop.live import LiveCache
from workshop.model import Workshop
from workshop.store import Store

ROUTE = "/api/room"  # under the app's base path; the page asks the relative "api/room"
HEADER = "X-Cocreate-Participant"
FRESH_FOR = 0.5  # seconds a computed status is served to every tab of the room
TOKEN_TRUST = 60.0  # seconds a token's workshop is remembered (a removed person's link stops within it)
KEPT_TOKENS = 20_000
# What others did may lag a second behind on every participant screen: one computation
# serves the whole room (pages/participate.py reads its shared lists with the same age).
SHARED_MAX_AGE = 1.0

JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const line = parentElement.querySelector(".cc-phase");
  const button = parentElement.querySelector("button");
  const watch = parentElement.__ccWatch || (parentElement.__ccWatch = {});
  watch.data = data;          // what the page drew (a new page run brings new data)
  watch.status = null;        // the last status read since then
  watch.askedAt = 0;          // when a rerun was asked for that has not come yet
  watch.since = Date.now();   // when the status shown arrived (its timer counts down from there)

  const left = (seconds) => seconds <= 0 ? "Time is up"
    : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} left`;

  function draw() {
    const now = watch.status || watch.data.status;
    line.textContent = "";
    line.append("Phase: ");
    const bold = document.createElement("strong");
    bold.textContent = now.label;
    line.append(bold);
    if (now.ends_in !== null) {
      const elapsed = Math.floor((Date.now() - watch.since) / 1000);
      line.append(` · ⏱ ${left(now.ends_in - elapsed)}`);
    }
    const kind = watch.data.kind;
    const fresh = kind && now.phase === watch.data.status.phase ? now[kind] - watch.data.seen : 0;
    button.hidden = fresh <= 0;
    if (fresh > 0) {
      button.textContent = `Show ${fresh} new ${fresh > 1 ? kind : kind.slice(0, -1)}`;
    }
  }

  function ask(event, value, wait = 10000) {
    // One rerun at a time; one that has not come within `wait` ms is asked for again.
    if (Date.now() - watch.askedAt < wait) return;
    watch.askedAt = Date.now();
    setTriggerValue(event, value);
  }

  async function check() {
    let status;
    try {
      const reply = await fetch(watch.data.url, {
        headers: { [watch.data.header]: watch.data.token }, cache: "no-store",
      });
      if (!reply.ok) throw new Error(`status ${reply.status}`);
      status = await reply.json();
    } catch (e) {
      ask("check", Date.now(), watch.data.every * 500);  // the page checks the room itself
      return;
    }
    watch.status = status;
    watch.since = Date.now();
    const drawn = watch.data.status;
    if (status.phase !== drawn.phase || status.revealed !== drawn.revealed) {
      ask("moved", `${status.phase}:${status.revealed}`);
    }
    draw();
  }

  button.onclick = () => ask("show_new", Date.now());
  draw();
  if (!watch.timers) {
    const every = () => watch.data.every * 1000 * (0.85 + Math.random() * 0.3);
    const timers = { tick: setInterval(draw, 1000) };
    // A check still in flight when the component is taken down starts no new one.
    const loop = () => {
      if (watch.timers === timers) timers.check = setTimeout(async () => { await check(); loop(); }, every());
    };
    watch.timers = timers;
    loop();
  }
  return () => {
    clearInterval(watch.timers.tick);
    clearTimeout(watch.timers.check);
    watch.timers = null;
  };
}
"""

HTML = '<div class="cc-phase" role="status"></div><button type="button" hidden></button>'

CSS = """
.cc-phase { font-family: var(--st-font); font-size: 0.875rem; color: var(--st-text-color);
            opacity: 0.7; margin: 0 0 0.5rem 0; }
button { font-family: var(--st-font); font-size: 1rem; color: var(--st-text-color);
         background: var(--st-background-color); border: 1px solid var(--st-border-color);
         border-radius: 0.5rem; padding: 0.25rem 0.75rem; min-height: 2.5rem; cursor: pointer; }
button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
"""

_component = st.components.v2.component("cocreate.room_watch", html=HTML, css=CSS, js=JS)


def status_of(workshop: Workshop, counts: dict[str, int], now: datetime) -> dict:
    """What a participant's phase line shows: the phase, its timer, how many items there are."""
    ends_in = None
    if workshop.timer_ends_at is not None:
        ends_in = max(0, int((workshop.timer_ends_at - now).total_seconds()))
    return {
        "phase": workshop.phase.value,
        "label": workshop.phase.label,
        "revealed": workshop.revealed,
        "ends_in": ends_in,
        "statements": counts["statements"],
        "needs": counts["needs"],
    }


def room_counts(store: Store, live: LiveCache, workshop_id: int) -> dict[str, int]:
    """Who joined and how many statements and needs there are, as every screen counts them."""
    return live.get("visible_counts", workshop_id, lambda: analytics.visible_counts(store, workshop_id),
                    max_age=SHARED_MAX_AGE)  # fmt: skip


def watch(status: dict, kind: str | None, seen: int, every: float, token: str,
          on_show_new: Callable[[], None]) -> None:  # fmt: skip
    """Draw the phase line and the offer to show new `kind` ("statements", "needs" or None),
    `seen` of them drawn already; ask for the status every `every` s with `token`. A trigger
    reruns the fragment the component is in, after `on_show_new` when the person asked to
    see new items; "moved" and "check" only rerun it (the fragment looks at the room)."""
    data = {"url": ROUTE.lstrip("/"), "header": HEADER, "token": token, "every": every, "kind": kind, "seen": seen,
            "status": status}  # fmt: skip
    _component(key="room_watch", data=data, on_moved_change=_rerun_only, on_check_change=_rerun_only,
               on_show_new_change=on_show_new)  # fmt: skip


def _rerun_only() -> None:
    """The fragment's run that follows the trigger does the work."""


# -- the route -----------------------------------------------------------------------

_tokens: OrderedDict[str, tuple[int, float]] = OrderedDict()  # token hash -> (workshop id, checked at)
_statuses: dict[int, tuple[float, dict, datetime | None]] = {}  # workshop id -> (read at, status, timer end)
_lock = threading.Lock()
_process: list = []  # [(store, live cache)] of this process, found on the first request


class RoomStatusRoute:
    """ASGI middleware that answers `GET …/api/room` itself. A route of the Streamlit app
    would pass each request through Streamlit's own middleware (path checks, sessions,
    gzip) and router first, more than the answer itself costs; every other request goes
    on to the app unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith(ROUTE):
            if scope["method"] not in ("GET", "HEAD"):
                response = _reply({"error": "Only GET is answered here."}, 405)
            else:
                response = await room_status(Request(scope, receive))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def room_status(request: Request) -> Response:
    """`GET /api/room` with the participant's token in the header: the room's status as JSON.

    Every tab of a room asks every few seconds, so the answer comes from memory: which
    workshop a token belongs to is remembered for a minute, the room's status for half a
    second. Only when one of them must be read does the request go to a worker thread
    (the database is never read on the event loop that carries every tab's websocket)."""
    token = request.headers.get(HEADER, "")
    try:
        if not token:
            raise InvalidLink("Open this workshop from your participant link.")
        digest = security.hash_token(token)
        known = _tokens.get(digest)
        if known is None or time.monotonic() - known[1] > TOKEN_TRUST:
            workshop_id = await run_in_threadpool(_look_up, token, digest)
        else:
            workshop_id = known[0]
        kept = _statuses.get(workshop_id)
        if kept is None or time.monotonic() - kept[0] > FRESH_FOR:
            kept = await run_in_threadpool(_read_status, workshop_id)
    except (InvalidLink, WorkshopNotFound) as exc:
        return _reply({"error": exc.message}, 404)
    except StoreUnavailable as exc:
        return _reply({"error": exc.message}, 503)
    _, status, ends_at = kept
    if ends_at is not None:
        status = {**status, "ends_in": max(0, int((ends_at - _opened()[0].now()).total_seconds()))}
    return _reply(status, 200)


def _opened():
    if not _process:
        from pages import ui  # the store and live cache the pages use

        location = settings.database_location()
        _process.append((ui.open_store(location), ui.open_live(location)))
    return _process[0]


def _look_up(token: str, digest: str) -> int:
    """The workshop of the participant whose link carries `token` (raises InvalidLink)."""
    participant = actions.resume(_opened()[0], token)
    with _lock:
        _tokens[digest] = (participant.workshop_id, time.monotonic())
        _tokens.move_to_end(digest)
        while len(_tokens) > KEPT_TOKENS:
            _tokens.popitem(last=False)
    return participant.workshop_id


def _read_status(workshop_id: int) -> tuple[float, dict, datetime | None]:
    store, live = _opened()
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise WorkshopNotFound("This workshop no longer exists.")
    kept = (time.monotonic(), status_of(workshop, room_counts(store, live, workshop_id), store.now()),
            workshop.timer_ends_at)  # fmt: skip
    _statuses[workshop_id] = kept
    return kept


def _reply(body: dict, code: int) -> Response:
    return Response(
        json.dumps(body), code, media_type="application/json", headers={"Cache-Control": "no-store"}
    )
