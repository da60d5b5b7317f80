// What the participant page's components share (put before each component's own file):
// an element with a class and text (text only ever as textContent: what participants wrote
// is never read as HTML); a request to the component's route with the participant's token;
// what a component keeps between drawings; a button, a text box that keeps its draft, the
// writing boards' send (`writing`) and answer line (`said`); and the frame of a need's card.

function unreachable(data) {
  return t(data, "unreachable");
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function ask(data, method, body) {
  // The route's JSON answer; `{ error }` when the server could not be reached or answered
  // something else than JSON.
  try {
    const reply = await fetch(data.url, {
      method, cache: "no-store",
      headers: { [data.header]: data.token, "Content-Type": "application/json", "Accept-Language": data.language },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return await reply.json();
  } catch (e) {
    return { error: unreachable(data) };
  }
}

function mount(draw) {
  // A component's entry: `draw` gets the data, the emptied root to draw in, what the
  // component keeps between drawings, and setTriggerValue; what it returns (a function
  // letting go of what it listens to) is called when the component is drawn again or goes.
  return function (component) {
    const { data, parentElement, setTriggerValue } = component;
    const root = parentElement.querySelector(".cc-cards");
    root.textContent = "";
    return draw({ data, root, state: kept(parentElement, data), setTriggerValue });
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
  // drawing's data, state and root, `kind` ("statements" or "needs"), `item`
  // (the field naming one of the person's items: "statement" or "need") and `draw`.
  // state.drafts / state.themes: draft key -> what is typed / the theme chosen;
  // state.editing: item ids whose edit box is open; state.mine: the person's items.
  const { data, state } = board;
  state.drafts = state.drafts || {};
  state.themes = state.themes || {};
  state.editing = state.editing || {};

  function counted(change) {
    // The room watch's offer to show new items counts others' only (room_watch.js).
    document.dispatchEvent(new CustomEvent("cocreate:own", { detail: { kind: board.kind, change } }));
  }

  function forget(draft) {
    delete state.drafts[draft];
    delete state.themes[draft];
  }

  if (state.fresh) state.mine = data.mine;

  function redraw(focusedId) {
    // Draw again; a person working by keyboard stays where they were, or, when that box
    // went (an edit saved), in the board's first text box.
    board.draw();
    if (focusedId === undefined) return;
    const again = focusedId && board.root.querySelector(`#${CSS.escape(focusedId)}`);
    (again || board.root.querySelector("textarea"))?.focus();
  }

  function focusedHere() {
    // The id of the element of this board that has the keyboard's focus ("" for one
    // without an id), or undefined when the focus is elsewhere.
    const focused = board.root.getRootNode().activeElement;
    return focused && board.root.contains(focused) ? focused.id : undefined;
  }

  async function send(body, draft, note) {
    // The store decides (phase, length, theme, ownership); its answer is what the board
    // shows, and `note(message, isError)` says it.
    if (state.busy) return;
    state.busy = true;
    const focusedId = focusedHere();
    const answer = await ask(data, "POST", body);
    state.busy = false;
    if (state.drawn !== data.drawn) return;  // the page was drawn again meanwhile: it shows what is stored
    if (answer && Array.isArray(answer.mine)) {
      counted(answer.mine.length - state.mine.length);
      state.mine = answer.mine;
      if (draft !== undefined) forget(draft);
      delete state.editing[body[board.item]];
      note(answer.done, false);
    } else {
      note(typeof answer.error === "string" ? answer.error : unreachable(data), true);
    }
    redraw(focusedId);
  }

  function cancel(id, draft) {
    const focusedId = focusedHere();
    delete state.editing[id];
    forget(draft);
    redraw(focusedId);
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

function needCard(data, need) {
  const card = { box: el("div", "cc-card"), line: el("p", "cc-caption"), buttons: el("div", "cc-buttons"),
                 error: el("p", "cc-error"), message: "" };
  card.box.dataset.need = need.id;
  card.box.setAttribute("role", "group");
  card.box.setAttribute("aria-label", need.text);
  card.error.setAttribute("role", "alert");
  card.box.append(el("p", "cc-text", need.text));
  if (Array.isArray(need.said) && need.said.length) {
    // The words that led to it (statements it cites), as text.
    card.box.append(el("p", "cc-caption cc-said", t(data, "from_said", { quotes: need.said.map((q) => `“${q}”`).join(" ") })));
  }
  card.box.append(card.line, card.buttons, card.error);
  return card;
}

function showMessage(card) {
  card.error.textContent = card.message;
  card.error.hidden = !card.message;
}
