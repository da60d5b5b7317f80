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

`/api/room` is answered by `pages/api.py`, which `serve.py` puts in front of the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from workshop import analytics
from workshop.errors import WorkshopNotFound
from workshop.live import LiveCache
from workshop.model import Workshop
from workshop.store import Store

ROUTE = "/api/room"  # under the app's base path; the page asks the relative "api/room"
HEADER = "X-Cocreate-Participant"  # the participant's link token, on every request of their screen
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
  watch.own = 0;              // what this person added since (a board's "cocreate:own" event)
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
    watch.added = (event) => {
      if (event.detail.kind === watch.data.kind) {
        watch.own += event.detail.change;
        draw();
      }
    };
    document.addEventListener("cocreate:own", watch.added);
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
    document.removeEventListener("cocreate:own", watch.added);
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


def read_status(store: Store, live: LiveCache, workshop_id: int) -> tuple[dict, datetime | None]:
    """The room's status as a participant's phase line shows it, and when its timer ends."""
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise WorkshopNotFound("This workshop no longer exists.")
    return status_of(workshop, room_counts(store, live, workshop_id), store.now()), workshop.timer_ends_at
