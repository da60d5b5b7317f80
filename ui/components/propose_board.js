// The theme, the text box and the person's proposals (Edit, Withdraw). Each change is
// `POST api/propose`, answered with the person's proposals. While the person types, others'
// needs most like it (`POST api/similar`) are offered to back instead ("Me too"), and the
// practices that speak of it, to point the new need to ("Learn from this"). What people said
// in Share can start a need, which then cites it ("Turn this into a need").
export default mount(({ data, root, state }) => {
  // state.drafts / state.themes: "new" or "edit <need id>" -> what is typed / the theme (cards.js `writing`)
  const board = writing({ data, state, root, kind: "needs", item: "need", draw: () => draw() });
  if (state.fresh) state.note = null;  // [message, is it an error]
  const titles = Object.fromEntries(data.themes.map((t) => [t.id, t.title]));

  function send(body, draft) {
    return board.send(body, draft, (message, error) => {
      state.note = [message, error];
      if (!error) {
        state.alike = [];
        state.practices = [];
        state.learn = [];
        state.cites = [];
      }
    });
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
    const label = el("label", "cc-label", t(data, "theme"));
    label.htmlFor = select.id;
    return [label, select];
  }

  function ownCard(need) {
    const card = el("div", "cc-card cc-mine");
    card.dataset.need = need.id;
    card.setAttribute("role", "group");
    card.setAttribute("aria-label", t(data, "you_proposed"));
    card.append(el("p", "cc-text", need.text),
                el("p", "cc-caption", `${titles[need.theme] || ""} · ${tn(data, "backing", need.backers)}`));
    const row = el("div", "cc-buttons");
    if (state.editing[need.id]) {
      const draft = `edit ${need.id}`;
      const [label, select] = themeChoice(draft, need.theme);
      const save = () => send({ do: "edit", need: need.id, theme: Number(select.value), text: area.value }, draft);
      const area = textBox(state, data, t(data, "your_proposal"), draft, need.text, save);
      card.append(label, select, area);
      row.append(button(t(data, "save_changes"), save), button(t(data, "cancel"), () => board.cancel(need.id, draft)));
    } else {
      row.append(
        button(t(data, "edit"), () => { state.editing[need.id] = true; draw(); }),
        button(t(data, "withdraw"), () => send({ do: "withdraw", need: need.id })),
      );
    }
    card.append(row);
    return card;
  }

  // state.alike: others' needs like the text being typed; state.asked: the last text asked about
  // state.practices: practices that speak of it; state.learn: the ids the new need will point to
  // state.cites: the statements ("what people said") the new need will cite
  if (state.fresh) {
    state.alike = [];
    state.practices = [];
    state.learn = [];
    state.cites = [];
  }
  const words = Object.fromEntries(data.words.map((w) => [w.id, w]));

  function cite(statement) {
    // "Turn this into a need": the need will cite it, under its theme.
    if (!state.cites.includes(statement.id)) state.cites = [...state.cites, statement.id].slice(-5);
    state.themes.new = statement.theme;
    draw();
    const box = root.querySelector("textarea");
    if (box) box.focus();
  }

  function citing() {
    // What the new need cites, each with a way to take it off.
    const box = el("div", "cc-citing");
    const cited = state.cites.filter((id) => words[id]);
    if (!cited.length) return box;
    box.append(el("p", "cc-label", t(data, "will_cite")));
    for (const id of cited) {
      const line = el("div", "cc-card cc-cited");
      line.append(el("p", "cc-text", `“${words[id].text}”`));
      const row = el("div", "cc-buttons");
      row.append(button(t(data, "do_not_cite"), () => { state.cites = state.cites.filter((i) => i !== id); draw(); }));
      line.append(row);
      box.append(line);
    }
    return box;
  }

  function wordsList() {
    // What people said in Share, the most agreed first per theme, to start a need from.
    const box = el("details", "cc-words");
    box.open = Boolean(state.wordsOpen);
    box.ontoggle = () => { state.wordsOpen = box.open; };
    box.append(el("summary", "cc-label", t(data, "turn_said")));
    let group = null;
    for (const statement of data.words) {
      if (statement.theme_title !== group) {
        group = statement.theme_title;
        box.append(el("p", "cc-subheading", group));
      }
      const card = el("div", "cc-card cc-said");
      card.dataset.statement = statement.id;
      card.append(el("p", "cc-text", statement.text), el("p", "cc-caption", tn(data, "agree", statement.agree)));
      const row = el("div", "cc-buttons");
      const on = state.cites.includes(statement.id);
      const b = button(on ? t(data, "cited") : t(data, "turn_this"), () => cite(statement), on ? "cc-on" : "");
      b.setAttribute("aria-pressed", on ? "true" : "false");
      row.append(b);
      card.append(row);
      box.append(card);
    }
    return box;
  }
  const alikeBox = el("div", "cc-alike");
  alikeBox.setAttribute("aria-live", "polite");

  function look(text) {
    // Others' needs like `text`, asked a moment after the typing stops; an answer to an
    // older text than the box now holds is dropped.
    clearTimeout(state.looking);
    state.looking = setTimeout(async () => {
      const typed = text.trim();
      state.asked = typed;
      if (typed.length < 3) {
        state.alike = [];
        state.practices = practicesChosen();
        showAlike();
        return;
      }
      const answer = await ask({ ...data, url: data.similar }, "POST", { text: typed });
      if (state.asked !== typed || state.drawn !== data.drawn) return;
      state.alike = Array.isArray(answer.needs) ? answer.needs : [];
      // Those chosen stay in view while the text changes, so they can be taken back.
      const found = Array.isArray(answer.practices) ? answer.practices : [];
      state.practices = [...practicesChosen(), ...found.filter((p) => !state.learn.includes(p.id))];
      showAlike();
    }, 300);
  }

  async function backIt(need, card) {
    const answer = await ask({ ...data, url: data.back }, "POST", { need: need.id, backed: !need.backed });
    if (answer && typeof answer.backed === "boolean") {
      need.backed = answer.backed;
      need.backers = answer.backers;
      card.message = "";
    } else {
      card.message = typeof answer.error === "string" ? answer.error : unreachable(data);
    }
    showAlike();
  }

  function practicesChosen() {
    return state.practices.filter((p) => state.learn.includes(p.id));
  }

  function showPractices() {
    if (!state.practices.length) return;
    alikeBox.append(el("p", "cc-label", t(data, "others_do")));
    for (const practice of state.practices) {
      const card = el("div", "cc-card cc-practice");
      card.dataset.practice = practice.id;
      card.append(el("p", "cc-text cc-title", practice.title), el("p", "cc-text cc-clamp", practice.description));
      const where = [practice.theme_title, practice.source].filter(Boolean).join(" · ");
      if (where) card.append(el("p", "cc-caption", where));
      const chosen = state.learn.includes(practice.id);
      const learn = button(chosen ? t(data, "learning") : t(data, "learn"), () => {
        state.learn = chosen ? state.learn.filter((i) => i !== practice.id) : [...state.learn, practice.id].slice(-3);
        showAlike();
      }, chosen ? "cc-on" : "");
      learn.setAttribute("aria-pressed", chosen ? "true" : "false");
      const row = el("div", "cc-buttons");
      row.append(learn);
      card.append(row);
      alikeBox.append(card);
    }
  }

  function showAlike() {
    alikeBox.textContent = "";
    showPractices();
    if (!state.alike.length) return;
    alikeBox.append(el("p", "cc-label", t(data, "on_the_list")));
    for (const need of state.alike) {
      const card = needCard(data, need);
      card.message = need.message || "";
      card.line.textContent = `${need.theme} · ${tn(data, "backing", need.backers)}`;
      const meToo = button(need.backed ? t(data, "backed") : t(data, "me_too"), () => backIt(need, card), need.backed ? "cc-on" : "");
      meToo.setAttribute("aria-pressed", need.backed ? "true" : "false");
      card.buttons.append(meToo);
      showMessage(card);
      alikeBox.append(card.box);
    }
  }

  function draw() {
    root.textContent = "";
    const [themeLabel, select] = themeChoice("new", data.themes[0].id);
    const submit = () => send({
      do: "propose", theme: Number(select.value), text: area.value, learn: state.learn, cites: state.cites,
    }, "new");
    const area = textBox(state, data, data.ask, "new", "", submit);
    area.addEventListener("input", () => look(area.value));
    const label = el("label", "cc-label", data.ask);
    label.htmlFor = area.id;
    const row = el("div", "cc-buttons");
    row.append(button(t(data, "propose"), submit, "cc-primary"));
    if (data.words.length) root.append(wordsList());
    root.append(themeLabel, select, citing(), label, area, alikeBox, row, said(...(state.note || ["", false])));
    showAlike();
    if (state.mine.length) {
      root.append(el("p", "cc-subheading", t(data, "your_proposals")));
      for (const need of state.mine) root.append(ownCard(need));
    }
  }

  draw();
});
