"""Who may do what: every action on a workshop, tried with the link or key of every role.

Two workshops, A and B. Each role holds what that person really has: a participant the
token in their link, a facilitator the key they were shown and the session link it opened,
the projector its presenter link, a leader the organisation key and its Review link,
nobody a made-up token and key. Every action on workshop A is tried, the way the pages do
it (credential first, then the action), by every role. Refused roles must get a
CocreateError with a message and change nothing (the workshop's data version stays); the
roles PRODUCT.md allows must succeed. The pages themselves are checked the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, draft
from workshop import actions, schedule, security
from workshop.errors import AccessDenied, CocreateError
from workshop.model import Phase
from workshop.store import Store

ORGANISATION_KEY = "org-key-for-the-access-matrix-0123456789"
ROLES = (
    "participant",
    "other_participant",
    "facilitator",
    "other_facilitator",
    "presenter",
    "organisation",
    "nobody",
)
FAKE = security.new_token()


@dataclass
class Credential:
    link: str | None  # the token the role's link carries
    key: str | None = None  # a key the role knows


@dataclass
class World:
    store: Store
    code: str
    workshop_id: int
    roles: dict[str, Credential]
    theme: int
    own_statement: int
    others_statement: int
    own_need: int
    others_need: int
    spare_need: int
    merged_need: int  # merged into spare_need by A's facilitator
    other_person: int  # Quinn, a participant of A
    own_practice: int  # Pat's practice, in A
    library_practice: int  # Robin's practice, in B (a facilitator of A may feature it)
    story: int  # Quinn's story of Pat's practice, told in A


def build(store: Store, phase: Phase) -> World:
    a = actions.create_workshop(store, draft(title="Workshop A"))
    b = actions.create_workshop(store, draft(title="Workshop B"))
    fa = actions.access_for(store, a.session_token)
    fb = actions.access_for(store, b.session_token)
    p, p_token = actions.join(store, a.workshop.code, "Pat", "Sales")
    q, _ = actions.join(store, a.workshop.code, "Quinn", "Support")
    r, r_token = actions.join(store, b.workshop.code, "Robin", "Sales")
    theme = a.workshop.themes[0].id
    actions.set_phase(store, fa, Phase.SHARE)
    own_statement = actions.share(store, p, theme, "What P said")
    others_statement = actions.share(store, q, theme, "What Q said")
    own_practice = actions.share_practice(store, p, theme, "What P does", "P does it every week.")
    story = actions.tell_story(store, q, own_practice, "We tried it", "It helped", "partly")
    actions.set_phase(store, fa, Phase.PROPOSE)
    own_need = actions.propose(store, p, theme, "What P needs")
    others_need = actions.propose(store, q, theme, "What Q needs")
    spare_need = actions.propose(store, q, theme, "What Q also needs")
    merged_need = actions.propose(store, q, theme, "What Q needs as well")
    actions.merge_needs(store, fa, merged_need, spare_need)
    if phase.index >= Phase.VOTE.index:
        actions.set_phase(store, fa, Phase.VOTE)
        actions.place_dot(store, p, others_need)
    actions.set_phase(store, fa, phase)
    actions.set_phase(store, fb, Phase.SHARE)
    library_practice = actions.share_practice(store, r, b.workshop.themes[0].id, "What R does", "R does it.")
    organisation = actions.open_as_organisation(store, ORGANISATION_KEY, ORGANISATION_KEY)
    roles = {
        "participant": Credential(p_token),
        "other_participant": Credential(r_token),
        "facilitator": Credential(a.session_token, a.facilitator_key),
        "other_facilitator": Credential(b.session_token, b.facilitator_key),
        "presenter": Credential(a.presenter_token),
        "organisation": Credential(organisation, ORGANISATION_KEY),
        "nobody": Credential(FAKE, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE"),
    }
    return World(
        store,
        a.workshop.code,
        a.workshop.id,
        roles,
        theme,
        own_statement,
        others_statement,
        own_need,
        others_need,
        spare_need,
        merged_need,
        q.id,
        own_practice,
        library_practice,
        story,
    )


def as_participant(fn: Callable[..., Any], *args: Any) -> Callable[[World, Credential], Any]:
    def attempt(w: World, c: Credential) -> Any:
        me = actions.resume(w.store, c.link)
        return fn(w.store, me, *(a(w) if callable(a) else a for a in args))

    return attempt


def as_session(fn: Callable[..., Any], *args: Any) -> Callable[[World, Credential], Any]:
    def attempt(w: World, c: Credential) -> Any:
        access = actions.access_for(w.store, c.link)
        return fn(w.store, access, *(a(w) if callable(a) else a for a in args))

    return attempt


def theme(w: World) -> int:
    return w.theme


def in_a(w: World, me) -> None:
    """A participant link opens its own workshop: for workshop A only A's participants."""
    if me.workshop_id != w.workshop_id:
        raise AccessDenied("This link opens another workshop.")


def review_a(w: World, c: Credential) -> None:
    access = actions.access_for(w.store, c.link)
    if w.workshop_id not in [x.id for x in actions.reviewable_workshops(w.store, access)]:
        raise AccessDenied("Workshop A is not among the workshops this link reviews.")


def follow_up_a(w: World, c: Credential) -> None:
    access = actions.access_for(w.store, c.link)
    made = actions.create_follow_up(w.store, access, "Coaching", [w.others_need])
    actions.update_follow_up(
        w.store, access, made, title="Coaching", owner="HR", due_date=None, status="done"
    )
    if made not in [f.id for f in actions.follow_ups(w.store, access, [w.workshop_id])]:
        raise AccessDenied("The new action is not listed.")


def plan_trying_a_practice_in_a(w: World, c: Credential) -> None:
    """An action for A's people to try a practice of the library (B's): listed for A."""
    access = actions.access_for(w.store, c.link)
    made = actions.create_follow_up(
        w.store, access, "Try what R does", [], practices=[(w.library_practice, w.workshop_id)]
    )
    if made not in [f.id for f in actions.follow_ups(w.store, access, [w.workshop_id])]:
        raise AccessDenied("The new action is not listed.")


def tell_how_a_practice_went_in_a(w: World, c: Credential) -> None:
    """An action for A's people to try a practice, done, and its owner's story of it."""
    access = actions.access_for(w.store, c.link)
    made = actions.create_follow_up(
        w.store, access, "Try what R does", [], practices=[(w.library_practice, w.workshop_id)]
    )
    actions.update_follow_up(
        w.store, access, made, title="Try what R does", owner="HR", due_date=None, status="done"
    )
    actions.tell_story_of_action(w.store, access, made, w.library_practice, "We tried it", "It helped", "yes")


def hide_a_story_told_in_a(w: World, c: Credential) -> None:
    """The story Quinn (of A) told of Pat's practice, hidden by the session."""
    actions.hide_story(w.store, actions.access_for(w.store, c.link), w.story)


def edit_and_delete_an_action_on_a(w: World, c: Credential) -> None:
    """An action on A's need edited whole (a note, an outcome), then deleted."""
    access = actions.access_for(w.store, c.link)
    made = actions.create_follow_up(w.store, access, "Coaching", [w.others_need])
    actions.update_follow_up(
        w.store,
        access,
        made,
        title="Coaching",
        owner="HR",
        due_date=None,
        status="done",
        note="n",
        outcome="o",
    )
    actions.delete_follow_up(w.store, access, made)


def save_a_template(w: World, c: Credential) -> None:
    """Save A as a template, and import it again (into a folder of the test's own)."""
    import os
    import tempfile

    access = actions.access_for(w.store, c.link)
    with tempfile.TemporaryDirectory() as folder:
        before = os.environ.get("COCREATE_TEMPLATE_DIR")
        os.environ["COCREATE_TEMPLATE_DIR"] = folder
        try:
            saved = actions.save_as_template(w.store, access, "A's format")
            data = (Path(folder) / f"{saved.key}.json").read_bytes()
            actions.import_template(w.store, access, data)
        finally:
            if before is None:
                del os.environ["COCREATE_TEMPLATE_DIR"]
            else:
                os.environ["COCREATE_TEMPLATE_DIR"] = before


def open_review_with_key(w: World, c: Credential) -> None:
    """Review offers two forms: the organisation key, or a workshop code with its facilitator key."""
    guess = c.key or c.link or ""
    try:
        actions.open_as_organisation(w.store, guess, ORGANISATION_KEY)
    except CocreateError:
        actions.open_as_facilitator(w.store, w.code, guess)


PARTICIPANT = {"participant"}
FACILITATOR = {"facilitator"}
LEADERS = {"facilitator", "organisation"}

# name: (phase of workshop A, attempt, roles allowed)
MATRIX: dict[str, tuple[Phase, Callable[[World, Credential], Any], set[str]]] = {
    "open Participate": (Phase.SHARE, lambda w, c: in_a(w, actions.resume(w.store, c.link)), PARTICIPANT),
    "share a statement": (Phase.SHARE, as_participant(actions.share, theme, "A thought"), PARTICIPANT),
    "edit own statement": (
        Phase.SHARE,
        as_participant(actions.edit_statement, lambda w: w.own_statement, "New"),
        PARTICIPANT,
    ),
    "withdraw own statement": (
        Phase.SHARE,
        as_participant(actions.withdraw_statement, lambda w: w.own_statement),
        PARTICIPANT,
    ),
    "react to a statement": (
        Phase.SHARE,
        as_participant(actions.react, lambda w: w.others_statement, "agree"),
        PARTICIPANT,
    ),
    "propose a need": (Phase.PROPOSE, as_participant(actions.propose, theme, "A need"), PARTICIPANT),
    "edit own need": (
        Phase.PROPOSE,
        as_participant(actions.edit_need, lambda w: w.own_need, "Changed", theme),
        PARTICIPANT,
    ),
    "withdraw own need": (
        Phase.PROPOSE,
        as_participant(actions.withdraw_need, lambda w: w.own_need),
        PARTICIPANT,
    ),
    "back a need": (Phase.PROPOSE, as_participant(actions.back, lambda w: w.others_need), PARTICIPANT),
    "place a dot": (Phase.VOTE, as_participant(actions.place_dot, lambda w: w.others_need), PARTICIPANT),
    "take a dot back": (Phase.VOTE, as_participant(actions.remove_dot, lambda w: w.others_need), PARTICIPANT),
    "rate a need": (Phase.VOTE, as_participant(actions.rate, lambda w: w.others_need, 4, 2), PARTICIPANT),
    "share a practice": (
        Phase.SHARE,
        as_participant(actions.share_practice, theme, "A practice", "What we do"),
        PARTICIPANT,
    ),
    "mark a practice": (
        Phase.SHARE,
        as_participant(actions.react_to_practice, lambda w: w.own_practice, "want_to_try"),
        PARTICIPANT,
    ),
    "tell how a practice went": (
        Phase.CLOSED,
        as_participant(actions.tell_story, lambda w: w.own_practice, "We tried it", "It helped", "yes"),
        PARTICIPANT,
    ),
    "point own need to a practice": (
        Phase.PROPOSE,
        as_participant(actions.link_need_to_practice, lambda w: w.own_need, lambda w: w.own_practice),
        PARTICIPANT,
    ),
    "open Facilitate with a key": (
        Phase.LOBBY,
        lambda w, c: actions.open_as_facilitator(w.store, w.code, c.key or ""),
        FACILITATOR,
    ),
    "open Facilitate by link": (
        Phase.LOBBY,
        as_session(actions.facilitated_workshop, lambda w: w.workshop_id),
        FACILITATOR,
    ),
    "edit the workshop": (
        Phase.LOBBY,
        as_session(actions.edit_workshop, draft(title="Renamed")),
        FACILITATOR,
    ),
    "move the phase on": (Phase.LOBBY, as_session(actions.advance_phase), FACILITATOR),
    "move the phase back": (Phase.PROPOSE, as_session(actions.go_back), FACILITATOR),
    "close the workshop": (Phase.VOTE, as_session(actions.close_workshop), FACILITATOR),
    "start a timer": (Phase.SHARE, as_session(actions.set_timer, 5), FACILITATOR),
    "reveal the results": (Phase.VOTE, as_session(actions.reveal_results), FACILITATOR),
    "hide a statement": (
        Phase.SHARE,
        as_session(actions.hide_statement, lambda w: w.others_statement),
        FACILITATOR,
    ),
    "hide a need": (Phase.PROPOSE, as_session(actions.hide_need, lambda w: w.others_need), FACILITATOR),
    "merge needs": (
        Phase.PROPOSE,
        as_session(actions.merge_needs, lambda w: w.spare_need, lambda w: w.others_need),
        FACILITATOR,
    ),
    "merge a group of needs": (
        Phase.PROPOSE,
        as_session(actions.merge_group, lambda w: [w.spare_need], lambda w: w.others_need),
        FACILITATOR,
    ),
    "unmerge a need": (Phase.VOTE, as_session(actions.unmerge_need, lambda w: w.merged_need), FACILITATOR),
    "remove a participant": (
        Phase.VOTE,
        as_session(actions.remove_participant, lambda w: w.other_person),
        FACILITATOR,
    ),
    "hide a practice": (
        Phase.SHARE,
        as_session(actions.hide_practice, lambda w: w.own_practice),
        FACILITATOR,
    ),
    "feature a practice of another workshop": (
        Phase.PROPOSE,
        as_session(actions.feature_practice, lambda w: w.library_practice),
        FACILITATOR,
    ),
    "point a need to a practice": (
        Phase.PROPOSE,
        as_session(actions.link_need_to_practice, lambda w: w.others_need, lambda w: w.own_practice),
        FACILITATOR,
    ),
    "let a need cite a statement": (
        Phase.PROPOSE,
        as_session(actions.cite_statement, lambda w: w.others_need, lambda w: w.others_statement),
        FACILITATOR,
    ),
    "hold the projector": (Phase.RESULTS, as_session(actions.pause_projector), FACILITATOR),
    "darken the projector": (Phase.VOTE, as_session(actions.darken_projector), FACILITATOR),
    "pause the schedule": (Phase.SHARE, as_session(actions.pause_schedule), FACILITATOR),
    "name the chat's webhook": (
        Phase.SHARE,
        as_session(actions.set_webhook, "https://chat.example.org/hooks/abc"),
        FACILITATOR,
    ),
    "make the workshop self-paced": (
        Phase.SHARE,
        as_session(
            actions.set_schedule,
            lambda w: True,
            lambda w: "Europe/Helsinki",
            lambda w: schedule.default_schedule("Europe/Helsinki", w.store.now()),
        ),
        FACILITATOR,
    ),
    "show who can help whom on the projector": (
        Phase.RESULTS,
        as_session(actions.show_help_pairs),
        FACILITATOR,
    ),
    "new presenter link": (Phase.SHARE, as_session(actions.new_presenter_link), FACILITATOR),
    "save A as a template": (Phase.CLOSED, save_a_template, FACILITATOR),
    "add A to a review with its key": (
        Phase.CLOSED,
        lambda w, c: actions.add_workshop_to_review(w.store, c.link or "", w.code, c.key or ""),
        FACILITATOR,
    ),
    "open Present": (Phase.VOTE, lambda w, c: actions.presented_workshop(w.store, c.link), {"presenter"}),
    "open Review with a key": (Phase.VOTE, open_review_with_key, LEADERS),
    "review workshop A": (Phase.RESULTS, review_a, LEADERS),
    "follow up a need of A": (Phase.CLOSED, follow_up_a, LEADERS),
    "plan trying a practice in A": (Phase.CLOSED, plan_trying_a_practice_in_a, LEADERS),
    "edit and delete an action on A": (Phase.CLOSED, edit_and_delete_an_action_on_a, LEADERS),
    "tell how a practice an action of A tried went": (Phase.CLOSED, tell_how_a_practice_went_in_a, LEADERS),
    "hide a story told in A": (Phase.CLOSED, hide_a_story_told_in_a, FACILITATOR),
    "open A's check-in": (Phase.CLOSED, as_session(actions.open_checkin, lambda w: w.workshop_id), LEADERS),
    "archive A's practice in the library": (
        Phase.CLOSED,
        as_session(actions.archive_practice, lambda w: w.own_practice),
        LEADERS,
    ),
    "merge B's practice into A's": (
        Phase.CLOSED,
        as_session(actions.merge_practices, lambda w: w.library_practice, lambda w: w.own_practice),
        {"organisation"},
    ),
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_only_the_allowed_roles_may(name, db_path):
    phase, attempt, allowed = MATRIX[name]
    store = Store(db_path)
    try:
        world = build(store, phase)
        refused = [r for r in ROLES if r not in allowed]
        for role in refused:  # the refused first, so they meet the unchanged workshop
            before = store.version(world.workshop_id), store.workshop(world.workshop_id)
            try:
                attempt(world, world.roles[role])
            except CocreateError as refusal:
                assert refusal.message, f"{role}: {name} refused without a message"
            else:
                # A facilitator of B may of course move B's phase: the link names its own
                # workshop, so "success" must have left workshop A untouched.
                assert role == "other_facilitator", f"{role} was allowed to {name}"
            assert (store.version(world.workshop_id), store.workshop(world.workshop_id)) == before, (
                f"{role}: a refused '{name}' changed workshop A"
            )
        for role in sorted(allowed):
            attempt(world, world.roles[role])
    finally:
        store.close()


def test_the_matrix_covers_every_action():
    """A new action in workshop.actions must be added to MATRIX, or named here as a read or a
    step the matrix's attempts already take."""
    steps = {
        "find_workshop",
        "access_for",
        "reviewable_workshops",
        "featuring_workshops",  # what a session may feature into: its own rooms (feature_practice checks)
        "check_draft",
        "create_workshop",
        "join",
        "resume",
        "follow_ups",
        "update_follow_up",
        "create_follow_up",
        "set_phase",
        "facilitated_workshop",
        "presented_workshop",
        "open_as_facilitator",
        "open_as_organisation",
        "check_organisation_key",  # the key checks themselves, tried by test_operations
        "check_scraper",
    }
    in_matrix = {
        "share",
        "edit_statement",
        "withdraw_statement",
        "react",
        "propose",
        "edit_need",
        "withdraw_need",
        "back",
        "place_dot",
        "remove_dot",
        "rate",
        "edit_workshop",
        "advance_phase",
        "go_back",
        "close_workshop",
        "set_timer",
        "reveal_results",
        "hide_statement",
        "hide_need",
        "merge_needs",
        "merge_group",
        "unmerge_need",
        "remove_participant",
        "share_practice",
        "react_to_practice",
        "tell_story",
        "tell_story_of_action",
        "hide_story",
        "hide_practice",
        "feature_practice",
        "link_need_to_practice",
        "pause_projector",
        "darken_projector",
        "pause_schedule",
        "set_schedule",
        "set_webhook",
        "show_help_pairs",
        "cite_statement",
        "delete_follow_up",
        "open_checkin",
        "check_in",
        "save_as_template",
        "import_template",
        "add_workshop_to_review",
        "feature_from_template",
        "archive_practice",
        "merge_practices",
        "new_presenter_link",
    }
    public = {
        n
        for n, v in vars(actions).items()
        if callable(v) and not n.startswith("_") and getattr(v, "__module__", "") == "workshop.actions"
    }
    assert public - steps - in_matrix == set(), "add these actions to the access matrix"


# -- the pages, with each role's link in each page's query parameter ----------------------

PAGES = {  # page: (its link parameter, roles that see workshop A there)
    "pages/participate.py": ("t", PARTICIPANT),
    "pages/facilitate.py": ("s", FACILITATOR),
    "pages/present.py": ("p", {"presenter"}),
    "pages/review.py": ("s", LEADERS),
}
# Review's practice library is every workshop's, for every leader and facilitator: it names
# workshop A as where its practice came from, and where a story of it was told. A's own
# review shows A in the workshop choice and A's needs in its summary.
LIBRARY_NAMES_A = ("from “Workshop A”", "told in “Workshop A”")


@pytest.fixture
def page_world(tmp_path, monkeypatch):
    db = tmp_path / "pages.duckdb"
    monkeypatch.setenv("COCREATE_DB", str(db))
    monkeypatch.setenv("COCREATE_ADMIN_KEY", ORGANISATION_KEY)
    from workshop.database import open_database

    return build(open_database(str(db)).store, Phase.VOTE)


def app_view(data: dict) -> str:
    """What the participant's app, drawn with `data`, is answered when it asks for its view
    with the link it was given ("" for another component)."""
    if "urls" not in data:
        return ""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    import web

    reply = TestClient(Starlette(routes=web.routes)).get(
        "/" + data["urls"]["view"], headers={data["header"]: data["token"]}
    )
    return reply.text


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_shows_workshop_a_only_to_its_roles(path, page_world):
    parameter, allowed = PAGES[path]
    for role in ROLES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.run()
        at.switch_page(path)
        at.query_params[parameter] = page_world.roles[role].link
        at.run()
        assert not at.exception, f"{role} on {path}: {at.exception}"
        html = [e.proto.body for e in at.get("html")]
        html += [str(o) for box in at.selectbox for o in box.options]
        html += [d.value.to_csv() for d in at.dataframe]
        html += [e.proto.json for e in at.get("bidi_component")]  # what the page's components draw
        html += [app_view(json.loads(e.proto.json)) for e in at.get("bidi_component")]
        seen = "\n".join(
            [e.value for e in at.markdown]
            + [e.value for e in at.title]
            + [e.value for e in at.text]
            + [e.value for e in at.caption]
            + [str(m.value) for m in at.metric]
            + html
        )
        for named in LIBRARY_NAMES_A:
            seen = seen.replace(named, "")
        shows_a = "Workshop A" in seen or "What Q needs" in seen
        if role in allowed:
            assert shows_a, f"{role} should see workshop A on {path}"
        else:
            assert not shows_a, f"{role} sees workshop A on {path}"
            assert "Workshop B" not in seen or role in {"other_participant", "other_facilitator"}
            assert "What P said" not in seen and "What Q needs" not in seen
