// Others' needs, each with "Me too": `POST api/back`, whose answer updates the card.
export default mount(({ data, root, state: board }) => {
  function showCard(card) {
    const need = card.need;
    card.line.textContent = `${need.theme} · ${tn(data, "backing", need.backers)}`;
    card.button.textContent = need.backed ? t(data, "backed") : t(data, "me_too");
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
    } else {
      card.message = typeof body.error === "string" ? body.error : unreachable(data);
    }
    showCard(card);
  }

  for (const need of data.needs) {
    const card = needCard(data, need);
    card.need = board.items[need.id] || (board.items[need.id] = { ...need });
    card.button = el("button");
    card.button.type = "button";
    card.button.onclick = () => { board.queue = board.queue.then(() => send(card)); };
    card.buttons.append(card.button);
    root.append(card.box);
    showCard(card);
  }
});
