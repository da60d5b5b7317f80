// Propose: what people said in Share to start a need from ("Turn this into a need"), the
// theme and the text box; while the person types, others' needs most like it
// (`POST api/similar`) to back instead ("Me too") and the practices that speak of it to
// point the need to ("Learn from this"); the person's proposals with Edit and Withdraw
// (`POST api/propose`); others' needs to back (back.js); and what already works.
import { html, useEffect } from "./vendor/preact-htm.js";
import { Button, NeedCard, Said, TextBox, keep, note, refusal, setNote, words } from "./parts.js";
import { BackList, backIt } from "./back.js";
import { Practices } from "./practices.js";

const LOOK_AFTER = 300;  // ms after the typing stops before asking for needs like it

function ThemeChoice({ store, draft, value, id }) {
  const { t } = words(store);
  const themes = store.state.view.room.workshop.themes;
  const chosen = draft in (store.state.ui.themes || {}) ? store.state.ui.themes[draft] : value;
  return html`<label class="cc-label" for=${id}>${t("theme")}</label>
    <select id=${id} value=${String(chosen)}
      onChange=${(e) => store.update((state) => {
        state.ui.themes = { ...(state.ui.themes || {}), [draft]: Number(e.currentTarget.value) };
      })}>
      ${themes.map((theme) => html`<option key=${theme.id} value=${String(theme.id)}>${theme.title}</option>`)}
    </select>`;
}

function chosenTheme(store, draft, fallback) {
  const themes = store.state.ui.themes || {};
  return draft in themes ? themes[draft] : fallback;
}

async function write(store, body, draft) {
  if (store.state.ui.proposing) return;
  store.state.ui.proposing = true;
  const reply = await store.send("propose", body);
  store.state.ui.proposing = false;
  if (Array.isArray(reply.mine)) {
    store.me((me) => { me.needs = reply.mine; });
    store.update((state) => {
      if (draft !== undefined) {
        delete state.drafts[draft];
        if (state.ui.themes) delete state.ui.themes[draft];
      }
      if (body.need !== undefined && state.ui.editing) delete state.ui.editing[body.need];
      if (body.do === "propose") Object.assign(state.ui, { alike: [], found: [], learn: [], cites: [] });
    });
    setNote(store, "propose", reply.done, false);
  } else {
    setNote(store, "propose", refusal(store, reply), true);
  }
}

function OwnNeed({ store, need, titles }) {
  const { t, tn } = words(store);
  const editing = Boolean((store.state.ui.editing || {})[need.id]);
  const draft = `edit ${need.id}`;
  const save = () => write(store, {
    do: "edit", need: need.id, theme: chosenTheme(store, draft, need.theme), text: store.state.drafts[draft] ?? need.text,
  }, draft);
  const cancel = () => store.update((state) => {
    delete state.drafts[draft];
    if (state.ui.themes) delete state.ui.themes[draft];
    delete state.ui.editing[need.id];
  });
  return html`<div class="cc-card cc-mine" data-need=${need.id} role="group" aria-label=${t("you_proposed")}>
    <p class="cc-text">${need.text}</p>
    <p class="cc-caption">${titles[need.theme] || ""} · ${tn("backing", need.backers)}</p>
    ${editing ? html`<${ThemeChoice} store=${store} draft=${draft} value=${need.theme} id=${`cc-theme-edit-${need.id}`} />
      <${TextBox} store=${store} draft=${draft} label=${t("your_proposal")} value=${need.text} max=${store.data.limits.text} submit=${save} />` : null}
    <div class="cc-buttons">
      ${editing
        ? html`<${Button} label=${t("save_changes")} onClick=${save} /><${Button} label=${t("cancel")} onClick=${cancel} />`
        : html`<${Button} label=${t("edit")} onClick=${() => store.update((state) => {
            state.ui.editing = { ...(state.ui.editing || {}), [need.id]: true };
          })} />
          <${Button} label=${t("withdraw")} onClick=${() => write(store, { do: "withdraw", need: need.id })} />`}
    </div>
  </div>`;
}

function look(store, text) {
  // Others' needs like `text`, asked a moment after the typing stops; an answer to an older
  // text than the box now holds is dropped.
  const ui = store.state.ui;
  clearTimeout(ui.looking);
  ui.looking = setTimeout(async () => {
    const typed = text.trim();
    ui.asked = typed;
    const chosen = (ui.found || []).filter((p) => (ui.learn || []).includes(p.id));
    if (typed.length < 3) {
      store.update((state) => { state.ui.alike = []; state.ui.found = chosen; });
      return;
    }
    const reply = await store.send("similar", { text: typed });
    if (ui.asked !== typed) return;
    const found = Array.isArray(reply.practices) ? reply.practices : [];
    store.update((state) => {
      state.ui.alike = Array.isArray(reply.needs) ? reply.needs : [];
      state.ui.found = [...chosen, ...found.filter((p) => !(state.ui.learn || []).includes(p.id))];
    });
  }, LOOK_AFTER);
}

function Alike({ store }) {
  const { t, tn } = words(store);
  const ui = store.state.ui;
  const learn = ui.learn || [];
  const found = ui.found || [];
  const alike = ui.alike || [];
  return html`<div class="cc-alike" aria-live="polite">
    ${found.length ? html`<p class="cc-label">${t("others_do")}</p>` : null}
    ${found.map((practice) => {
      const chosen = learn.includes(practice.id);
      const where = [practice.theme_title, practice.source].filter(Boolean).join(" · ");
      return html`<div class="cc-card cc-practice" key=${`p${practice.id}`} data-practice=${practice.id}>
        <p class="cc-text cc-title">${practice.title}</p>
        <p class="cc-text cc-clamp">${practice.description}</p>
        ${where ? html`<p class="cc-caption">${where}</p>` : null}
        <div class="cc-buttons"><${Button} label=${chosen ? t("learning") : t("learn")} on=${chosen} pressed=${chosen}
          onClick=${() => store.update((state) => {
            state.ui.learn = chosen ? learn.filter((i) => i !== practice.id) : [...learn, practice.id].slice(-3);
          })} /></div>
      </div>`;
    })}
    ${alike.length ? html`<p class="cc-label">${t("on_the_list")}</p>` : null}
    ${alike.map((need) => html`<${NeedCard} key=${`n${need.id}`} store=${store} need=${need} message=${need.message}
        line=${`${need.theme} · ${tn("backing", need.backers)}`}>
        <${Button} label=${need.backed ? t("backed") : t("me_too")} on=${need.backed} pressed=${need.backed}
          onClick=${async () => {
            const reply = await backIt(store, need.id, !need.backed);
            store.update(() => {
              if (typeof reply.backed === "boolean") Object.assign(need, { backed: reply.backed, backers: reply.backers, message: "" });
              else need.message = refusal(store, reply);
            });
          }} />
      <//>`)}
  </div>`;
}

function Words({ store, room }) {
  // What people said in Share, the most agreed first per theme, to start a need from.
  const { t, tn } = words(store);
  const cites = store.state.ui.cites || [];
  const open = keep(store, "words-open", { open: false });
  let group = null;
  const items = [];
  for (const statement of room.words) {
    if (statement.theme_title !== group) {
      group = statement.theme_title;
      items.push(html`<p class="cc-subheading" key=${`g${statement.theme}`}>${group}</p>`);
    }
    const on = cites.includes(statement.id);
    items.push(html`<div class="cc-card cc-said" key=${statement.id} data-statement=${statement.id}>
      <p class="cc-text">${statement.text}</p>
      <p class="cc-caption">${tn("agree", statement.agree)}</p>
      <div class="cc-buttons"><${Button} label=${on ? t("cited") : t("turn_this")} on=${on} pressed=${on}
        onClick=${(e) => {
          const form = e.currentTarget.getRootNode().querySelector("#cc-box-new");
          store.update((state) => {
            if (!cites.includes(statement.id)) state.ui.cites = [...cites, statement.id].slice(-5);
            state.ui.themes = { ...(state.ui.themes || {}), new: statement.theme };
          });
          form?.focus();
        }} /></div>
    </div>`);
  }
  return html`<details class="cc-words" open=${open.open} onToggle=${(e) => { open.open = e.currentTarget.open; }}>
    <summary class="cc-label">${t("turn_said")}</summary>
    ${items}
  </details>`;
}

function Citing({ store, room }) {
  const { t } = words(store);
  const said = Object.fromEntries((room.words || []).map((w) => [w.id, w]));
  const cites = (store.state.ui.cites || []).filter((id) => said[id]);
  if (!cites.length) return html`<div class="cc-citing"></div>`;
  return html`<div class="cc-citing">
    <p class="cc-label">${t("will_cite")}</p>
    ${cites.map((id) => html`<div class="cc-card cc-cited" key=${id}>
      <p class="cc-text">“${said[id].text}”</p>
      <div class="cc-buttons"><${Button} label=${t("do_not_cite")}
        onClick=${() => store.update((state) => { state.ui.cites = state.ui.cites.filter((i) => i !== id); })} /></div>
    </div>`)}
  </div>`;
}

function Form({ store, room, me }) {
  const { t } = words(store);
  const needs = (room.needs || []).length;
  useEffect(() => {
    // Others proposed since the last look: what is being typed is looked up again.
    const typed = store.state.drafts.new || "";
    if (typed.trim().length >= 3) look(store, typed);
  }, [needs]);
  const themes = room.workshop.themes;
  const titles = Object.fromEntries(themes.map((theme) => [theme.id, theme.title]));
  const ui = store.state.ui;
  const submit = () => write(store, {
    do: "propose", theme: chosenTheme(store, "new", themes[0].id), text: store.state.drafts.new || "",
    learn: ui.learn || [], cites: (ui.cites || []).filter((id) => (room.words || []).some((w) => w.id === id)),
  }, "new");
  return html`<div class="cc-propose" data-board="propose_board">
    ${room.words && room.words.length ? html`<${Words} store=${store} room=${room} />` : null}
    <${ThemeChoice} store=${store} draft="new" value=${themes[0].id} id="cc-theme-new" />
    <${Citing} store=${store} room=${room} />
    <label class="cc-label" for="cc-box-new">${t("ask")}</label>
    <div onInput=${(e) => look(store, e.target.value)}>
      <${TextBox} store=${store} draft="new" label=${t("ask")} max=${store.data.limits.text} submit=${submit} />
    </div>
    <${Alike} store=${store} />
    <div class="cc-buttons"><${Button} label=${t("propose")} primary onClick=${submit} /></div>
    <${Said} note=${note(store, "propose")} />
    ${me.needs.length ? html`<p class="cc-subheading">${t("your_proposals")}</p>` : null}
    ${me.needs.map((need) => html`<${OwnNeed} key=${need.id} store=${store} need=${need} titles=${titles} />`)}
  </div>`;
}

export function Propose({ store, room, me }) {
  const { t } = words(store);
  return html`<div>
    <p class="cc-text">${t("propose_intro")}</p>
    <${Form} store=${store} room=${room} me=${me} />
    <${BackList} store=${store} room=${room} me=${me} />
    <${Practices} store=${store} room=${room} me=${me} />
  </div>`;
}
