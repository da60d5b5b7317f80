"""How a participant's screen follows the room without rerunning its page on a timer.

Every open participant tab has to notice when the facilitator moves the room on, and show
the phase, its timer and how many statements or needs others added since its lists were
drawn. Rerunning a Streamlit fragment every few seconds for that costs a page run per tab
per check (a 4-minute workshop of 300 people made 13 000 of them beside 4 500 clicks);
asking `GET /api/room` every few seconds instead cost no page run but was still a request
per tab per check: 24 000 in the same workshop, two fifths of the server's Python time.

So the tab's `room_watch` component listens to `GET /api/room/events`, one long response
per tab (server-sent events, pages/api.py) on which the server writes the room's status
when the room moves (phase, reveal, timer) and, while others add statements or needs, their
counts every few seconds. The component draws the phase line itself and asks for a run
only when there is something to draw: the room moved (trigger "moved", after a random
wait of up to `spread` seconds, so that a big room's tabs do not all redraw their page in
the same second; that run is of the whole page, see pages/tuning.py), the person asked
to see new items ("show_new", a run of its fragment), or the status
could not be read ("check": the fragment then checks the room in Python, as it does every
`every` seconds when the page is served without the routes, e.g. by `streamlit run app.py`).
A hidden tab lets go of its stream and takes it up again when shown (a browser keeps six
connections to a server for all its tabs).

`/api/room` and `/api/room/events` are answered by `pages/api.py`, which `serve.py` puts in
front of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from pages import tuning
from workshop import analytics
from workshop.errors import WorkshopNotFound
from workshop.live import LiveCache
from workshop.model import Workshop
from workshop.store import Store

KEY = "room_watch"
ROUTE = "/api/room"  # under the app's base path; the page asks the relative "api/room"
EVENTS = "/api/room/events"  # the status as a stream (server-sent events)
HEADER = "X-Cocreate-Participant"  # the participant's link token, on every request of their screen
# What others did may lag a second behind on every participant screen: one computation
# serves the whole room (pages/participate.py reads its shared lists with the same age).
SHARED_MAX_AGE = 1.0

# Shared with the projector (pages/projector.py): read a stream of server-sent events.
READ_EVENTS_JS = """
async function readEvents(url, headers, signal, received) {
  // Each "data: {json}" block of the stream at `url`, parsed, to `received`, for as long as
  // the stream lasts (true); false when none could be opened.
  const reply = await fetch(url, { headers, cache: "no-store", signal });
  if (!reply.ok || !reply.body || !(reply.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
    return false;
  }
  const reader = reply.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return true;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\\n\\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const line = block.split("\\n").find((l) => l.startsWith("data: "));
      if (line) received(JSON.parse(line.slice(6)));
    }
  }
}
"""

JS = (
    READ_EVENTS_JS
    + """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const line = parentElement.querySelector(".cc-phase");
  const button = parentElement.querySelector("button");
  const watch = parentElement.__ccWatch || (parentElement.__ccWatch = {});
  watch.data = data;          // what the page drew (a new page run brings new data)
  watch.own = 0;              // what this person added since (a board's "cocreate:own" event)
  watch.status = null;        // the last status read since then
  watch.askedAt = 0;          // when a rerun was asked for that has not come yet
  watch.since = Date.now();   // when the status shown arrived (its timer counts down from there)
  clearTimeout(watch.moving);  // a move the page now shows needs no rerun

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
    const fresh = kind && now.phase === watch.data.status.phase ? now[kind] - watch.data.seen - watch.own : 0;
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

  function received(status) {
    if (typeof status.error === "string") {
      ask("check", Date.now(), watch.data.every * 500);  // the page says what happened
      return;
    }
    watch.status = status;
    watch.since = Date.now();
    const drawn = watch.data.status;
    if ((status.phase !== drawn.phase || status.revealed !== drawn.revealed) && !watch.moving) {
      // Not every tab of a big room in the same second: the page runs would queue.
      watch.moving = setTimeout(() => {
        watch.moving = null;
        ask("moved", `${status.phase}:${status.revealed}`);
      }, Math.random() * watch.data.spread * 1000);
    }
    draw();
  }

  async function check() {
    // The status once, by a plain request; when even that fails, the page checks the room.
    try {
      const reply = await fetch(watch.data.url, {
        headers: { [watch.data.header]: watch.data.token }, cache: "no-store",
      });
      if (!reply.ok) throw new Error(`status ${reply.status}`);
      received(await reply.json());
    } catch (e) {
      ask("check", Date.now(), watch.data.every * 500);
    }
  }

  function listen(timers) {
    // The room's status as the server writes it, for as long as the stream lasts; false
    // when none could be opened.
    return readEvents(watch.data.events, { [watch.data.header]: watch.data.token }, timers.stop.signal,
      (status) => { if (watch.timers === timers) received(status); });
  }

  async function follow(timers) {
    // Listen while the tab is shown; when the stream ends or fails, check once and listen
    // again a few seconds later.
    const pause = () => new Promise((done) => setTimeout(done, watch.data.every * 1000 * (0.85 + Math.random() * 0.3)));
    while (watch.timers === timers) {
      if (document.hidden) {
        await new Promise((shown) => { timers.shown = shown; });
        continue;
      }
      if (timers.stop.signal.aborted) timers.stop = new AbortController();
      let streamed = false;
      try {
        streamed = await listen(timers);
      } catch (e) {
        // Let go of (the tab was hidden or taken down), or the network failed.
      }
      if (watch.timers !== timers) return;
      if (!streamed && !document.hidden) await check();
      if (!document.hidden) await pause();
    }
  }

  button.onclick = () => ask("show_new", Date.now());
  draw();
  if (!watch.timers) {
    watch.added = (event) => {
      if (event.detail.kind === watch.data.kind) {
        watch.own += event.detail.change;
        draw();
      }
    };
    document.addEventListener("cocreate:own", watch.added);
    const timers = { tick: setInterval(draw, 1000), stop: new AbortController(), shown: null };
    watch.visibility = () => {
      // A hidden tab lets go of its stream; shown again, it listens at once.
      if (document.hidden) {
        timers.stop.abort();
      } else if (timers.shown) {
        const shown = timers.shown;
        timers.shown = null;
        shown();
      }
    };
    document.addEventListener("visibilitychange", watch.visibility);
    watch.timers = timers;
    follow(timers);
  }
  return () => {
    const timers = watch.timers;
    watch.timers = null;
    clearInterval(timers.tick);
    clearTimeout(watch.moving);
    watch.moving = null;
    timers.stop.abort();
    if (timers.shown) timers.shown();
    document.removeEventListener("cocreate:own", watch.added);
    document.removeEventListener("visibilitychange", watch.visibility);
  };
}
"""
)

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


def check_seconds(joined: int) -> float:
    """How often a tab whose stream failed asks for the room's status, and how often the
    stream carries new counts: every second in rooms of up to 100 people, every 3 s at
    300, at most every 4 s (a bigger room's counts change several times a second)."""
    return min(4.0, max(1.0, joined / 100))


def spread_seconds(joined: int) -> float:
    """The longest a tab waits before redrawing its page for a move of the room: a page run
    is 3-4 empty pages' worth of CPU, and a room of 300 would otherwise ask for 300 of them
    in the same second, ahead of everybody's clicks."""
    return min(3.0, joined / 100)


def watch(status: dict, kind: str | None, seen: int, joined: int, token: str,
          on_show_new: Callable[[], None]) -> None:  # fmt: skip
    """Draw the phase line and the offer to show new `kind` ("statements", "needs" or None),
    `seen` of them drawn already, in a room of `joined` people; follow the room's status
    with `token`. A trigger reruns the fragment the component is in: "show_new" after
    `on_show_new`, "check" for the fragment to look at the room. "moved" runs the whole
    page instead (see tuning.trigger_redraws_page)."""
    data = {"url": ROUTE.lstrip("/"), "events": EVENTS.lstrip("/"), "header": HEADER, "token": token,
            "every": check_seconds(joined), "spread": spread_seconds(joined), "kind": kind, "seen": seen,
            "status": status}  # fmt: skip
    _component(key=KEY, data=data, on_moved_change=_rerun_only, on_check_change=_rerun_only,
               on_show_new_change=on_show_new)  # fmt: skip


def _rerun_only() -> None:
    """The run that follows the trigger does the work."""


tuning.trigger_redraws_page(KEY, "moved")


def read_status(store: Store, live: LiveCache, workshop_id: int) -> tuple[dict, datetime | None]:
    """The room's status as a participant's phase line shows it, and when its timer ends."""
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise WorkshopNotFound("This workshop no longer exists.")
    return status_of(workshop, room_counts(store, live, workshop_id), store.now()), workshop.timer_ends_at
