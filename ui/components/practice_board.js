// What already works: the form to share a practice (Share phase) and a card per practice,
// each with "We do this too" and "We'd like to try this". Each change is
// `POST api/practices`, answered with the practices the person sees. When the room's status
// (room_watch.js) counts other practices than the board shows, the list is asked again
// (`GET api/practices`) and redrawn below the form, which keeps what is being typed.
export default mount(({ data, root, state }) => {
  if (state.fresh) {
    state.practices = data.practices;
    state.note = ["", false];
    state.counted = undefined;  // the room's practices when the board last looked
  }
  state.drafts = state.drafts || {};
  const list = el("div", "cc-practice-list");

  async function follow(event) {
    const counted = event.detail.practices;
    if (typeof counted !== "number" || counted === state.counted) return;
    const first = state.counted === undefined;
    state.counted = counted;
    if (first && counted === state.practices.length) return;
    const drawn = state.drawn;
    const answer = await ask(data, "GET");
    if (state.drawn !== drawn || state.busy || !answer || !Array.isArray(answer.practices)) return;
    state.practices = answer.practices;
    drawList();
  }

  async function send(body) {
    if (state.busy) return false;
    state.busy = true;
    const answer = await ask(data, "POST", body);
    state.busy = false;
    if (state.drawn !== data.drawn) return false;  // the page was drawn again meanwhile: it shows what is stored
    const done = answer && Array.isArray(answer.practices);
    if (done) {
      state.practices = answer.practices;
      state.note = [answer.done || "", false];
    } else {
      state.note = [typeof answer.error === "string" ? answer.error : unreachable(data), true];
    }
    draw();
    return done;
  }

  function field(tag, label, draft, max) {
    const box = el(tag, tag === "input" ? "cc-title" : "");
    box.id = `cc-practice-${draft}`;
    if (tag === "input") box.type = "text";
    else box.rows = 4;
    box.maxLength = max;
    box.setAttribute("aria-label", label);
    box.value = state.drafts[draft] || "";
    box.oninput = () => { state.drafts[draft] = box.value; };
    const caption = el("label", "cc-label", label);
    caption.htmlFor = box.id;
    return [caption, box];
  }

  function form() {
    const box = el("div", "cc-card cc-practice-form");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t(data, "share_practice_group"));
    const theme = el("select");
    theme.id = "cc-practice-theme";
    theme.setAttribute("aria-label", t(data, "theme"));
    for (const each of data.themes) {
      const option = el("option", "", each.title);
      option.value = String(each.id);
      theme.append(option);
    }
    if (state.drafts.theme) theme.value = state.drafts.theme;
    theme.onchange = () => { state.drafts.theme = theme.value; };
    const themeLabel = el("label", "cc-label", t(data, "theme"));
    themeLabel.htmlFor = theme.id;
    const [titleLabel, title] = field("input", t(data, "what_you_do"), "title", data.max_title);
    const [textLabel, text] = field("textarea", t(data, "how_you_do"), "description", data.max_chars);
    box.append(themeLabel, theme, titleLabel, title, textLabel, text);
    let named = null;
    if (data.may_name) {
      const line = el("label", "cc-check");
      named = el("input");
      named.type = "checkbox";
      named.checked = Boolean(state.drafts.named);
      named.onchange = () => { state.drafts.named = named.checked; };
      line.append(named, document.createTextNode(t(data, "show_name")));
      box.append(line);
    }
    const row = el("div", "cc-buttons");
    row.append(button(t(data, "share_practice"), async () => {
      const sent = await send({
        do: "share", theme: Number(theme.value), title: title.value, description: text.value,
        show_name: named ? named.checked : false,
      });
      if (sent) {
        state.drafts = { theme: state.drafts.theme };
        draw();
      }
    }, "cc-primary"));
    box.append(row, said(...state.note));
    return box;
  }

  function toggle(practice, kind, label, on) {
    const b = button(on ? `✓ ${label}` : label, () => {
      state.queue = state.queue.then(() => send({ do: "mark", practice: practice.id, kind, on: !on }));
    }, on ? "cc-on" : "");
    b.setAttribute("aria-pressed", on ? "true" : "false");
    b.disabled = !data.marking;
    return b;
  }

  function card(practice) {
    const box = el("div", practice.mine ? "cc-card cc-practice cc-mine" : "cc-card cc-practice");
    box.dataset.practice = practice.id;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", practice.title);
    const where = [practice.theme_title, practice.mine ? t(data, "you_shared") : practice.source].filter(Boolean);
    const counts = `${tn(data, "do_too_count", practice.do_too)} · ${tn(data, "want_count", practice.want_to_try)}`;
    box.append(
      el("p", "cc-practice-title", practice.title),
      el("p", "cc-text", practice.description),
      el("p", "cc-caption", [...where, counts].join(" · ")),
    );
    if (!practice.mine) {
      const row = el("div", "cc-buttons");
      row.append(
        toggle(practice, "do_too", t(data, "do_too"), practice.i_do),
        toggle(practice, "want_to_try", t(data, "want"), practice.i_want),
      );
      box.append(row);
    }
    return box;
  }

  function drawList() {
    list.textContent = "";
    for (const practice of state.practices) list.append(card(practice));
  }

  function draw() {
    root.textContent = "";
    if (data.sharing) root.append(form());
    else if (state.note[0]) root.append(said(...state.note));
    root.append(list);
    drawList();
  }

  draw();
  document.addEventListener("cocreate:status", follow);
  return () => document.removeEventListener("cocreate:status", follow);
});
