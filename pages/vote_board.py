"""The dots of the Vote phase, placed without a page run.

In a room of 300 the Vote phase is where the clicks come: every person places all their
dots within a minute or two. As Streamlit buttons, each dot was a page run of its own
(its card and the "Dots left" line redrawn: 16–19 ms of server CPU, four empty pages'
worth), and the room's dots alone asked for more than one core. The `vote_board`
component draws the cards itself and places a dot with `POST api/dots` (answered by
pages/api.py beside the app: the store's write and nothing else, about 7 ms here, most
of it DuckDB's transaction). Its answer updates the card and the count of dots left in
the browser.

The page still draws the board from the database on every run, so what the board shows
after a reload or a move of the room is what is stored. Served without the route (e.g.
by `streamlit run app.py`), a dot goes to the page as the trigger "dot" and the page
places it; "Rate it" always does (trigger "rate"), the rating form is a Streamlit dialog.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from pages import cards
from pages.room_watch import HEADER, SHARED_MAX_AGE
from workshop import actions
from workshop.errors import BadRequest
from workshop.live import LiveCache
from workshop.model import Need, Participant, Workshop
from workshop.store import RoomNeeds, Store

ROUTE = "/api/dots"  # under the app's base path; the board posts to the relative "api/dots"
KEY = "vote_board"

JS = (
    cards.JS
    + """
export default mount(({ data, root, state: board, setTriggerValue }) => {
  if (board.fresh) board.used = data.used;

  const left = el("div", "cc-left");
  left.setAttribute("role", "status");
  const leftValue = el("div", "cc-value");
  left.append(el("div", "cc-label", "Dots left"), leftValue);
  root.append(left, el("p", "cc-caption", data.rules));

  function showLeft() {
    leftValue.textContent = `${data.budget - board.used} of ${data.budget}`;
  }

  function showCard(card) {
    const need = card.need;
    let line = need.theme;
    if (need.dots !== null) line += ` · ${need.dots} dots in total`;
    line += " · your dots: " + (need.mine ? "●".repeat(need.mine) : "none");
    card.line.textContent = line;
    card.remove.disabled = need.mine === 0;
    showMessage(card);
  }

  async function send(card, change) {
    // The store decides (budget, cap, phase); its answer is what the card shows.
    const body = await ask(data, "POST", { need: card.need.id, change });
    if (board.drawn !== data.drawn) return;  // the page was drawn again meanwhile: it shows what is stored
    if (body && typeof body.used === "number") {
      board.used = body.used;
      card.need.mine = body.mine;
      if (body.dots !== null) card.need.dots = body.dots;
      card.message = "";
    } else if (body && typeof body.error === "string") {
      card.message = body.error;
    } else {
      // No route beside the page (served by `streamlit run app.py`): the page places it.
      setTriggerValue("dot", { need: card.need.id, change, at: Date.now() });
      return;
    }
    showLeft();
    showCard(card);
  }

  for (const need of data.needs) {
    const card = needCard(need);
    card.need = board.items[need.id] || (board.items[need.id] = { ...need });
    const add = el("button", "", "Add a dot");
    card.remove = el("button", "", "Take one back");
    for (const [button, change] of [[add, 1], [card.remove, -1]]) {
      button.type = "button";
      button.onclick = () => { board.queue = board.queue.then(() => send(card, change)); };
      card.buttons.append(button);
    }
    if (data.rate) {
      const rate = el("button", "", need.rated || "Rate it");
      rate.type = "button";
      rate.onclick = () => setTriggerValue("rate", { need: need.id, at: Date.now() });
      card.buttons.append(rate);
    }
    root.append(card.box);
    showCard(card);
  }
  showLeft();
});
"""
)

HTML = '<div class="cc-cards"></div>'

CSS = (
    cards.CSS
    + """
.cc-label { font-size: 0.875rem; }
.cc-value { font-size: 2.25rem; line-height: 1.2; }
"""
)

_component = st.components.v2.component("cocreate.vote_board", html=HTML, css=CSS, js=JS)


def room_needs(store: Store, live: LiveCache, workshop_id: int, fresh: bool = False) -> RoomNeeds:
    """The needs as every participant sees them, one computation for the room (may lag a
    second; not when `fresh`, for a person who asked to see what is new)."""
    return live.get("needs", workshop_id, lambda: store.room_needs(workshop_id),
                    max_age=0.0 if fresh else SHARED_MAX_AGE)  # fmt: skip


def rules(workshop: Workshop) -> str:
    return f"At most {workshop.per_need_cap} dots on one need." + (
        "" if workshop.counts_visible else " Totals stay hidden until the facilitator reveals the results."
    )


def rated(need: Need) -> str | None:
    if need.my_importance is None and need.my_capability is None:
        return None
    return f"Rated: importance {need.my_importance}, capability {need.my_capability}"


def card(need: Need, theme: str, counts_visible: bool) -> dict:
    return {"id": need.id, "text": need.text, "theme": theme, "mine": need.my_dots,
            "dots": need.dots if counts_visible else None, "rated": rated(need)}  # fmt: skip


def board(workshop: Workshop, needs: list[Need], used: int, token: str,
          on_dot: Callable[[], None], on_rate: Callable[[], None]) -> None:  # fmt: skip
    """Draw the dots left and one card per need in `needs` (this person's dots laid over)."""
    data = {
        "url": ROUTE.lstrip("/"), "header": HEADER, "token": token, "drawn": time.time_ns(),
        "budget": workshop.dot_budget, "used": used, "rules": rules(workshop), "rate": workshop.rate_needs,
        "needs": [card(n, workshop.theme(n.theme_id).title if workshop.theme(n.theme_id) else "",
                       workshop.counts_visible) for n in needs],
    }  # fmt: skip
    _component(key=KEY, data=data, on_dot_change=on_dot, on_rate_change=on_rate)


def parse_change(value: object) -> tuple[int, int]:
    """A request to place (+1) or take back (-1) a dot: `{"need": id, "change": ±1}`."""
    need, change = cards.fields(value, need=int, change=int)
    if change not in (1, -1):
        raise BadRequest(cards.NOT_UNDERSTOOD)
    return need, change


def change_dot(store: Store, live: LiveCache, participant: Participant, need_id: int, change: int) -> dict:
    """Place or take back one of `participant`'s dots on a need; what their board shows then.
    Raises the store's refusal (BudgetSpent, NeedCapReached, WrongPhase …) as it is."""
    if change > 0:
        actions.place_dot(store, participant, need_id)
    else:
        actions.remove_dot(store, participant, need_id)
    mine = store.viewer_state(participant.workshop_id, participant.id)
    workshop = store.workshop(participant.workshop_id)
    total = None
    if workshop is not None and workshop.counts_visible:
        room = room_needs(store, live, participant.workshop_id)
        need = room.by_id.get(need_id)
        total = None if need is None else mine.need(need, room).dots
    return {"used": mine.dots_used, "mine": mine.dots.get(need_id, 0), "dots": total}
