"""The Share phase's themes, written to without a page run.

When the room moves to Share, every open tab draws the Share page at once, and within the
next minute each person shares two or three statements. As Streamlit widgets the page was
a tab per theme, each with its answer form, the person's own statements (with a form each
to edit or withdraw) and what others said: about nine empty pages' worth of server CPU to
draw, and each statement shared was a fragment run of a dozen more. The `share_board`
component draws the themes itself (a tab each: the prompt, the answer box, what the person
wrote and what others said) and sends what is written with `POST api/share`
(pages/api.py): the store's write, and the person's own statements in the answer.

The page draws the board from the database on every run, so what it shows after a reload
or a move of the room is what is stored; what a person is typing is kept while the page
is drawn again. Served without the route (`streamlit run app.py`), the board hands what
was written to its fragment (trigger "write"), which stores it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from pages import cards
from pages.react_card import byline
from pages.room_watch import HEADER
from workshop import actions
from workshop.errors import BadRequest
from workshop.live import LiveCache
from workshop.model import Participant, Statement, Workshop
from workshop.store import Store
from workshop.text import MAX_TEXT

ROUTE = "/api/share"  # under the app's base path; the board posts to the relative "api/share"
KEY = "share_board"
OTHERS_SHOWN = 80  # others' statements listed per theme, newest first
DONE = {"share": "Shared.", "edit": "Saved.", "withdraw": "Withdrawn."}

JS = (
    cards.JS
    + """
export default mount(({ data, root, state, setTriggerValue }) => {
  // state.drafts: theme id or "edit <statement id>" -> what is typed (cards.py `writing`)
  const board = writing({ data, state, setTriggerValue, kind: "statements", item: "statement", draw: () => draw() });
  if (state.fresh) state.notes = {};   // theme id -> [message, is it an error]
  if (!data.themes.some((t) => t.id === state.tab)) state.tab = data.themes[0].id;

  const tabs = el("div", "cc-tabs");
  tabs.setAttribute("role", "tablist");
  const panel = el("div", "cc-panel");
  panel.setAttribute("role", "tabpanel");
  panel.id = "cc-share-panel";
  root.append(tabs, panel);

  function send(theme, body, draft) {
    return board.send(body, draft, (message, error) => { state.notes[theme] = [message, error]; });
  }

  function ownCard(theme, statement) {
    const card = el("div", "cc-card cc-mine");
    card.dataset.statement = statement.id;
    card.setAttribute("role", "group");
    card.setAttribute("aria-label", "You wrote");
    card.append(el("p", "cc-caption", "You wrote"), el("p", "cc-text", statement.text));
    const row = el("div", "cc-buttons");
    if (state.editing[statement.id]) {
      const draft = `edit ${statement.id}`;
      const save = () => send(theme, { do: "edit", statement: statement.id, text: area.value }, draft);
      const area = textBox(state, data, "Your statement", draft, statement.text, save);
      card.append(area);
      row.append(button("Save changes", save), button("Cancel", () => board.cancel(statement.id, draft)));
    } else {
      row.append(
        button("Edit", () => { state.editing[statement.id] = true; draw(); }),
        button("Withdraw", () => send(theme, { do: "withdraw", statement: statement.id })),
      );
    }
    card.append(row);
    return card;
  }

  function draw() {
    tabs.textContent = "";
    panel.textContent = "";
    for (const theme of data.themes) {
      const tab = button(theme.title, () => { state.tab = theme.id; draw(); }, "cc-tab");
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", theme.id === state.tab ? "true" : "false");
      tab.setAttribute("aria-controls", panel.id);
      tabs.append(tab);
    }
    const theme = data.themes.find((t) => t.id === state.tab);
    panel.setAttribute("aria-label", theme.title);
    panel.append(el("p", "cc-text", theme.prompt));

    const submit = () => send(theme.id, { do: "share", theme: theme.id, text: area.value }, theme.id);
    const area = textBox(state, data, "Your answer", theme.id, "", submit);
    const share = button("Share", submit, "cc-primary");
    const row = el("div", "cc-buttons");
    row.append(share);
    const label = el("label", "cc-label", "Your answer");
    label.htmlFor = area.id;
    panel.append(label, area, row, said(...(state.notes[theme.id] || ["", false])));

    for (const statement of state.mine) {
      if (statement.theme === theme.id) panel.append(ownCard(theme.id, statement));
    }
    if (theme.others.length) {
      const others = el("details", "cc-others");
      others.append(el("summary", "", `What others said (${theme.others_count})`));
      const list = el("ul");
      for (const line of theme.others) list.append(el("li", "cc-text", line));
      others.append(list);
      panel.append(others);
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
.cc-tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; border-bottom: 1px solid var(--st-border-color);
           margin: 0 0 1rem 0; }
button.cc-tab { border: none; border-bottom: 2px solid transparent; border-radius: 0; background: none; }
button.cc-tab[aria-selected="true"] { border-bottom-color: var(--st-primary-color); color: var(--st-primary-color); }
.cc-others { margin: 1rem 0 0 0; }
.cc-others summary { cursor: pointer; }
.cc-others ul { padding-left: 1.25rem; }
"""
)

_component = st.components.v2.component("cocreate.share_board", html=HTML, css=CSS, js=JS)


def said(statement: Statement, anonymous: bool) -> str:
    """A statement as others see it listed: its text, then who wrote it."""
    who = byline(statement, anonymous)
    return statement.text + (f"  ({who})" if who else "")


def own(statement_id: int, theme_id: int, text: str) -> dict:
    """One of the person's own statements as the board lists it."""
    return {"id": statement_id, "theme": theme_id, "text": text}


def board(workshop: Workshop, seen: list[Statement], mine: list[Statement], participant_id: int, token: str,
          on_write: Callable[[], None]) -> None:  # fmt: skip
    """Draw a tab per theme: its prompt, the answer box, `mine` on it and others' statements in `seen`."""
    themes = []
    for theme in workshop.themes:
        others = [s for s in seen if s.theme_id == theme.id and s.participant_id != participant_id]
        themes.append({"id": theme.id, "title": theme.title, "prompt": theme.prompt, "others_count": len(others),
                       "others": [said(s, workshop.anonymous) for s in reversed(others[-OTHERS_SHOWN:])]})  # fmt: skip
    data = {"url": ROUTE.lstrip("/"), "header": HEADER, "token": token, "drawn": time.time_ns(),
            "max_chars": MAX_TEXT, "themes": themes, "mine": [own(s.id, s.theme_id, s.text) for s in mine]}  # fmt: skip
    _component(key=KEY, data=data, on_write_change=on_write)


def parse_writing(value: object) -> tuple[str, int, str | None]:
    """What was written: `{"do": "share", "theme": id, "text": …}`, `{"do": "edit",
    "statement": id, "text": …}` or `{"do": "withdraw", "statement": id}`; as (what, the
    theme or statement id, the text)."""
    value = cards.json_object(value)
    (do,) = cards.fields(value, do=str)
    if do == "share":
        theme, text = cards.fields(value, theme=int, text=str)
        return do, theme, text
    if do == "edit":
        statement, text = cards.fields(value, statement=int, text=str)
        return do, statement, text
    if do == "withdraw":
        (statement,) = cards.fields(value, statement=int)
        return do, statement, None
    raise BadRequest(cards.NOT_UNDERSTOOD)


def write(
    store: Store, live: LiveCache, participant: Participant, do: str, item_id: int, text: str | None
) -> dict:
    """Share a statement on a theme, edit one or withdraw one; the person's statements then
    and what to confirm. Raises the store's refusal (WrongPhase, a text refused, NotYours …) as it is."""
    if do == "share":
        actions.share(store, participant, item_id, text)
    elif do == "edit":
        actions.edit_statement(store, participant, item_id, text)
    else:
        actions.withdraw_statement(store, participant, item_id)
    mine = store.own_statements(participant.workshop_id, participant.id)
    return {"mine": [own(*row) for row in mine], "done": DONE[do]}
