// Others' statements one at a time, least answered first: agree, disagree or pass. An answer
// is `POST api/react`, whose answer is the next card; after it the keyboard's focus moves
// to the next card's first button.
import { html, useEffect, useRef } from "./vendor/preact-htm.js";
import { Button, refusal, words } from "./parts.js";

export function ReactCard({ store, me }) {
  const { t, tn } = words(store);
  const root = useRef(null);
  const ui = store.state.ui;
  const card = me.card;

  useEffect(() => {
    // After an answer by keyboard, the next card's first button has the focus.
    if (!ui.reactFocus || !root.current) return;
    ui.reactFocus = false;
    root.current.querySelector("button, [tabindex='-1']")?.focus();
  });

  async function answer(kind) {
    if (ui.reacting) return;  // one answer at a time: the next card comes with it
    ui.reacting = true;
    const focused = root.current && root.current.contains(root.current.getRootNode().activeElement);
    const reply = await store.send("react", { statement: card.id, kind });
    ui.reacting = false;
    if (reply && "card" in reply) {
      store.me((mine) => { mine.card = reply.card; mine.waiting = reply.waiting; });
      store.update((state) => { state.ui.reactError = ""; state.ui.reactFocus = focused; });
    } else {
      store.update((state) => { state.ui.reactError = refusal(store, reply); });
    }
  }

  const error = ui.reactError ? html`<p class="cc-error" role="alert">${ui.reactError}</p>` : null;
  if (!card) {
    // Focusable from script alone: after the last answer the keyboard stays here, on what it says.
    return html`<div ref=${root} class="cc-react" data-board="react_card">
      <p class="cc-caption" tabindex="-1">${t("all_answered")}</p>${error}</div>`;
  }
  const reactions = store.words().reactions;
  return html`<div ref=${root} class="cc-react" data-board="react_card">
    <div class="cc-card" role="group" aria-label=${t("to_answer")} data-statement=${card.id}>
      <p class="cc-caption">${card.theme}${card.byline ? ` · ${card.byline}` : ""}</p>
      <p class="cc-text">${card.text}</p>
      <div class="cc-buttons">
        ${["agree", "disagree", "pass"].map((kind) => html`<${Button} key=${kind} label=${reactions[kind]} onClick=${() => answer(kind)} />`)}
      </div>
    </div>
    <p class="cc-caption">${me.waiting > 1 ? tn("waiting", me.waiting - 1) : t("last_one")}</p>
    ${error}
  </div>`;
}
