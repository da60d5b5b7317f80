"""The Propose phase's form and the person's own proposals, written to without a page run.

When the room moves to Propose, every open tab draws the Propose page, and within the next
minute a third of the room sends a proposal. As a Streamlit form in a fragment each
proposal was a fragment run that queued behind the room's redraws of the page (p95 1.6 s
at 800 people). The `propose_board` component draws the theme choice, the text box and
the person's proposals (each with Edit and Withdraw) itself and sends what is written with
`POST api/propose` (pages/api.py): the store's write, and the person's proposals in the
answer.

The page draws the board from the database on every run, so what it shows after a reload
or a move of the room is what is stored; what a person is typing is kept while the page is
drawn again. Served without the route (`streamlit run app.py`), the board hands what was
written to its fragment (trigger "write"), which stores it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from pages import cards
from pages.room_watch import HEADER
from workshop import actions
from workshop.errors import BadRequest
from workshop.live import LiveCache
from workshop.model import Need, Participant, Workshop
from workshop.store import Store
from workshop.text import MAX_TEXT

ROUTE = "/api/propose"  # under the app's base path; the board posts to the relative "api/propose"
KEY = "propose_board"
DONE = {"propose": "Proposed.", "edit": "Saved.", "withdraw": "Withdrawn."}
ASK = "A development need (a skill, practice or capability)"

JS = (
    cards.JS
    + """
export default mount(({ data, root, state, setTriggerValue }) => {
  // state.drafts / state.themes: "new" or "edit <need id>" -> what is typed / the theme (cards.py `writing`)
  const board = writing({ data, state, setTriggerValue, kind: "needs", item: "need", draw: () => draw() });
  if (state.fresh) state.note = null;  // [message, is it an error]
  const titles = Object.fromEntries(data.themes.map((t) => [t.id, t.title]));

  function send(body, draft) {
    return board.send(body, draft, (message, error) => { state.note = [message, error]; });
  }

  function themeChoice(draft, value) {
    const select = el("select");
    select.id = `cc-theme-${draft.replace(" ", "-")}`;
    for (const theme of data.themes) {
      const option = el("option", "", theme.title);
      option.value = String(theme.id);
      select.append(option);
    }
    select.value = String(draft in state.themes ? state.themes[draft] : value);
    select.onchange = () => { state.themes[draft] = Number(select.value); };
    const label = el("label", "cc-label", "Theme");
    label.htmlFor = select.id;
    return [label, select];
  }

  function ownCard(need) {
    const card = el("div", "cc-card cc-mine");
    card.dataset.need = need.id;
    card.setAttribute("role", "group");
    card.setAttribute("aria-label", "You proposed");
    card.append(el("p", "cc-text", need.text),
                el("p", "cc-caption", `${titles[need.theme] || ""} · ${need.backers} backing`));
    const row = el("div", "cc-buttons");
    if (state.editing[need.id]) {
      const draft = `edit ${need.id}`;
      const [label, select] = themeChoice(draft, need.theme);
      const save = () => send({ do: "edit", need: need.id, theme: Number(select.value), text: area.value }, draft);
      const area = textBox(state, data, "Your proposal", draft, need.text, save);
      card.append(label, select, area);
      row.append(button("Save changes", save), button("Cancel", () => board.cancel(need.id, draft)));
    } else {
      row.append(
        button("Edit", () => { state.editing[need.id] = true; draw(); }),
        button("Withdraw", () => send({ do: "withdraw", need: need.id })),
      );
    }
    card.append(row);
    return card;
  }

  function draw() {
    root.textContent = "";
    const [themeLabel, select] = themeChoice("new", data.themes[0].id);
    const submit = () => send({ do: "propose", theme: Number(select.value), text: area.value }, "new");
    const area = textBox(state, data, data.ask, "new", "", submit);
    const label = el("label", "cc-label", data.ask);
    label.htmlFor = area.id;
    const row = el("div", "cc-buttons");
    row.append(button("Propose", submit, "cc-primary"));
    root.append(themeLabel, select, label, area, row, said(...(state.note || ["", false])));
    if (state.mine.length) {
      root.append(el("p", "cc-subheading", "Your proposals"));
      for (const need of state.mine) root.append(ownCard(need));
    }
  }

  draw();
});
"""
)

HTML = '<div class="cc-cards"></div>'

CSS = (
    cards.CSS
    + cards.WRITING_CSS
    + """
.cc-subheading { font-size: 1.25rem; font-weight: 600; margin: 1.5rem 0 0.5rem 0; }
"""
)

_component = st.components.v2.component("cocreate.propose_board", html=HTML, css=CSS, js=JS)


def own(need_id: int, theme_id: int, text: str, backers: int) -> dict:
    """One of the person's own proposals as the board lists it."""
    return {"id": need_id, "theme": theme_id, "text": text, "backers": backers}


def board(workshop: Workshop, mine: list[Need], token: str, on_write: Callable[[], None]) -> None:
    """Draw the theme choice, the text box and `mine`, the person's proposals (oldest first)."""
    data = {"url": ROUTE.lstrip("/"), "header": HEADER, "token": token, "drawn": time.time_ns(),
            "max_chars": MAX_TEXT, "ask": ASK, "themes": [{"id": t.id, "title": t.title} for t in workshop.themes],
            "mine": [own(n.id, n.theme_id, n.text, n.backers) for n in sorted(mine, key=lambda n: n.id)]}  # fmt: skip
    _component(key=KEY, data=data, on_write_change=on_write)


def parse_writing(value: object) -> tuple[str, int, int | None, str | None]:
    """What was written: `{"do": "propose", "theme": id, "text": …}`, `{"do": "edit",
    "need": id, "theme": id, "text": …}` or `{"do": "withdraw", "need": id}`; as (what,
    the need id or None, the theme id or None, the text or None)."""
    value = cards.json_object(value)
    (do,) = cards.fields(value, do=str)
    if do == "propose":
        theme, text = cards.fields(value, theme=int, text=str)
        return do, None, theme, text
    if do == "edit":
        need, theme, text = cards.fields(value, need=int, theme=int, text=str)
        return do, need, theme, text
    if do == "withdraw":
        (need,) = cards.fields(value, need=int)
        return do, need, None, None
    raise BadRequest(cards.NOT_UNDERSTOOD)


def write(store: Store, live: LiveCache, participant: Participant, do: str, need_id: int | None,
          theme_id: int | None, text: str | None) -> dict:  # fmt: skip
    """Propose a need, edit one or withdraw one; the person's proposals then and what to
    confirm. Raises the store's refusal (WrongPhase, a text refused, NotYours …) as it is."""
    if do == "propose":
        actions.propose(store, participant, theme_id, text)
    elif do == "edit":
        actions.edit_need(store, participant, need_id, text, theme_id)
    else:
        actions.withdraw_need(store, participant, need_id)
    mine = store.own_needs(participant.workshop_id, participant.id)
    return {"mine": [own(*row) for row in mine], "done": DONE[do]}
