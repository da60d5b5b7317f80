"""Others' needs in the Propose phase, backed ("Me too") without a page run.

Each "Me too" was a page run of its card's fragment (about 18 ms of server CPU). The
`back_board` component draws the cards and backs a need with `POST api/back`
(pages/api.py): the store's write, and the need's backing count in the answer. The page
draws the board from the database on every run (and when the person asks to see new
needs). Served without the route (`streamlit run app.py`), the board hands the click to
the page (trigger "back"), which stores it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from pages import cards
from pages.room_watch import HEADER
from pages.vote_board import room_needs
from workshop import actions
from workshop.live import LiveCache
from workshop.model import Need, Participant, Workshop
from workshop.store import Store

ROUTE = "/api/back"  # under the app's base path; the board posts to the relative "api/back"
KEY = "back_board"

JS = (
    cards.JS
    + """
export default mount(({ data, root, state: board, setTriggerValue }) => {

  function showCard(card) {
    const need = card.need;
    card.line.textContent = `${need.theme} · ${need.backers} backing`;
    card.button.textContent = need.backed ? "✓ You back this" : "Me too";
    card.button.className = need.backed ? "cc-on" : "";
    card.button.setAttribute("aria-pressed", need.backed ? "true" : "false");
    showMessage(card);
  }

  async function send(card) {
    const backed = !card.need.backed;
    const body = await ask(data, "POST", { need: card.need.id, backed });
    if (board.drawn !== data.drawn) return;  // the page was drawn again meanwhile: it shows what is stored
    if (body && typeof body.backed === "boolean") {
      card.need.backed = body.backed;
      card.need.backers = body.backers;
      card.message = "";
    } else if (body && typeof body.error === "string") {
      card.message = body.error;
    } else {
      // No route beside the page (served by `streamlit run app.py`): the page stores it.
      setTriggerValue("back", { need: card.need.id, backed, at: Date.now() });
      return;
    }
    showCard(card);
  }

  for (const need of data.needs) {
    const card = needCard(need);
    card.need = board.items[need.id] || (board.items[need.id] = { ...need });
    card.button = el("button");
    card.button.type = "button";
    card.button.onclick = () => { board.queue = board.queue.then(() => send(card)); };
    card.buttons.append(card.button);
    root.append(card.box);
    showCard(card);
  }
});
"""
)

HTML = '<div class="cc-cards"></div>'

CSS = (
    cards.CSS
    + """
button.cc-on { background: var(--st-primary-color); border-color: var(--st-primary-color); color: white; }
button.cc-on:hover { color: white; opacity: 0.9; }
"""
)

_component = st.components.v2.component("cocreate.back_board", html=HTML, css=CSS, js=JS)


def card(need: Need, workshop: Workshop) -> dict:
    theme = workshop.theme(need.theme_id)
    return {"id": need.id, "text": need.text, "theme": theme.title if theme else "", "backers": need.backers,
            "backed": need.i_backed}  # fmt: skip


def board(workshop: Workshop, needs: list[Need], token: str, on_back: Callable[[], None]) -> None:
    """Draw one card per need in `needs` (this person's backing laid over)."""
    data = {"url": ROUTE.lstrip("/"), "header": HEADER, "token": token, "drawn": time.time_ns(),
            "needs": [card(n, workshop) for n in needs]}  # fmt: skip
    _component(key=KEY, data=data, on_back_change=on_back)


def parse_backing(value: object) -> tuple[int, bool]:
    """A request to back a need or take the backing back: `{"need": id, "backed": true | false}`."""
    return cards.fields(value, need=int, backed=bool)


def set_backing(store: Store, live: LiveCache, participant: Participant, need_id: int, backed: bool) -> dict:
    """Back a need or take the backing back; what its card shows then. Raises the store's
    refusal (WrongPhase, NotYours, ItemNotFound …) as it is."""
    actions.back(store, participant, need_id, backed)
    mine = store.viewer_state(participant.workshop_id, participant.id)
    room = room_needs(store, live, participant.workshop_id)
    need = room.by_id.get(need_id)
    if need is not None:
        backers = mine.need(need, room).backers
    else:  # proposed within the last second: not in the room's list yet
        backers = next((n.backers for n in store.needs(participant.workshop_id) if n.id == need_id), 0)
    return {"backed": need_id in mine.backed, "backers": backers}
