"""Others' statements one at a time in the Share phase, answered without a page run.

While a room of 300 shares, each person also answers others' statements: agree, disagree
or pass, one card after another. As a Streamlit fragment each answer was a page run
(about 20 ms of server CPU) and the Share phase was the busiest of the workshop. The
`react_card` component draws the card itself and answers it with `POST api/react`
(pages/api.py): the store's write, and the next card in the answer. "Look for new
statements" is `GET api/react`, read from memory.

The page draws the first card from the database on every run. Served without the route
(`streamlit run app.py`), the card hands an answer to its fragment (trigger "react") and
the fragment stores it and draws the next one; "look" reruns the fragment.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from pages import cards
from pages.room_watch import HEADER, SHARED_MAX_AGE
from workshop import actions
from workshop.errors import BadRequest, WorkshopNotFound
from workshop.live import LiveCache
from workshop.model import Need, Participant, Reaction, Statement, Workshop
from workshop.store import Store

ROUTE = "/api/react"  # under the app's base path; the card asks the relative "api/react"
KEY = "react_card"
LABELS = {Reaction.AGREE: "👍 Agree", Reaction.DISAGREE: "👎 Disagree", Reaction.PASS: "Pass"}

JS = (
    cards.JS
    + """
export default mount(({ data, root, state, setTriggerValue }) => {
  if (state.fresh) {
    state.shown = { card: data.card, waiting: data.waiting };
    state.busy = false;
  }

  function draw(shown, message) {
    root.textContent = "";
    const card = shown.card;
    if (!card) {
      root.append(el("p", "cc-caption", "You have answered every statement so far. New ones will appear here."));
      root.append(button("Look for new statements", () => send("GET", null, null)));
    } else {
      const box = el("div", "cc-card");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "A statement to answer");
      box.dataset.statement = card.id;
      box.append(el("p", "cc-caption", card.theme + (card.byline ? ` · ${card.byline}` : "")));
      box.append(el("p", "cc-text", card.text));
      const row = el("div", "cc-buttons");
      for (const [kind, label] of data.labels) {
        row.append(button(label, () => send("POST", card, kind)));
      }
      box.append(row);
      root.append(box);
      root.append(el("p", "cc-caption",
        shown.waiting > 1 ? `${shown.waiting - 1} more waiting for your view.` : "The last one for now."));
    }
    if (message) {
      const error = el("p", "cc-error", message);
      error.setAttribute("role", "alert");
      root.append(error);
    }
  }

  async function send(method, card, kind) {
    if (state.busy) return;  // one answer at a time: the next card comes with it
    state.busy = true;
    const body = await ask(data, method, method === "POST" ? { statement: card.id, kind } : undefined);
    state.busy = false;
    if (state.drawn !== data.drawn) return;  // the page was drawn again meanwhile
    if (body && "card" in body) {
      state.shown = body;
      draw(body, "");
    } else if (body && typeof body.error === "string") {
      draw(state.shown, body.error);
    } else if (method === "POST") {
      // No route beside the page (served by `streamlit run app.py`): the page stores it.
      setTriggerValue("react", { statement: card.id, kind, at: Date.now() });
      return;
    } else {
      setTriggerValue("look", Date.now());
    }
  }

  draw(state.shown, "");
});
"""
)

HTML = '<div class="cc-cards"></div>'

CSS = cards.CSS

_component = st.components.v2.component("cocreate.react_card", html=HTML, css=CSS, js=JS)


def byline(item: Statement | Need, anonymous: bool) -> str:
    """Who wrote it, as others may see it: the name (unless the workshop is anonymous), the team."""
    parts = []
    if not anonymous and item.author:
        parts.append(item.author)
    if item.team:
        parts.append(item.team)
    return " · ".join(parts)


def statements_seen(store: Store, live: LiveCache, workshop_id: int, fresh: bool = False) -> list[Statement]:
    """The workshop's statements as everybody sees them, one computation for the room (may
    lag a second; not when `fresh`, for a person who asked to see what is new)."""
    return live.get("statements", workshop_id, lambda: store.statements(workshop_id),
                    max_age=0.0 if fresh else SHARED_MAX_AGE)  # fmt: skip


def next_card(store: Store, live: LiveCache, participant: Participant, workshop: Workshop) -> dict:
    """The statement this person should answer next (others', unanswered, least answered
    first) and how many wait for their view."""
    answered = store.viewer_state(workshop.id, participant.id).reactions
    waiting = [s for s in statements_seen(store, live, workshop.id)
               if s.participant_id != participant.id and s.id not in answered]  # fmt: skip
    if not waiting:
        return {"card": None, "waiting": 0}
    statement = min(waiting, key=lambda s: (s.agree + s.disagree + s.passes, s.id))
    theme = workshop.theme(statement.theme_id)
    card = {"id": statement.id, "theme": theme.title if theme else "", "text": statement.text,
            "byline": byline(statement, workshop.anonymous)}  # fmt: skip
    return {"card": card, "waiting": len(waiting)}


def card(shown: dict, token: str, on_react: Callable[[], None], on_look: Callable[[], None]) -> None:
    """Draw `shown` (what next_card returned) and answer it with `token`."""
    data = {"url": ROUTE.lstrip("/"), "header": HEADER, "token": token, "drawn": time.time_ns(),
            "labels": [[kind.value, label] for kind, label in LABELS.items()], **shown}  # fmt: skip
    _component(key=KEY, data=data, on_react_change=on_react, on_look_change=on_look)


def parse_answer(value: object) -> tuple[int, Reaction]:
    """An answer to a statement: `{"statement": id, "kind": "agree" | "disagree" | "pass"}`."""
    statement, kind = cards.fields(value, statement=int, kind=str)
    if kind not in {r.value for r in Reaction}:
        raise BadRequest(cards.NOT_UNDERSTOOD)
    return statement, Reaction(kind)


def answer(store: Store, live: LiveCache, participant: Participant, statement_id: int | None,
           kind: Reaction | None) -> dict:  # fmt: skip
    """Store `participant`'s answer to a statement (none: only look), then their next card.
    Raises the store's refusal (WrongPhase, ItemNotFound, NotYours …) as it is."""
    if statement_id is not None and kind is not None:
        actions.react(store, participant, statement_id, kind)
    workshop = store.workshop(participant.workshop_id)
    if workshop is None:
        raise WorkshopNotFound("This workshop no longer exists.")
    return next_card(store, live, participant, workshop)
