// The dots left and a card per need; a dot is placed or taken back by `POST api/dots`,
// whose answer updates the card and the count. "Rate it" asks the page for its dialog.
export default mount(({ data, root, state: board, setTriggerValue }) => {
  if (board.fresh) board.used = data.used;

  const left = el("div", "cc-left");
  left.setAttribute("role", "status");
  const leftValue = el("div", "cc-value");
  left.append(el("div", "cc-label", t(data, "dots_left")), leftValue);
  root.append(left, el("p", "cc-caption", data.rules));

  function showLeft() {
    leftValue.textContent = t(data, "left_of", { left: data.budget - board.used, budget: data.budget });
  }

  const cards = [];

  function showCard(card) {
    const need = card.need;
    let line = `${need.theme} · ${tn(data, "backing", need.backers)}`;
    if (need.dots !== null) line += ` · ${tn(data, "dots_total", need.dots)}`;
    line += ` · ${t(data, "your_dots", { dots: need.mine ? "●".repeat(need.mine) : t(data, "none") })}`;
    card.line.textContent = line;
    // What the rules allow: no dot past the budget or the need's cap, none to take back from nothing.
    // Once a reveal locked voting, nothing moves (`data.locked` says why).
    card.add.disabled = Boolean(data.locked) || board.used >= data.budget || need.mine >= data.cap;
    card.add.title = data.locked ? data.locked
      : board.used >= data.budget ? t(data, "all_placed")
      : need.mine >= data.cap ? t(data, "at_most", { cap: data.cap }) : "";
    card.remove.disabled = Boolean(data.locked) || need.mine === 0;
    card.remove.title = data.locked || "";
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
    } else {
      card.message = typeof body.error === "string" ? body.error : unreachable(data);
    }
    showLeft();
    for (const each of cards) showCard(each);
  }

  for (const need of data.needs) {
    const card = needCard(data, need);
    card.need = board.items[need.id] || (board.items[need.id] = { ...need });
    card.add = el("button", "", t(data, "add"));
    card.remove = el("button", "", t(data, "take_back"));
    for (const [button, change] of [[card.add, 1], [card.remove, -1]]) {
      button.type = "button";
      button.onclick = () => { board.queue = board.queue.then(() => send(card, change)); };
      card.buttons.append(button);
    }
    if (data.rate) {
      const rate = el("button", "", need.rated || t(data, "rate_it"));
      rate.type = "button";
      rate.onclick = () => setTriggerValue("rate", { need: need.id, at: Date.now() });
      card.buttons.append(rate);
    }
    root.append(card.box);
    cards.push(card);
    showCard(card);
  }
  showLeft();
});
