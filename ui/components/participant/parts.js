// What the views share: a button, a text box that keeps its draft in the store, the line
// that says what a write did, the frame of a need's card, and the words of a view.
// Participants' text is only ever a text node: never read as HTML.
import { html } from "./vendor/preact-htm.js";
import { t, tn } from "./text.js";

export function words(store) {
  const w = store.words();
  return { w, t: (key, values) => t(w, key, values), tn: (key, n, values) => tn(w, key, n, values) };
}

export function Button({ label, onClick, primary, on, pressed, disabled, title, cls, id }) {
  const classes = [cls, primary ? "cc-primary" : "", on ? "cc-on" : ""].filter(Boolean).join(" ");
  return html`<button type="button" id=${id} class=${classes || undefined} onClick=${onClick}
    disabled=${disabled} title=${title || undefined}
    aria-pressed=${pressed === undefined ? undefined : pressed ? "true" : "false"}>${label}</button>`;
}

export function TextBox({ store, draft, label, value, max, rows = 3, submit, id }) {
  // A text box whose typing is kept in the store's drafts while the screen is drawn again;
  // Ctrl+Enter (⌘+Enter) sends.
  const drafts = store.state.drafts;
  const shown = draft in drafts ? drafts[draft] : value || "";
  return html`<textarea id=${id || `cc-box-${String(draft).replace(/\s+/g, "-")}`} aria-label=${label}
    maxLength=${max} rows=${rows} value=${shown}
    onInput=${(e) => { drafts[draft] = e.currentTarget.value; }}
    onKeyDown=${(e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && submit) {
        e.preventDefault();
        submit();
      }
    }}></textarea>`;
}

export function Said({ note }) {
  // What a write did: "Shared.", or the refusal as an alert.
  const [message, error] = note || ["", false];
  return html`<p class=${error ? "cc-error" : "cc-caption"} role=${error ? "alert" : "status"} hidden=${!message}>${message}</p>`;
}

export function NeedCard({ store, need, line, children, message }) {
  const { t: say } = words(store);
  const said = Array.isArray(need.said) && need.said.length
    ? html`<p class="cc-caption cc-said">${say("from_said", { quotes: need.said.map((q) => `“${q}”`).join(" ") })}</p>`
    : null;
  return html`<div class="cc-card" data-need=${need.id} role="group" aria-label=${need.text}>
    <p class="cc-text">${need.text}</p>
    ${said}
    <p class="cc-caption">${line}</p>
    <div class="cc-buttons">${children}</div>
    <p class="cc-error" role="alert" hidden=${!message}>${message || ""}</p>
  </div>`;
}

export function note(store, key) {
  // The note a view keeps between drawings (`[message, isError]`).
  return store.state.ui[`note:${key}`];
}

export function setNote(store, key, message, error) {
  store.update((state) => { state.ui[`note:${key}`] = [message, error]; });
}

export function refusal(store, reply) {
  return typeof reply.error === "string" ? reply.error : store.words().unreachable;
}

export function keep(store, key, value) {
  // What a view keeps between drawings under `key`, set to `value` the first time.
  const ui = store.state.ui;
  if (!(key in ui)) ui[key] = value;
  return ui[key];
}

export { t, tn };
