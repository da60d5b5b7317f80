// The rating dialog: how important a need is for the strategy and how well the person's
// team can do it today, 1–5 each, in a modal dialog the keyboard cannot leave until it is
// closed (Escape or Close). A first rating starts with nothing chosen. `POST api/rate`.
import { html, useEffect, useRef, useState } from "./vendor/preact-htm.js";
import { Button, refusal, words } from "./parts.js";

function Scale({ name, legend, ends, value, choose }) {
  return html`<fieldset class="cc-scale">
    <legend>${legend}</legend>
    <div class="cc-scale-row">
      ${[1, 2, 3, 4, 5].map((n) => html`<label key=${n} class="cc-scale-point">
        <input type="radio" name=${name} value=${n} checked=${value === n} onChange=${() => choose(n)} />
        <span>${n}</span>
        ${ends[n - 1] ? html`<span class="cc-caption">${ends[n - 1]}</span>` : null}
      </label>`)}
    </div>
  </fieldset>`;
}

export function RatingDialog({ store, need, rated }) {
  const { t, w } = words(store);
  const box = useRef(null);
  const [importance, setImportance] = useState(rated ? rated[0] : null);
  const [capability, setCapability] = useState(rated ? rated[1] : null);
  const [error, setError] = useState("");

  useEffect(() => {
    // Opened over the button that asked for it; closed, the keyboard is back on that button
    // (the dialog leaves the page as it closes, so the browser cannot put it back itself).
    const dialog = box.current;
    const opener = dialog.getRootNode().activeElement;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  const close = () => store.update((state) => { state.ui.rating = null; });

  async function save() {
    if (importance === null || capability === null) {
      setError(t("choose_both"));
      return;
    }
    const reply = await store.send("rate", { need: need.id, importance, capability });
    if (Array.isArray(reply.rating)) {
      store.me((me) => { me.ratings = { ...me.ratings, [need.id]: reply.rating }; });
      store.update((state) => { state.ui.rating = null; state.ui.rated = reply.done; });
    } else {
      setError(refusal(store, reply));
    }
  }

  return html`<dialog ref=${box} class="cc-dialog" aria-labelledby="cc-rate-heading"
      onCancel=${(e) => { e.preventDefault(); close(); }}>
    <h3 id="cc-rate-heading" class="cc-subheading">${t("rate_heading")}</h3>
    <p class="cc-text">${need.text}</p>
    <${Scale} name="importance" legend=${t("how_important")} ends=${w.importance_ends} value=${importance} choose=${setImportance} />
    <${Scale} name="capability" legend=${t("how_well")} ends=${w.capability_ends} value=${capability} choose=${setCapability} />
    <p class="cc-error" role="alert" hidden=${!error}>${error}</p>
    <div class="cc-buttons">
      <${Button} label=${t("save_rating")} primary onClick=${save} />
      <${Button} label=${t("close")} onClick=${close} />
    </div>
  </dialog>`;
}
