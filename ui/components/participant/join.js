// Joining: the workshop's title, a name (not in an anonymous workshop) and a team, sent as
// `POST api/join`. The answer's token goes into the link (`?t=`), where the person's way
// back in lives, and the app goes on to the Lobby without the page running again.
import { html } from "./vendor/preact-htm.js";
import { Said, note, refusal, setNote, words } from "./parts.js";

export function Join({ store }) {
  const { t } = words(store);
  const join = store.data.join;
  const drafts = store.state.drafts;
  const joining = Boolean(store.state.ui.joining);
  async function submit(event) {
    event.preventDefault();
    if (joining) return;
    store.update((state) => { state.ui.joining = true; });
    const reply = await store.join({
      code: join.code,
      name: join.anonymous ? null : (drafts["join name"] || null),
      team: drafts["join team"] || null,
    });
    store.update((state) => { state.ui.joining = false; });
    if (typeof reply.token !== "string") setNote(store, "join", refusal(store, reply), true);
  }
  const field = (key) => (e) => { drafts[key] = e.currentTarget.value; };
  const team = join.teams.length
    ? html`<label class="cc-label" for="cc-join-team">${t("your_team")}</label>
      <select id="cc-join-team" value=${drafts["join team"] || ""}
        onChange=${(e) => store.update((state) => { state.drafts["join team"] = e.currentTarget.value; })}>
        <option value="" disabled>${t("choose_team")}</option>
        ${join.teams.map((each) => html`<option key=${each} value=${each}>${each}</option>`)}
        <option value=${join.other_team}>${t("other_team")}</option>
      </select>`
    : html`<label class="cc-label" for="cc-join-team">${t("your_team_optional")}</label>
      <input type="text" id="cc-join-team" autocomplete="organization"
        maxLength=${join.name_limit} value=${drafts["join team"] || ""} onInput=${field("join team")} />`;
  return html`<div class="cc-join" data-board="join">
    <p class="cc-caption">${t("joining")}</p>
    <h2 class="cc-title-line">${join.title}</h2>
    <form class="cc-card" onSubmit=${submit}>
      ${join.anonymous
        ? html`<p class="cc-info">${t("anonymous_join")}</p>`
        : html`<label class="cc-label" for="cc-join-name">${t("your_name")}</label>
          <input type="text" id="cc-join-name" autocomplete="name"
            maxLength=${join.name_limit} value=${drafts["join name"] || ""} onInput=${field("join name")} />`}
      ${team}
      <div class="cc-buttons">
        <button type="submit" class="cc-primary" disabled=${joining}>${joining ? t("joining_now") : t("join")}</button>
      </div>
      <${Said} note=${note(store, "join")} />
    </form>
    <p class="cc-caption">${t("no_account")}</p>
  </div>`;
}
