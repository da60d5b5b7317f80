"""Facilitate: create or open a workshop, move the room through its phases, moderate, reveal."""

import html

import streamlit as st

import ui
from ui import schedule_form, stories, workshop_form
from workshop import actions, analytics, exports, i18n, settings, templates, views
from workshop.i18n import N_, _, ngettext
from workshop.model import VOTES_LOCKED, Access, Phase, Workshop
from workshop.templates import offered

ui.use_language()
st.set_page_config(page_title=_("Cocreate · Facilitate"), page_icon="🎛️", layout="wide")
ui.page_style()
store = ui.store()
live = ui.live()


def template_tools(workshop: Workshop) -> None:
    """Keep this workshop as a template (listed when a workshop is created), download the
    template file, or import one saved by another Cocreate."""
    st.text_input(_("Template name"), value=workshop.title, max_chars=80, key="template_name")
    if st.button(_("Save as template"), key="template_save"):
        saved = ui.shown_error(actions.save_as_template, store, access, st.session_state["template_name"])
        if saved is not None:
            st.session_state["template_saved"] = saved
    saved = st.session_state.get("template_saved")
    if saved is not None:
        st.success(_("Saved: “{name}” is offered when a workshop is created.").format(name=saved.name))
        st.download_button(
            _("Download the template (JSON)"),
            templates.template_json(saved.name, saved.draft, saved.featured),
            f"{saved.key}.json",
            "application/json",
            key="template_download",
            on_click="ignore",
        )
    upload = st.file_uploader(_("Import a template (.json)"), type=["json"], key="template_upload")
    if upload is not None and st.button(_("Import it"), key="template_import"):
        imported = ui.shown_error(actions.import_template, store, access, upload.getvalue())
        if imported is not None:
            st.success(
                _("Imported: “{name}” is offered when a workshop is created.").format(name=imported.name)
            )


def switch(key: str, on: bool, labels: tuple[str, str], action, help: str | None = None) -> None:
    """A button that turns one of the projector's switches: it says what a click does (the
    first label while `on`), and `action(store, access, not on)` does it."""
    st.button(
        labels[0] if on else labels[1],
        key=key,
        on_click=ui.act,
        args=(action, store, access, not on),
        help=help,
    )


# A template in the other language, as the list names it.
IN_LANGUAGE = {i18n.ENGLISH: N_("{name} · in English"), i18n.FINNISH: N_("{name} · in Finnish")}


def create_form() -> None:
    speaking = i18n.current()
    templates = {t.key: t for t in offered(speaking)}

    def named(key: str) -> str:
        shown = templates[key]
        if shown.draft.language == speaking:
            return shown.name
        return _(IN_LANGUAGE[shown.draft.language]).format(name=shown.name)

    st.selectbox(
        _("Start from"),
        list(templates),
        format_func=named,
        key="create_template",
        on_change=lambda: workshop_form.fill_form(
            "create", templates[st.session_state["create_template"]].draft, store.now()
        ),
    )
    chosen = templates[st.session_state["create_template"]]
    if chosen.featured:
        st.caption(
            _("This template shows {value} of earlier workshops to the room.").format(
                value=views.plural(len(chosen.featured), "practice")
            )
        )
    draft = workshop_form.workshop_form("create", chosen.draft, _("Create workshop"), store.now())
    if draft is None:
        return
    created = ui.shown_error(actions.create_workshop, store, draft)
    if created is not None:
        actions.feature_from_template(store, actions.access_for(store, created.session_token), chosen)
        st.session_state["created"] = created  # the key is shown once, on the next run
        ui.open_session(lambda: created.session_token)


def sign_in() -> None:
    ui.go_home_link()
    st.title(_("Facilitate"))
    opening = st.query_params.get("code")
    create, open_ = st.tabs(
        [_("Open my workshop"), _("Create a workshop")]
        if opening
        else [_("Create a workshop"), _("Open my workshop")]
    )
    with create if not opening else open_:
        create_form()
    with open_ if not opening else create:
        ui.facilitator_key_form("open", st.query_params.get("code", ""))


def session() -> tuple[Access, Workshop] | None:
    token = st.query_params.get("s")
    if not token:
        return None
    access = ui.shown_error(actions.access_for, store, token)
    workshop = ui.shown_error(actions.facilitated_workshop, store, access) if access else None
    if workshop is None:
        st.query_params.pop("s", None)
        return None
    return access, workshop


opened = session()
if opened is None:
    ui.language_picker()
    sign_in()
    st.stop()
access, workshop = opened
ui.use_language(workshop.language)
ui.language_picker()
ui.show_messages()

created = st.session_state.get("created")
if created is not None and created.workshop.id == workshop.id:
    with st.container(border=True):
        st.success(_("Your workshop is ready. Copy the facilitator key now: it is shown only this once."))
        st.text(_("Facilitator key"))
        st.code(created.facilitator_key, language=None)
        st.text(_("Presenter link (open it on the projector)"))
        st.code(ui.presenter_url(created.presenter_token), language=None)
        if st.button(_("I have saved the key"), key="dismiss_key"):
            del st.session_state["created"]
            st.rerun()

top_left, top_right = st.columns([3, 2])
with top_left:
    ui.heading(workshop.title, level=1)
    st.html(
        "<div>"
        + html.escape(_("Join code"))
        + f" <span class='cc-code' style='font-size:2rem'>{workshop.code}</span></div>"
    )
    st.code(ui.join_url(workshop.code), language=None)
with top_right:
    with st.expander(_("Presenter link")):
        st.write(_("Open the projector screen with a presenter link. Making a new one ends the old one."))
        fresh = st.session_state.get("presenter_token")
        if fresh:
            st.code(ui.presenter_url(fresh), language=None)
        if st.button(_("Make a presenter link"), key="new_presenter"):
            token = ui.shown_error(actions.new_presenter_link, store, access)
            if token is not None:
                st.session_state["presenter_token"] = token
                st.rerun()
    switch(
        "projector_pause",
        workshop.projector_paused,
        (_("Let the projector turn its pages"), _("Hold the projector on its page")),
        actions.pause_projector,
        help=_("The projector turns to its next page every 12 s."),
    )
    switch(
        "projector_dark",
        workshop.projector_dark,
        (_("Light projector screen"), _("Dark projector screen (for a dim room)")),
        actions.darken_projector,
    )
    switch(
        "projector_help_pairs",
        workshop.show_help_pairs,
        (_("Take who can help whom off the projector"), _("Show who can help whom on the projector")),
        actions.show_help_pairs,
        help=_(
            "In the Results phase, a panel pairs teams that would learn a need or a practice with teams that can help; teams under {value} people are never named."
        ).format(value=settings.min_team_size()),
    )
    with st.expander(_("Save as template")):
        template_tools(workshop)
    st.page_link(
        "pages/review.py",
        label=_("Review this workshop, and the practice library"),
        icon="📊",
        query_params={"s": st.query_params["s"]},
    )

if workshop.phase is Phase.LOBBY:
    with st.expander(_("Edit the workshop (until the room starts)")):
        edited = workshop_form.workshop_form(
            "edit", workshop.draft(), _("Save changes"), store.now(), timing=False
        )
        if edited is not None and ui.shown_error(actions.edit_workshop, store, access, edited) is not None:
            del st.session_state["edit_title"]  # the form shows the stored values again
            ui.confirm(_("Workshop saved"))
            st.rerun()

with st.expander(
    _("Schedule: self-paced, phases open on their own") if workshop.self_paced else _("Schedule"),
    expanded=workshop.self_paced,
):
    schedule_form.panel(store, access, workshop)
if workshop.self_paced:
    with st.expander(_("Participation over the days, and the chat")):
        schedule_form.participation_panel(store, workshop)
        schedule_form.chat_panel(store, access, workshop, ui.join_url(workshop.code))

# -- phase control ---------------------------------------------------------------------

phases = list(Phase)
st.html(
    "<div style='display:flex;gap:.4rem;flex-wrap:wrap;margin:.5rem 0'>"
    + "".join(
        f"<span style='padding:.3rem .8rem;border-radius:1rem;"
        f"background:{'#0072B2' if p is workshop.phase else '#eef2f6'};"
        f"color:{'white' if p is workshop.phase else '#333'}'>{i + 1}. {p.label}</span>"
        for i, p in enumerate(phases)
    )
    + "</div>"
)
back_col, next_col, close_col, reveal_col = st.columns(4)
earlier, following = workshop.phase.previous(), workshop.phase.next()
back_col.button(
    _("◀ Back to {label}").format(label=earlier.label) if earlier else _("◀ Back"),
    key="phase_back",
    shortcut="B",
    disabled=earlier is None,
    on_click=ui.act,
    args=(actions.go_back, store, access),
    width="stretch",
)
next_col.button(
    _("Next: {label} ▶").format(label=following.label) if following else _("Next ▶"),
    key="phase_next",
    shortcut="N",
    type="primary",
    disabled=following is None,
    on_click=ui.act,
    args=(actions.advance_phase, store, access),
    width="stretch",
)
close_col.button(
    _("Close workshop"),
    key="phase_close",
    disabled=workshop.phase is Phase.CLOSED,
    on_click=ui.act,
    args=(actions.close_workshop, store, access),
    width="stretch",
)
if workshop.hide_results:
    if workshop.revealed:
        reveal_col.button(
            _("Hide results again"),
            key="conceal",
            shortcut="V",
            on_click=ui.act,
            args=(actions.reveal_results, store, access, False),
            width="stretch",
        )
    else:
        reveal_col.button(
            _("Reveal results"),
            key="reveal",
            shortcut="V",
            on_click=ui.act,
            args=(actions.reveal_results, store, access, True),
            kwargs={"done": _("Results revealed")},
            width="stretch",
        )
else:
    reveal_col.caption(_("Vote counts are visible to everyone in this workshop."))
if workshop.lock_after_reveal:
    reveal_col.caption(
        _(VOTES_LOCKED) if workshop.votes_locked else _("Voting locks when the results are revealed.")
    )


@ui.speaking
def start_timer() -> None:
    ui.act(actions.set_timer, store, access, st.session_state["timer_minutes"], done=_("Timer started"))


timer_col, timer_buttons = st.columns([1, 2])
minutes = timer_col.number_input(
    _("Timer (minutes)"), min_value=0.5, max_value=180.0, value=5.0, step=0.5, key="timer_minutes"
)
with timer_buttons:
    a, b = st.columns(2)
    a.button(
        _("Start timer"),
        key="timer_start",
        shortcut="T",
        on_click=start_timer,
    )
    b.button(
        _("Clear timer"),
        key="timer_clear",
        shortcut="X",
        on_click=ui.act,
        args=(actions.set_timer, store, access, None),
    )
st.caption(_("Keys: N next phase · B back · V reveal or hide the results · T start the timer · X clear it."))


CONTRIBUTING = (Phase.SHARE, Phase.PROPOSE, Phase.VOTE)  # the phases where people add or vote
LIVE_EVERY = 1.5  # seconds between redraws of the live counts and the moderation lists


@ui.fragment(run_every=LIVE_EVERY)
def room_status(workshop_id: int) -> None:
    """Live counts: who joined, who has contributed in this phase (while people contribute),
    and the timer."""
    current = ui.current_workshop(workshop_id)
    counts = live.get(
        "participation", workshop_id, lambda: analytics.participation(store, workshop_id, current.phase)
    )
    a, b, c, d = st.columns(4)
    a.metric(_("Joined"), counts["joined"])
    if current.phase in CONTRIBUTING:
        b.metric(_("Contributed in {label}").format(label=current.phase.label), counts["contributed"])
        c.metric(_("Not yet"), counts["not_yet"])
    d.metric(_("Timer"), ui.remaining(current.timer_ends_at, store.now()) or "—")
    if counts["not_yet"] and current.phase in CONTRIBUTING:
        waiting = live.get(
            f"waiting {current.phase.value}",
            workshop_id,
            lambda: analytics.waiting_participants(store, workshop_id, current.phase),
        )
        with st.expander(_("Who has not contributed yet ({n_waiting})").format(n_waiting=len(waiting))):
            shown = waiting.assign(name=waiting["name"].fillna(_("Anonymous")))[["name", "team"]]
            st.dataframe(exports.labelled(shown), hide_index=True, width="stretch")


room_status(workshop.id)

# -- moderation ------------------------------------------------------------------------

MODERATION_PAGE = 30  # items of each list drawn at a time, newest first


def more_button(key: str, shown: int, total: int) -> None:
    if total > shown and st.button(
        _("Show {value} more").format(value=min(MODERATION_PAGE, total - shown)), key=f"{key}_more"
    ):
        st.session_state[f"{key}_shown"] = shown + MODERATION_PAGE
        st.rerun(scope="fragment")


def removed_people(workshop_id: int) -> set[int]:
    return live.get("removed people", workshop_id, lambda: store.removed_participants(workshop_id))


def remove_author(
    key: str, participant_id: int, author: str | None, removed: set[int], label: str | None = None
) -> None:
    """Under an item's Hide (or beside a person, `label`): take its author out of the
    workshop, after a second click."""
    if participant_id in removed:
        st.caption(_("Author removed"))
        return
    who = author or _("this person")
    with st.popover(label or _("Remove author"), type="tertiary", key=f"{key}_remove"):
        st.markdown(
            ui.md(
                _(
                    "Take {who} out of the workshop? Their link stops working at once, on every open screen too; all they wrote is hidden, and their dots, backings, reactions and ratings no longer count. This cannot be undone. They could join again with the code, as someone new."
                ).format(who=who)
            )
        )
        st.button(
            ui.md(_("Remove {who}").format(who=who)),
            key=f"{key}_remove_confirm",
            type="primary",
            on_click=ui.act,
            args=(actions.remove_participant, store, access, participant_id),
            kwargs={
                "done": ui.md(_("{who} is out of the workshop").format(who=f"{who[:1].upper()}{who[1:]}"))
            },
        )


def moderated_card(
    kind: str,
    item_id: int,
    lines: tuple[str, ...],
    caption: str,
    hidden: bool,
    hide,
    author: tuple[int, str | None, set[int]] | None,
):
    """One item of a moderation list (a statement, a need, a practice): its text as text (a
    participant wrote it), a caption, Hide / Show (`hide(store, access, id, hidden)`) and
    "Remove author" (`author`: who wrote it, their name, who is out already); the text and
    button columns, for what the item adds."""
    text_col, button_col = st.container(border=True).columns([5, 1])
    for line in lines:
        text_col.text(line)
    text_col.caption(ui.md(caption + (_(" · HIDDEN") if hidden else "")))
    button_col.button(
        _("Show") if hidden else _("Hide"),
        key=f"hide_{kind}_{item_id}",
        on_click=ui.act,
        args=(hide, store, access, item_id, not hidden),
    )
    if author is not None:
        with button_col:
            remove_author(f"{kind}_{item_id}", *author)
    return text_col, button_col


def moderated(kind: str, workshop_id: int) -> list:
    """The workshop's statements, needs, practices or stories (`kind`), hidden ones too, as
    the moderation lists show them: read once per change of the workshop for every tab."""
    reads = {
        "statements": lambda: store.statements(workshop_id, include_hidden=True),
        "needs": lambda: store.needs(workshop_id, include_hidden=True),
        "practices": lambda: store.practices(workshop_id, include_hidden=True),
        "stories": lambda: store.workshop_stories(workshop_id),
    }
    return live.get(f"moderation {kind}", workshop_id, reads[kind])


def statement_list(current: Workshop) -> None:
    anonymous = _("Anonymous")
    statements = moderated("statements", current.id)
    if not statements:
        st.caption(_("No statements yet."))
    shown = st.session_state.setdefault("statements_shown", MODERATION_PAGE)
    removed = removed_people(current.id)
    for s in list(reversed(statements))[:shown]:
        caption = f"#{s.id} · {views.theme_title(current, s.theme_id)} · {s.author or anonymous}"
        caption += f" · 👍 {s.agree} 👎 {s.disagree}"
        author = (s.participant_id, s.author, removed)
        moderated_card("statement", s.id, (s.text,), caption, s.hidden, actions.hide_statement, author)
    more_button("statements", shown, len(statements))


def merge_form(visible: list) -> None:
    with st.form("merge"):
        st.write(
            _("Merge a duplicate into the need it repeats: backers and dots move, nothing counts twice.")
        )
        label = {n.id: f"#{n.id} {n.text[:70]}" for n in visible}
        ids = [n.id for n in visible]
        st.selectbox(_("Duplicate"), ids, format_func=label.get, key="merge_source")
        st.selectbox(_("Merge into"), ids, index=1, format_func=label.get, key="merge_target")
        st.form_submit_button(
            _("Merge"),
            key="merge_submit",
            on_click=ui.speaking(
                lambda: ui.act(
                    actions.merge_needs,
                    store,
                    access,
                    st.session_state["merge_source"],
                    st.session_state["merge_target"],
                    done=_("Merged"),
                )
            ),
        )


@ui.speaking
def merge_group(key: str, ids: list[int]) -> None:
    kept = st.session_state[f"{key}_keep"]
    others = [i for i in ids if i != kept]
    ui.act(
        actions.merge_group,
        store,
        access,
        others,
        kept,
        done=_("Merged {value}").format(value=views.plural(len(others), "need")),
    )


def duplicates(current: Workshop) -> None:
    """Groups of needs that likely say the same (workshop/similar.py), each merged in one click
    into the need the facilitator keeps (the most dotted and backed, unless chosen otherwise)."""
    groups = views.duplicate_groups(store, live, current.id)
    if not groups:
        return
    st.markdown(_("**Likely duplicates ({n_groups})**").format(n_groups=len(groups)))
    for group in groups:
        ids = [n.id for n in group]
        key = "group_" + "_".join(map(str, ids))
        with st.container(border=True, key=key):
            for n in group:
                st.text(f"#{n.id} {n.text}")
                st.caption(ui.md(f"{views.plural(n.dots, 'dot')} · {views.plural(n.backers, 'backer')}"))
            label = {n.id: f"#{n.id} {n.text[:60]}" for n in group}
            keep_col, merge_col = st.columns([3, 2], vertical_alignment="bottom")
            keep_col.selectbox(_("Keep"), ids, format_func=label.get, key=f"{key}_keep")
            merge_col.button(
                _("Merge the {value} into it").format(
                    value=_("other") if len(ids) == 2 else _("other {n}").format(n=len(ids) - 1)
                ),
                key=f"{key}_merge",
                on_click=merge_group,
                args=(key, ids),
            )


def link_picker(
    need_id: int, label: str, question: str, options: dict[int, str], chosen: list[int], kind: str
) -> None:
    """A popover choosing what a need links to: the statements it cites ("cites") or the
    practices that answer it ("learn"); each change is written at once."""
    if not options:
        return
    link = {"cites": actions.cite_statement, "learn": actions.link_need_to_practice}[kind]
    with st.popover(label, type="tertiary", key=f"{kind}_{need_id}"):
        st.multiselect(
            question,
            list(options),
            default=chosen,
            format_func=lambda i: options[i][:120],
            key=f"{kind}_of_{need_id}",
            on_change=relink,
            args=(need_id, chosen, f"{kind}_of_{need_id}", link),
        )


@ui.speaking
def relink(need_id: int, before: list[int], key: str, link) -> None:
    """Link the need to the items (practices, statements) now chosen in the widget `key`, and
    unlink those taken off, each by `link(store, access, need_id, item, linked)`."""
    chosen = st.session_state[key]
    for item in [i for i in chosen if i not in before]:
        ui.act(link, store, access, need_id, item, True)
    for item in [i for i in before if i not in chosen]:
        ui.act(link, store, access, need_id, item, False)


def need_list(current: Workshop) -> None:
    anonymous = _("Anonymous")
    needs = moderated("needs", current.id)
    visible = [n for n in needs if not n.hidden]
    # In a place of its own, so that the merge form below keeps its place on the page (and an
    # open list of its choices stays open) when a group appears or goes on a later redraw.
    with st.container():
        duplicates(current)
    if len(visible) >= 2:
        merge_form(visible)
    if not needs:
        st.caption(_("No development needs yet."))
    shown = st.session_state.setdefault("needs_shown", MODERATION_PAGE)
    removed = removed_people(current.id)
    practices = {p.id: p.title for p in moderated("practices", current.id) if not p.hidden}
    linked = live.get("need practices", current.id, lambda: store.need_practices(current.id))
    said = {s.id: s.text for s in moderated("statements", current.id) if not s.hidden}
    cited = live.get("need statements", current.id, lambda: store.need_statements(current.id))
    for n in needs[:shown]:
        merged = (
            _(" · merged from {ids}").format(ids=", ".join(f"#{i}" for i in n.merged_from))
            if n.merged_from
            else ""
        )
        caption = f"#{n.id} · {views.theme_title(current, n.theme_id)} · {n.author or anonymous} · "
        caption += f"{views.plural(n.dots, 'dot')} · " + views.plural(n.backers, "backer") + merged
        author = (n.participant_id, n.author, removed)
        text_col, button_col = moderated_card(
            "need", n.id, (n.text,), caption, n.hidden, actions.hide_need, author
        )
        with text_col:
            learn = [i for i in linked.get(n.id, []) if i in practices]
            if learn:
                st.caption(
                    ui.md(
                        _("Learn from: {practices}").format(practices="; ".join(practices[i] for i in learn))
                    )
                )
            cites = [i for i in cited.get(n.id, []) if i in said]
            if cites:
                st.caption(
                    ui.md(
                        _("From what people said: {quotes}").format(
                            quotes="; ".join(f"“{said[i]}”" for i in cites)
                        )
                    )
                )
        if not n.hidden:
            with button_col:
                link_picker(
                    n.id, _("Cites…"), _("What people said that led to this need"), said, cites, "cites"
                )
                link_picker(
                    n.id,
                    _("Learn from…"),
                    _("Practices that answer this need"),
                    practices,
                    learn,
                    "learn",
                )
        for merged in n.merged_from:
            button_col.button(
                _("Unmerge #{merged}").format(merged=merged),
                key=f"unmerge_{merged}",
                help=_("Put it back on the list with its backers, dots and ratings"),
                on_click=ui.act,
                args=(actions.unmerge_need, store, access, merged),
                kwargs={"done": _("Need #{merged} is back on the list").format(merged=merged)},
            )
    more_button("needs", shown, len(needs))


def practice_list(current: Workshop) -> None:
    """The workshop's practices, hidden ones too, newest first, with Hide / Show and
    "Remove author"; those featured from earlier workshops are listed apart."""
    not_named = _("not named")
    practices = moderated("practices", current.id)
    own = [p for p in practices if not p.featured]
    if not own:
        st.caption(
            _("No practices yet.")
            if current.ask_practices
            else _("This workshop does not ask for practices.")
        )
    shown = st.session_state.setdefault("practices_shown", MODERATION_PAGE)
    removed = removed_people(current.id)
    for p in list(reversed(own))[:shown]:
        caption = f"#{p.id} · {views.theme_title(current, p.theme_id)} · {p.author or not_named} · "
        caption += ngettext("{n} does this too", "{n} do this too", p.do_too).format(n=p.do_too) + " · "
        caption += ngettext("{n} would like to try it", "{n} would like to try it", p.want_to_try).format(
            n=p.want_to_try
        )
        author = (p.participant_id, p.author, removed)
        moderated_card(
            "practice", p.id, (p.title, p.description), caption, p.hidden, actions.hide_practice, author
        )
    more_button("practices", shown, len(own))
    told = moderated("stories", current.id)
    if told:
        st.markdown(_("**Stories of how practices went ({n})**").format(n=len(told)))
    for story in told:
        caption = f"#{story['id']} · “{story['practice']}” · {story['author'] or not_named}"
        lines = (stories.story_text(story),)
        teller = story["participant_id"]
        author = None if teller is None else (teller, story["author"], removed)
        moderated_card("story", story["id"], lines, caption, story["hidden"], actions.hide_story, author)
    featured = [p for p in practices if p.featured]
    if featured:
        st.markdown(_("**Featured from earlier workshops ({n_featured})**").format(n_featured=len(featured)))
        for p in featured:
            with st.container(border=True):
                st.text(p.title)
                st.caption(
                    ui.md(
                        _(
                            "from “{origin}” · {do_too} do this too · {want_to_try} would like to try it"
                        ).format(origin=p.origin, do_too=p.do_too, want_to_try=p.want_to_try)
                    )
                )


def people_list(current: Workshop) -> None:
    """Everyone in the room, found by name or team, each with "Take out of the workshop":
    also someone who only voted, who has nothing of their own to remove beside."""
    people = live.get("people", current.id, lambda: analytics.people_in_room(store, current.id))
    anonymous = _("Anonymous")
    found = st.text_input(_("Find a person by name or team"), key="people_find").strip().casefold()
    names = people["name"].fillna(anonymous)
    teams = people["team"].fillna("")
    matching = [
        (int(pid), name, team)
        for pid, name, team in zip(people["id"], names, teams, strict=True)
        if found in name.casefold() or found in team.casefold()
    ]
    if not matching:
        st.caption(_("Nobody in the room yet.") if not found else _("Nobody by that name or team."))
    shown = st.session_state.setdefault("people_shown", MODERATION_PAGE)
    removed = removed_people(current.id)
    for pid, name, team in matching[:shown]:
        text_col, button_col = st.columns([5, 2], vertical_alignment="center")
        text_col.text(" · ".join(filter(None, (name, team))))
        with button_col:
            remove_author(
                f"person_{pid}",
                pid,
                None if current.anonymous else name,
                removed,
                label=_("Take out of the workshop"),
            )
    more_button("people", shown, len(matching))


@ui.fragment(run_every=LIVE_EVERY)
def moderation(workshop_id: int) -> None:
    """Every statement, need and practice, hidden ones too, with Hide / Show and the merge form:
    redrawn every LIVE_EVERY seconds from lists read once per change of the workshop,
    so what people add, and what another facilitator tab did, shows without a reload."""
    ui.show_messages()
    current = ui.current_workshop(workshop_id)
    statements_tab, needs_tab, practices_tab, people_tab = st.tabs(
        [_("Statements"), _("Development needs"), _("Practices"), _("People")]
    )
    with statements_tab:
        statement_list(current)
    with needs_tab:
        need_list(current)
    with practices_tab:
        practice_list(current)
    with people_tab:
        people_list(current)


st.subheader(_("Moderation"))
moderation(workshop.id)
