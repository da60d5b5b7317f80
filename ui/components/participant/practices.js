// What already works: in Share, the form to share a practice; in every phase after it, the
// practices of the room and those the facilitator featured, each to mark "We do this too"
// or "We'd like to try this", with the stories of how it went for those who tried it and
// the form to tell one's own ("How it went"). Each change is `POST api/practices`,
// answered with the practices the person sees; others' arrive with the room's view.
import { html } from "./vendor/preact-htm.js";
import { Button, Said, note, refusal, setNote, words } from "./parts.js";

async function send(store, body) {
  if (store.state.ui.practicing) return false;
  store.state.ui.practicing = true;
  const reply = await store.send("practices", body);
  store.state.ui.practicing = false;
  if (!Array.isArray(reply.practices)) {
    setNote(store, "practices", refusal(store, reply), true);
    return false;
  }
  // The answer is the list as it is now, with the person's own marks: it stands in for the
  // room's (which may lag a second) until the next view.
  store.me((me, room) => {
    room.practices = reply.practices.map(({ mine, i_do, i_want, ...practice }) => practice);
    me.practices = reply.practices.filter((p) => p.mine).map((p) => p.id);
    me.marks = reply.practices.flatMap((p) => [
      ...(p.i_do ? [[p.id, "do_too"]] : []), ...(p.i_want ? [[p.id, "want_to_try"]] : []),
    ]);
  });
  // A story told is kept for this screen (a second one of the same practice is refused).
  if (body.do === "story") store.state.ui.told = [...(store.state.ui.told || []), body.practice];
  setNote(store, "practices", reply.done || "", false);
  return true;
}

function Form({ store, room }) {
  const { t } = words(store);
  const drafts = store.state.drafts;
  const themes = room.workshop.themes;
  const theme = drafts["practice theme"] || String(themes[0].id);
  async function share() {
    const sent = await send(store, {
      do: "share", theme: Number(theme), title: drafts["practice title"] || "",
      description: drafts["practice description"] || "", show_name: Boolean(drafts["practice named"]),
    });
    if (sent) {
      store.update((state) => {
        for (const key of ["practice title", "practice description", "practice named"]) delete state.drafts[key];
      });
    }
  }
  const field = (key) => (e) => { drafts[key] = e.currentTarget.value; };
  return html`<div class="cc-card cc-practice-form" role="group" aria-label=${t("share_practice_group")}>
    <label class="cc-label" for="cc-practice-theme">${t("theme")}</label>
    <select id="cc-practice-theme" aria-label=${t("theme")} value=${theme}
      onChange=${(e) => store.update((state) => { state.drafts["practice theme"] = e.currentTarget.value; })}>
      ${themes.map((each) => html`<option key=${each.id} value=${String(each.id)}>${each.title}</option>`)}
    </select>
    <label class="cc-label" for="cc-practice-title">${t("what_you_do")}</label>
    <input type="text" class="cc-title" id="cc-practice-title" aria-label=${t("what_you_do")}
      maxLength=${store.data.limits.practice_title} value=${drafts["practice title"] || ""} onInput=${field("practice title")} />
    <label class="cc-label" for="cc-practice-description">${t("how_you_do")}</label>
    <textarea id="cc-practice-description" rows="4" aria-label=${t("how_you_do")}
      maxLength=${store.data.limits.practice_description} value=${drafts["practice description"] || ""}
      onInput=${field("practice description")}></textarea>
    ${room.workshop.anonymous ? null : html`<label class="cc-check"><input type="checkbox"
      checked=${Boolean(drafts["practice named"])}
      onChange=${(e) => { drafts["practice named"] = e.currentTarget.checked; }} />${t("show_name")}</label>`}
    <div class="cc-buttons"><${Button} label=${t("share_practice")} primary onClick=${share} /></div>
    <${Said} note=${note(store, "practices")} />
  </div>`;
}

function Stories({ store, practice }) {
  // How it went for those who tried it: the newest few, and how many told.
  const { t, tn } = words(store);
  const stories = practice.stories || [];
  if (!stories.length) return null;
  return html`<div class="cc-stories" role="group" aria-label=${t("stories_heading")}>
    <p class="cc-caption cc-strong">${tn("stories_count", practice.told || stories.length)}</p>
    ${stories.map((story) => html`<div class="cc-story" key=${story.id} data-story=${story.id}>
      <p class="cc-text">${t("story_tried", { text: story.tried })}</p>
      <p class="cc-text">${t("story_happened", { text: story.happened })}</p>
      <p class="cc-caption">${[story.verdict, story.source].filter(Boolean).join(" · ")}</p>
    </div>`)}
  </div>`;
}

function StoryForm({ store, room, practice }) {
  // "How it went": what they tried, what happened, would they recommend it.
  const { t } = words(store);
  const drafts = store.state.drafts;
  const key = (part) => `story ${practice.id} ${part}`;
  const chosen = drafts[key("recommend")] || "";
  async function tell() {
    const sent = await send(store, {
      do: "story", practice: practice.id, tried: drafts[key("tried")] || "", happened: drafts[key("happened")] || "",
      recommend: chosen, show_name: Boolean(drafts[key("named")]),
    });
    if (sent) {
      store.update((state) => {
        for (const part of ["tried", "happened", "recommend", "named"]) delete state.drafts[key(part)];
        state.ui.telling = null;
      });
    }
  }
  const field = (part) => (e) => { drafts[key(part)] = e.currentTarget.value; };
  return html`<div class="cc-story-form" role="group" aria-label=${t("how_it_went")}>
    <label class="cc-label" for=${`cc-tried-${practice.id}`}>${t("what_tried")}</label>
    <textarea id=${`cc-tried-${practice.id}`} rows="2" maxLength=${store.data.limits.story}
      value=${drafts[key("tried")] || ""} onInput=${field("tried")}></textarea>
    <label class="cc-label" for=${`cc-happened-${practice.id}`}>${t("what_happened")}</label>
    <textarea id=${`cc-happened-${practice.id}`} rows="3" maxLength=${store.data.limits.story}
      value=${drafts[key("happened")] || ""} onInput=${field("happened")}></textarea>
    <fieldset class="cc-recommend"><legend>${t("would_recommend")}</legend>
      ${["yes", "partly", "no"].map((answer) => html`<label key=${answer} class="cc-check">
        <input type="radio" name=${`recommend-${practice.id}`} value=${answer} checked=${chosen === answer}
          onChange=${() => store.update((state) => { state.drafts[key("recommend")] = answer; })} />${t(`recommend_${answer}`)}</label>`)}
    </fieldset>
    ${room.workshop.anonymous ? null : html`<label class="cc-check"><input type="checkbox"
      checked=${Boolean(drafts[key("named")])}
      onChange=${(e) => { drafts[key("named")] = e.currentTarget.checked; }} />${t("show_name")}</label>`}
    <div class="cc-buttons">
      <${Button} label=${t("tell_story")} primary onClick=${tell} />
      <${Button} label=${t("cancel")} onClick=${() => store.update((state) => { state.ui.telling = null; })} />
    </div>
  </div>`;
}

function Card({ store, room, practice, mine, marks, marking, told }) {
  const { t, tn } = words(store);
  const where = [practice.theme_title, mine ? t("you_shared") : practice.source].filter(Boolean);
  const counts = `${tn("do_too_count", practice.do_too)} · ${tn("want_count", practice.want_to_try)}`;
  const toggle = (kind, label) => {
    const on = marks.has(`${practice.id}:${kind}`);
    return html`<${Button} label=${on ? `✓ ${label}` : label} on=${on} pressed=${on} disabled=${!marking}
      onClick=${() => send(store, { do: "mark", practice: practice.id, kind, on: !on })} />`;
  };
  return html`<div class=${mine ? "cc-card cc-practice cc-mine" : "cc-card cc-practice"} data-practice=${practice.id}
    role="group" aria-label=${practice.title}>
    <p class="cc-practice-title">${practice.title}</p>
    <p class="cc-text">${practice.description}</p>
    <p class="cc-caption">${[...where, counts].join(" · ")}</p>
    ${mine || !marking ? null : html`<div class="cc-buttons">${toggle("do_too", t("do_too"))}${toggle("want_to_try", t("want"))}</div>`}
    <${Stories} store=${store} practice=${practice} />
    ${told ? html`<p class="cc-caption">${t("you_told")}</p>`
      : store.state.ui.telling === practice.id ? html`<${StoryForm} store=${store} room=${room} practice=${practice} />`
      : html`<div class="cc-buttons"><${Button} label=${t("how_it_went")}
          onClick=${() => store.update((state) => { state.ui.telling = practice.id; })} /></div>`}
  </div>`;
}

export function Practices({ store, room, me }) {
  const { t } = words(store);
  const phase = room.workshop.phase;
  const sharing = phase === "share" && room.workshop.ask_practices;
  const practices = room.practices || [];
  if (!sharing && !practices.length) return null;
  const mine = new Set(me.practices || []);
  const marks = new Set((me.marks || []).map(([id, kind]) => `${id}:${kind}`));
  const told = new Set(store.state.ui.told || []);
  return html`<section class="cc-practices" data-board="practice_board">
    ${sharing
      ? html`<h3 class="cc-subheading">${t("works_heading")}</h3><p class="cc-caption">${t("works_caption")}</p>
          <${Form} store=${store} room=${room} />`
      : html`<h3 class="cc-subheading">${t("works_count", { n_cards: practices.length })}</h3>
          <${Said} note=${note(store, "practices")} />`}
    <div class="cc-practice-list">
      ${practices.map((practice) => html`<${Card} key=${practice.id} store=${store} room=${room} practice=${practice}
        mine=${mine.has(practice.id)} marks=${marks} marking=${phase !== "closed"} told=${told.has(practice.id)} />`)}
    </div>
  </section>`;
}
