// A tab per theme: its prompt, the answer box, what the person wrote (Edit, Withdraw) and
// what others said. Each change is `POST api/share`, answered with the person's statements.
export default mount(({ data, root, state }) => {
  // state.drafts: theme id or "edit <statement id>" -> what is typed (cards.js `writing`)
  const board = writing({ data, state, root, kind: "statements", item: "statement", draw: () => draw() });
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
    card.setAttribute("aria-label", t(data, "you_wrote"));
    card.append(el("p", "cc-caption", t(data, "you_wrote")), el("p", "cc-text", statement.text));
    const row = el("div", "cc-buttons");
    if (state.editing[statement.id]) {
      const draft = `edit ${statement.id}`;
      const save = () => send(theme, { do: "edit", statement: statement.id, text: area.value }, draft);
      const area = textBox(state, data, t(data, "your_statement"), draft, statement.text, save);
      card.append(area);
      row.append(button(t(data, "save_changes"), save), button(t(data, "cancel"), () => board.cancel(statement.id, draft)));
    } else {
      row.append(
        button(t(data, "edit"), () => { state.editing[statement.id] = true; draw(); }),
        button(t(data, "withdraw"), () => send(theme, { do: "withdraw", statement: statement.id })),
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
    const area = textBox(state, data, t(data, "your_answer"), theme.id, "", submit);
    const share = button(t(data, "share"), submit, "cc-primary");
    const row = el("div", "cc-buttons");
    row.append(share);
    const label = el("label", "cc-label", t(data, "your_answer"));
    label.htmlFor = area.id;
    panel.append(label, area, row, said(...(state.notes[theme.id] || ["", false])));

    for (const statement of state.mine) {
      if (statement.theme === theme.id) panel.append(ownCard(theme.id, statement));
    }
    if (theme.others.length) {
      const others = el("details", "cc-others");
      others.append(el("summary", "", t(data, "others_said", { count: theme.others_count })));
      const list = el("ul");
      for (const line of theme.others) list.append(el("li", "cc-text", line));
      others.append(list);
      panel.append(others);
    }
  }

  draw();
});
