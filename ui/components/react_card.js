// Others' statements one at a time: an answer is `POST api/react`, whose answer is the
// next card; "Look for new statements" is `GET api/react`, which the card also asks by
// itself when it has nothing to show and the room's status (room_watch.js) counts more
// statements than when it last looked. After an answer, the keyboard's focus moves to the
// next card's first button.
export default mount(({ data, root, state }) => {
  if (state.fresh) {
    state.shown = { card: data.card, waiting: data.waiting };
    state.busy = false;
    state.counted = undefined;  // the room's statements when the card last looked
  }

  function follow(event) {
    const counted = event.detail.statements;
    if (state.shown.card || counted === state.counted) return;
    state.counted = counted;
    send("GET", null, null);
  }

  function draw(shown, message) {
    const focused = root.getRootNode().activeElement;
    const keepFocus = Boolean(focused) && root.contains(focused);
    root.textContent = "";
    const card = shown.card;
    if (!card) {
      root.append(el("p", "cc-caption", t(data, "all_answered")));
      root.append(button(t(data, "look"), () => send("GET", null, null)));
    } else {
      const box = el("div", "cc-card");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", t(data, "to_answer"));
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
        shown.waiting > 1 ? tn(data, "waiting", shown.waiting - 1) : t(data, "last_one")));
    }
    if (message) {
      const error = el("p", "cc-error", message);
      error.setAttribute("role", "alert");
      root.append(error);
    }
    if (keepFocus) root.querySelector("button")?.focus();
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
    } else {
      draw(state.shown, typeof body.error === "string" ? body.error : unreachable(data));
    }
  }

  draw(state.shown, "");
  document.addEventListener("cocreate:status", follow);
  return () => document.removeEventListener("cocreate:status", follow);
});
