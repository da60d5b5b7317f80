"""What the participant page's own components share: the look of their cards, buttons and
text boxes (Streamlit's theme variables, so they sit in the page like its own elements),
the writing boards' sending and confirming (share_board, propose_board), and the reading
of what they send (a route's JSON body, or a trigger's value)."""

from __future__ import annotations

import json

import streamlit as st

from workshop.errors import BadRequest

NOT_UNDERSTOOD = "That request was not understood: reload the page and try again."

# Put before a component's `export default function`: an element with a class and text
# (text only ever as textContent: what participants wrote is never read as HTML); a
# request to the component's route with the participant's token, whose JSON answer comes
# back, or null when there was none (no route beside the page: the page does it instead);
# what a component keeps between drawings; a button, a text box that keeps its draft, the
# writing boards' send (`writing`) and answer line (`said`); and the frame of a need's card.
JS = """
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function ask(data, method, body) {
  try {
    const reply = await fetch(data.url, {
      method, cache: "no-store",
      headers: { [data.header]: data.token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return await reply.json();
  } catch (e) {
    return null;
  }
}

function mount(draw) {
  // A component's entry: `draw` gets the data, the emptied root to draw in, what the
  // component keeps between drawings, and setTriggerValue.
  return function (component) {
    const { data, parentElement, setTriggerValue } = component;
    const root = parentElement.querySelector(".cc-cards");
    root.textContent = "";
    draw({ data, root, state: kept(parentElement, data), setTriggerValue });
  };
}

function kept(parentElement, data) {
  // A new drawing by the page shows what is stored (`fresh`); the same one again keeps
  // the answers since. Clicks queue one after another, each after the answer to the last.
  const state = parentElement.__cc || (parentElement.__cc = { queue: Promise.resolve() });
  state.fresh = state.drawn !== data.drawn;
  if (state.fresh) {
    state.drawn = data.drawn;
    state.items = {};
  }
  return state;
}

function button(label, onclick, cls) {
  const b = el("button", cls || "", label);
  b.type = "button";
  b.onclick = onclick;
  return b;
}

function textBox(state, data, label, draft, value, submit) {
  // A text box whose typing is kept in `state.drafts[draft]` while the page is drawn
  // again; Ctrl+Enter (⌘+Enter) sends, as in Streamlit's own forms.
  const area = el("textarea");
  area.id = `cc-box-${String(draft).replace(" ", "-")}`;
  area.setAttribute("aria-label", label);
  area.maxLength = data.max_chars;
  area.rows = 3;
  area.value = draft in state.drafts ? state.drafts[draft] : value;
  area.oninput = () => { state.drafts[draft] = area.value; };
  area.onkeydown = (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
  return area;
}

function writing(board) {
  // What the boards people write on share (share_board, propose_board). `board` holds the
  // drawing's data, state and setTriggerValue, `kind` ("statements" or "needs"), `item`
  // (the field naming one of the person's items: "statement" or "need") and `draw`.
  // state.drafts / state.themes: draft key -> what is typed / the theme chosen;
  // state.editing: item ids whose edit box is open; state.mine: the person's items.
  const { data, state } = board;
  state.drafts = state.drafts || {};
  state.themes = state.themes || {};
  state.editing = state.editing || {};

  function counted(change) {
    // The room watch's offer to show new items counts others' only (pages/room_watch.py).
    document.dispatchEvent(new CustomEvent("cocreate:own", { detail: { kind: board.kind, change } }));
  }

  function forget(draft) {
    delete state.drafts[draft];
    delete state.themes[draft];
  }

  if (state.fresh) {
    state.mine = data.mine;
    if (state.sent) {
      // Handed to the page (no route): it was stored if the page now shows it.
      const { theme, text, draft } = state.sent;
      if (data.mine.some((item) => item.theme === theme && item.text === text)) {
        forget(draft);
        counted(1);
      }
      state.sent = null;
    }
  }

  async function send(body, draft, note) {
    // The store decides (phase, length, theme, ownership); its answer is what the board
    // shows, and `note(message, isError)` says it.
    if (state.busy) return;
    state.busy = true;
    const answer = await ask(data, "POST", body);
    state.busy = false;
    if (state.drawn !== data.drawn) return;  // the page was drawn again meanwhile: it shows what is stored
    if (answer && Array.isArray(answer.mine)) {
      counted(answer.mine.length - state.mine.length);
      state.mine = answer.mine;
      if (draft !== undefined) forget(draft);
      delete state.editing[body[board.item]];
      note(answer.done, false);
    } else if (answer && typeof answer.error === "string") {
      note(answer.error, true);
    } else {
      // No route beside the page (served by `streamlit run app.py`): the page stores it.
      if (body[board.item] === undefined) state.sent = { theme: body.theme, text: body.text, draft };
      board.setTriggerValue("write", { ...body, at: Date.now() });
      return;
    }
    board.draw();
  }

  function cancel(id, draft) {
    delete state.editing[id];
    forget(draft);
    board.draw();
  }

  return { send, cancel };
}

function said(message, error) {
  // A board's answer: "Shared.", or the store's refusal as an alert.
  const line = el("p", error ? "cc-error" : "cc-caption", message);
  line.setAttribute("role", error ? "alert" : "status");
  line.hidden = !message;
  return line;
}

function needCard(need) {
  const card = { box: el("div", "cc-card"), line: el("p", "cc-caption"), buttons: el("div", "cc-buttons"),
                 error: el("p", "cc-error"), message: "" };
  card.box.dataset.need = need.id;
  card.box.setAttribute("role", "group");
  card.box.setAttribute("aria-label", need.text);
  card.error.setAttribute("role", "alert");
  card.box.append(el("p", "cc-text", need.text), card.line, card.buttons, card.error);
  return card;
}

function showMessage(card) {
  card.error.textContent = card.message;
  card.error.hidden = !card.message;
}
"""

CSS = """
.cc-cards { font-family: var(--st-font); color: var(--st-text-color); }
.cc-caption { font-size: 0.875rem; opacity: 0.7; margin: 0.25rem 0 0.75rem 0; }
.cc-card { border: 1px solid var(--st-border-color); border-radius: 0.5rem; padding: 1rem; margin: 0 0 1rem 0; }
.cc-text { margin: 0 0 0.25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.cc-buttons { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.cc-error { color: var(--st-red-color, #d33); margin: 0.5rem 0 0 0; }
button { font-family: var(--st-font); font-size: 1rem; color: var(--st-text-color);
         background: var(--st-background-color); border: 1px solid var(--st-border-color);
         border-radius: 0.5rem; padding: 0.25rem 0.75rem; min-height: 2.5rem; cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--st-primary-color); color: var(--st-primary-color); }
button:focus-visible { outline: 2px solid var(--st-primary-color); outline-offset: 2px; }
button:disabled { opacity: 0.4; cursor: not-allowed; }
"""

# The boards people write on (share_board, propose_board): labels, text boxes, the button
# that sends, and the frame of what the person wrote.
WRITING_CSS = """
.cc-label { display: block; font-size: 0.875rem; margin: 0.75rem 0 0.25rem 0; }
textarea, select { box-sizing: border-box; width: 100%; font-family: var(--st-font); font-size: 1rem;
           color: var(--st-text-color); background: var(--st-secondary-background-color, transparent);
           border: 1px solid var(--st-border-color); border-radius: 0.5rem; padding: 0.5rem;
           margin: 0 0 0.5rem 0; }
textarea { resize: vertical; }
textarea:focus-visible, select:focus-visible { outline: 2px solid var(--st-primary-color); outline-offset: 1px; }
button.cc-primary { background: var(--st-primary-color); border-color: var(--st-primary-color); color: white; }
button.cc-primary:hover { color: white; opacity: 0.9; }
.cc-mine { border-left: 4px solid var(--st-primary-color); margin-top: 1rem; }
"""


def json_object(value: object) -> dict:
    """A component's JSON object, from a route's body (bytes) or a trigger's value (a dict);
    BadRequest when it is not one."""
    if isinstance(value, (bytes, str)):
        try:
            value = json.loads(value or b"null")
        except ValueError:
            value = None
    if not isinstance(value, dict):
        raise BadRequest(NOT_UNDERSTOOD)
    return value


def fields(value: object, **expected: type) -> tuple:
    """The fields `expected` (name=type) of a JSON object sent by a component, as a route's
    body (bytes) or a trigger's value (a dict); BadRequest when one is missing or of
    another type (a bool is not an int)."""
    value = json_object(value)
    found = tuple(value.get(name) for name in expected)
    if any(type(v) is not kind for v, kind in zip(found, expected.values(), strict=True)):
        raise BadRequest(NOT_UNDERSTOOD)
    return found


def handed(key: str, event: str) -> dict | None:
    """What the component `key` handed to the page with its trigger `event` in this run
    (a click it could not send to its route), or None."""
    value = getattr(st.session_state.get(key), event, None)
    return value if isinstance(value, dict) else None
