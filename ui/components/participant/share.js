// Share: a tab per theme (its prompt, the answer box, what the person wrote with Edit and
// Withdraw, and what others said), what already works (practices.js), and others'
// statements one at a time to answer (react.js). Each write is `POST api/share`, answered
// with the person's statements.
import { html } from "./vendor/preact-htm.js";
import { Button, Said, TextBox, keep, note, refusal, setNote, words } from "./parts.js";
import { Practices } from "./practices.js";
import { ReactCard } from "./react.js";

function OwnStatement({ store, statement, theme }) {
  const { t } = words(store);
  const editing = store.state.ui.editing || {};
  const draft = `edit ${statement.id}`;
  const save = () => write(store, theme, { do: "edit", statement: statement.id, text: store.state.drafts[draft] ?? statement.text }, draft);
  const cancel = () => store.update((state) => {
    delete state.drafts[draft];
    delete state.ui.editing[statement.id];
  });
  const open = Boolean(editing[statement.id]);
  return html`<div class="cc-card cc-mine" data-statement=${statement.id} role="group" aria-label=${t("you_wrote")}>
    <p class="cc-caption">${t("you_wrote")}</p>
    <p class="cc-text">${statement.text}</p>
    ${open ? html`<${TextBox} store=${store} draft=${draft} label=${t("your_statement")} value=${statement.text}
      max=${store.data.limits.text} submit=${save} />` : null}
    <div class="cc-buttons">
      ${open
        ? html`<${Button} label=${t("save_changes")} onClick=${save} /><${Button} label=${t("cancel")} onClick=${cancel} />`
        : html`<${Button} label=${t("edit")} onClick=${() => store.update((state) => {
            state.ui.editing = { ...(state.ui.editing || {}), [statement.id]: true };
          })} />
          <${Button} label=${t("withdraw")} onClick=${() => write(store, theme, { do: "withdraw", statement: statement.id })} />`}
    </div>
  </div>`;
}

async function write(store, theme, body, draft) {
  // The store decides (phase, length, theme, ownership); its answer is what the tab shows.
  if (store.state.ui.writing) return;
  store.state.ui.writing = true;
  const reply = await store.send("share", body);
  store.state.ui.writing = false;
  if (Array.isArray(reply.mine)) {
    store.me((me) => { me.statements = reply.mine; });
    store.update((state) => {
      if (draft !== undefined) delete state.drafts[draft];
      if (body.statement !== undefined && state.ui.editing) delete state.ui.editing[body.statement];
    });
    setNote(store, `share:${theme}`, reply.done, false);
  } else {
    setNote(store, `share:${theme}`, refusal(store, reply), true);
  }
}

function Themes({ store, room, me }) {
  const { t } = words(store);
  const themes = room.workshop.themes;
  const ui = store.state.ui;
  if (!themes.some((theme) => theme.id === ui.tab)) ui.tab = themes[0].id;
  const theme = themes.find((each) => each.id === ui.tab);
  const mine = me.statements.filter((s) => s.theme === theme.id);
  const ids = new Set(me.statements.map((s) => s.id));
  const others = room.statements.filter((s) => s.theme === theme.id && !ids.has(s.id)).reverse();
  const counted = (room.statement_counts[String(theme.id)] || 0) - room.statements.filter((s) => s.theme === theme.id && ids.has(s.id)).length;
  const submit = () => write(store, theme.id, { do: "share", theme: theme.id, text: store.state.drafts[theme.id] || "" }, theme.id);
  const open = keep(store, "others-open", {});
  function choose(id) {
    store.update((state) => { state.ui.tab = id; });
  }
  function arrows(event) {
    // Left and right move between the tabs, as in every tab list.
    const at = themes.findIndex((each) => each.id === theme.id);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = themes[(at + step + themes.length) % themes.length];
    choose(next.id);
    const tabs = event.currentTarget.closest("[role=tablist]");
    requestAnimationFrame(() => tabs.querySelector(`[data-theme="${next.id}"]`)?.focus());
  }
  return html`<div class="cc-share" data-board="share_board">
    <div class="cc-tabs" role="tablist" onKeyDown=${arrows}>
      ${themes.map((each) => html`<button type="button" key=${each.id} class="cc-tab" role="tab" data-theme=${each.id}
        id=${`cc-tab-${each.id}`} aria-selected=${each.id === theme.id ? "true" : "false"}
        tabIndex=${each.id === theme.id ? 0 : -1} aria-controls="cc-share-panel"
        onClick=${() => choose(each.id)}>${each.title}</button>`)}
    </div>
    <div class="cc-panel" role="tabpanel" id="cc-share-panel" aria-labelledby=${`cc-tab-${theme.id}`}>
      <p class="cc-text">${theme.prompt}</p>
      <label class="cc-label" for=${`cc-box-${theme.id}`}>${t("your_answer")}</label>
      <${TextBox} store=${store} draft=${theme.id} label=${t("your_answer")} max=${store.data.limits.text} submit=${submit} key=${`box-${theme.id}`} />
      <div class="cc-buttons"><${Button} label=${t("share")} primary onClick=${submit} /></div>
      <${Said} note=${note(store, `share:${theme.id}`)} />
      ${mine.map((statement) => html`<${OwnStatement} store=${store} statement=${statement} theme=${theme.id} key=${statement.id} />`)}
      ${others.length ? html`<details class="cc-others" open=${Boolean(open[theme.id])}
          onToggle=${(e) => { open[theme.id] = e.currentTarget.open; }}>
          <summary>${t("others_said", { count: counted })}</summary>
          <ul>${others.map((s) => html`<li class="cc-text" key=${s.id}>${s.text}${s.byline ? `  (${s.byline})` : ""}</li>`)}</ul>
        </details>` : null}
    </div>
  </div>`;
}

export function Share({ store, room, me }) {
  const { t } = words(store);
  return html`<div>
    <${Themes} store=${store} room=${room} me=${me} />
    ${room.workshop.ask_practices ? html`<${Practices} store=${store} room=${room} me=${me} />` : null}
    <h3 class="cc-subheading">${t("what_think")}</h3>
    <${ReactCard} store=${store} me=${me} />
  </div>`;
}
