"""The projector's screen, drawn in the browser from the room's data and kept live by a stream.

A projector shows a workshop for its whole length, and its numbers and charts change
whenever anybody in the room writes: in a room of 300 that is every second. Drawn by
Streamlit, each change was a run of the Present page on every projector (its columns,
QR code and charts sent again) beside a check every second: two projectors took a third
of the server's CPU in a 300-person workshop, more than all the participants' clicks.

So the page draws one component, `projector`, and gives it the screen as JSON (the
`view`, made once per version of the workshop's data and shared by every projector).
The component draws it (Plotly.js draws the charts, from the plotly package's own copy,
`GET api/present/plotly.js`) and listens to `GET api/present/events`: server-sent
events on which the server writes the new view when the data changed (at once for the
facilitator's changes, at most every second while people add; one view for every
projector of the workshop; pages/api.py). The rotating key
terms and wall turn in the browser, and the timer counts down there. No page run follows
the first.

When the stream cannot be opened, the component asks `GET api/present` every few
seconds; when that fails too (the page served by a plain `streamlit run app.py`, without
the routes), it asks the page to run its fragment again (trigger "check"), which draws
it with fresh data. Charts need the routes (the browser loads Plotly.js from them); the
numbers and the wall do not.

Participant text (statements, needs, titles) is set as text, never as markup; in the
charts it is escaped by workshop.charts before Plotly reads its few tags.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import plotly
import streamlit as st

from pages import ui
from pages.room_watch import READ_EVENTS_JS
from workshop.live import LiveCache
from workshop.model import Phase
from workshop.screens import PresentScreen, present_screen
from workshop.store import Store

ROUTE = "/api/present"  # under the app's base path; the page asks the relative "api/present"
EVENTS = "/api/present/events"
PLOTLY = "/api/present/plotly.js"
KEY = "projector"  # the component on the Present page
HEADER = "X-Cocreate-Presenter"  # the presenter link's token, on every request of the projector
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
ROTATE_SECONDS = 8  # the key terms and the wall turn a page this often
CHECK_SECONDS = 3.0  # how often a projector without its stream asks for the screen

JS = (
    READ_EVENTS_JS
    + """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".cc-screen");
  const screen = parentElement.__ccScreen || (parentElement.__ccScreen = { charts: new Map() });
  screen.data = data;

  const left = (seconds) => seconds <= 0 ? "Time is up"
    : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")} left`;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);  // never markup
    return node;
  }

  function plotly() {
    // Plotly.js once per tab, from the server beside the app; null when it cannot be had.
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!window.__ccPlotly) {
      window.__ccPlotly = new Promise((loaded) => {
        const script = document.createElement("script");
        script.src = screen.data.plotly;
        script.onload = () => loaded(window.Plotly || null);
        script.onerror = () => loaded(null);
        document.head.append(script);
      });
    }
    return window.__ccPlotly;
  }

  function chart(key, figure) {
    // One element per chart key, kept across views: Plotly.react redraws only what changed.
    let cell = screen.charts.get(key);
    if (!cell) {
      cell = el("div", "cc-chart");
      cell.dataset.chart = key;
      screen.charts.set(key, cell);
    }
    cell.__ccFigure = figure;
    plotly().then((Plotly) => {
      if (cell.__ccFigure !== figure) return;  // a newer view came meanwhile
      if (!Plotly) {
        cell.textContent = "Charts are drawn when Cocreate runs with its server (make run).";
        return;
      }
      const spec = JSON.parse(figure);
      Plotly.react(cell, spec.data || [], spec.layout || {}, { displayModeBar: false, responsive: true });
    });
    return cell;
  }

  function inTurn(items, perPage) {
    if (items.length <= perPage) return items;
    const pages = Math.ceil(items.length / perPage);
    const page = Math.floor(Date.now() / 1000 / screen.view.rotate) % pages;
    return items.slice(page * perPage, (page + 1) * perPage);
  }

  function numbers(view) {
    const row = el("div", "cc-numbers");
    for (const n of view.numbers) {
      const cell = el("div", "cc-number");
      cell.append(el("div", "cc-big", n.value), el("div", "cc-label", n.label));
      row.append(cell);
    }
    return row;
  }

  function wall(items) {
    const list = el("div", "cc-walls");
    for (const [theme, text] of inTurn(items, 3)) {
      const card = el("div", "cc-wall");
      card.append(el("div", "cc-label", theme), el("div", "cc-wall-text", text));
      list.append(card);
    }
    return list;
  }

  function qr(view, cls) {
    const image = el("img", cls);
    image.src = screen.data.qr;  // a data: URI the server made from the join link
    image.alt = `QR code to join: ${screen.data.join_url}`;
    return image;
  }

  function phaseLine() {
    const view = screen.view;
    let line = `Phase: ${view.label}`;
    if (screen.endsIn !== null) {
      const elapsed = Math.floor((Date.now() - screen.since) / 1000);
      line += ` · ⏱ ${left(screen.endsIn - elapsed)}`;
    }
    screen.line.textContent = line;
  }

  function draw() {
    const view = screen.view;
    screen.turn = Math.floor(Date.now() / 1000 / view.rotate);
    const header = el("div", "cc-header");
    const title = el("div", "cc-title");
    screen.line = el("div", "cc-label cc-phase");
    screen.line.setAttribute("role", "status");
    title.append(el("h1", null, view.title), screen.line);
    const join = el("div", "cc-join");
    join.append(el("div", "cc-label", "Join with code"), el("div", "cc-code", view.code));
    header.append(title, join);
    if (view.phase !== "lobby") header.append(qr(view, "cc-qr"));
    const body = [header];
    if (view.lobby) {
      const lobby = el("div", "cc-lobby");
      const info = el("div", "cc-lobby-info");
      const themes = el("ul");
      for (const theme of view.lobby.themes) themes.append(el("li", null, theme));
      const strategy = el("div", "cc-strategy", view.lobby.strategy);
      strategy.append(themes);
      info.append(el("div", "cc-label", "Open"), el("div", "cc-url", screen.data.join_url), numbers(view), strategy);
      lobby.append(qr(view, "cc-qr cc-qr-large"), info);
      body.push(lobby);
    } else {
      body.push(numbers(view));
      if (view.note) body.push(el("div", "cc-label cc-note", view.note));
      const cells = view.charts.map((c) => chart(c.key, c.figure));
      if (view.terms.length) {
        const [theme] = inTurn(view.terms, 1);
        cells.push(chart(`terms:${theme.theme}`, theme.figure));
      }
      if (view.wall.length) cells.push(wall(view.wall));
      const grid = el("div", cells.length > 1 ? "cc-grid" : "cc-single");
      grid.append(...cells);
      body.push(grid);
    }
    root.replaceChildren(...body);
    phaseLine();
  }

  function show(view, endsIn) {
    screen.view = view;
    screen.endsIn = endsIn;
    screen.since = Date.now();
    draw();
  }

  function ask(value) {
    // One rerun of the page's fragment at a time; one that has not come is asked again.
    if (Date.now() - (screen.askedAt || 0) < screen.data.every * 1000) return;
    screen.askedAt = Date.now();
    setTriggerValue("check", value);
  }

  function received(message) {
    if (typeof message.error === "string") {
      screen.view = null;
      const box = el("div", "cc-error", message.error);
      box.setAttribute("role", "alert");
      root.replaceChildren(box);
      return;
    }
    show(message.view, message.ends_in);
  }

  async function check() {
    try {
      const reply = await fetch(screen.data.url, {
        headers: { [screen.data.header]: screen.data.token }, cache: "no-store",
      });
      if (!reply.ok && reply.status !== 404) throw new Error(`status ${reply.status}`);
      const body = await reply.json();
      if (!reply.ok && typeof body.error !== "string") throw new Error("no route");
      received(body);
    } catch (e) {
      ask(Date.now());  // no route beside the page: the page draws the screen afresh
    }
  }

  function listen(follower) {
    // The screen as the server writes it, for as long as the stream lasts; false when none
    // could be opened.
    return readEvents(screen.data.events, { [screen.data.header]: screen.data.token }, follower.stop.signal,
      (message) => { if (screen.follower === follower) received(message); });
  }

  async function follow(follower) {
    // Listen; when the stream ends or cannot be opened, ask once and listen again a few
    // seconds later.
    const pause = () => new Promise((done) => setTimeout(done, screen.data.every * 1000));
    while (screen.follower === follower) {
      let streamed = false;
      try {
        streamed = await listen(follower);
      } catch (e) {
        // Taken down, or the network failed.
      }
      if (screen.follower !== follower) return;
      if (!streamed) await check();
      await pause();
    }
  }

  show(JSON.parse(data.view), data.ends_in);
  if (!screen.follower) {
    const follower = { stop: new AbortController() };
    follower.tick = setInterval(() => {
      if (!screen.view) return;
      if (Math.floor(Date.now() / 1000 / screen.view.rotate) !== screen.turn) draw();
      else phaseLine();
    }, 1000);
    screen.follower = follower;
    follow(follower);
  }
  return () => {
    const follower = screen.follower;
    screen.follower = null;
    clearInterval(follower.tick);
    follower.stop.abort();
  };
}
"""
)

HTML = '<div class="cc-screen"></div>'

CSS = """
.cc-screen { font-family: var(--st-font); color: var(--st-text-color); font-size: 2.2rem; line-height: 1.25; }
.cc-screen h1 { font-size: 3.2rem; margin: 0; padding: 0; line-height: 1.2; }
.cc-screen .cc-header { display: grid; grid-template-columns: 6fr 3fr 1fr; gap: 1.5rem; align-items: start; }
.cc-screen .cc-join { text-align: right; }
.cc-screen .cc-code { font-family: ui-monospace, monospace; letter-spacing: 0.15em; font-weight: 700;
                      font-size: 5rem; line-height: 1.1; }
.cc-screen .cc-label { font-size: 1.6rem; color: #555; }
.cc-screen .cc-phase { margin-top: 0.3rem; }
.cc-screen .cc-qr { display: block; width: 100%; height: auto; }
.cc-screen .cc-lobby { display: grid; grid-template-columns: 1fr 2fr; gap: 2rem; margin-top: 1rem; }
.cc-screen .cc-url { font-size: 2.4rem; overflow-wrap: anywhere; }
.cc-screen .cc-numbers { display: flex; gap: 4rem; margin: 1rem 0; }
.cc-screen .cc-big { font-size: 4rem; font-weight: 700; line-height: 1.1; }
.cc-screen .cc-strategy { margin-top: 1rem; white-space: pre-wrap; }
.cc-screen .cc-strategy ul { white-space: normal; margin: 0.5rem 0 0 0; }
.cc-screen .cc-strategy ul, .cc-screen .cc-strategy li { font-size: 2.2rem; line-height: 1.25; }
.cc-screen .cc-note { margin: 1rem 0; }
.cc-screen .cc-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.cc-screen .cc-chart { min-height: 450px; width: 100%; }
.cc-screen .cc-wall { font-size: 2rem; padding: 1rem 1.4rem; border-radius: 0.8rem; background: #f3f6fa;
                      margin-bottom: 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.cc-screen .cc-error { font-size: 1.2rem; padding: 1rem; border-radius: 0.5rem; background: #fdecea; color: #7d1f1a; }
"""

_component = st.components.v2.component("cocreate.projector", html=HTML, css=CSS, js=JS, isolate_styles=False)


def view_json(screen: PresentScreen) -> str:
    """The screen as the component draws it: JSON made once per screen (the figures are
    the larger part of it), the same for every projector of the workshop."""
    w = screen.workshop
    view = {
        "title": w.title,
        "code": w.code,
        "phase": w.phase.value,
        "label": w.phase.label,
        "rotate": ROTATE_SECONDS,
        "numbers": [{"value": n.value, "label": n.label} for n in screen.numbers],
        "note": screen.note,
        "lobby": None,
        "charts": [{"key": key, "figure": figure.to_json()} for key, figure in screen.charts],
        "terms": [{"theme": theme, "figure": figure.to_json()} for theme, figure in screen.terms],
        "wall": [list(item) for item in screen.wall],
    }
    if w.phase is Phase.LOBBY:
        view["lobby"] = {"strategy": w.strategy, "themes": [t.title for t in w.themes]}
    return json.dumps(view)


def current(store: Store, live: LiveCache, workshop_id: int) -> tuple[str, datetime | None]:
    """The view for the workshop's current data version, made once for every projector
    (raises KeyError when the workshop is gone), and when its timer ends."""

    def made() -> tuple[PresentScreen, str]:
        previous = live.previous("present", workshop_id)
        screen = present_screen(store, workshop_id, previous[0] if previous else None)
        return screen, view_json(screen)

    screen, view = live.get("present", workshop_id, made)
    return view, screen.workshop.timer_ends_at


def ends_in(store: Store, ends_at: datetime | None) -> int | None:
    """Seconds left on a timer ending at `ends_at` now, or None without one."""
    return None if ends_at is None else max(0, int((ends_at - store.now()).total_seconds()))


def draw(view: str, seconds_left: int | None, code: str, token: str, on_check: Callable[[], None]) -> None:
    """Draw the projector's screen from `view` (view_json) and follow the workshop with the
    presenter link's `token`; the trigger "check" reruns the fragment it is in. The join
    link (and its QR code) for the workshop's `code` is made here, in the page run: it is
    the address this browser used, which the shared view cannot know."""
    join_url = ui.join_url(code)
    data = {"view": view, "ends_in": seconds_left, "join_url": join_url, "qr": ui.qr_data_uri(join_url),
            "url": ROUTE.lstrip("/"), "events": EVENTS.lstrip("/"),
            "plotly": f"{PLOTLY.lstrip('/')}?v={plotly_version()}", "header": HEADER, "token": token,
            "every": CHECK_SECONDS}  # fmt: skip
    _component(key=KEY, data=data, on_check_change=on_check, width="stretch")


def plotly_version() -> str:
    """The Plotly.js the server hands out (its address changes with it, so browsers may keep it)."""
    import plotly.offline

    return plotly.offline.get_plotlyjs_version()
