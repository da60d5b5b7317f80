"""Creating, editing and opening workshops: the workshop's draft checked, the facilitator's
and the organisation's keys (each wrong one slowed down), the sessions and links they open."""

from __future__ import annotations

from datetime import timedelta

from workshop import i18n, logs, schedule, security, settings, timezones
from workshop.errors import (
    AccessDenied,
    InvalidLink,
    InvalidSetting,
    TooManyGuesses,
    WorkshopNotFound,
    WrongPhase,
)
from workshop.i18n import _
from workshop.model import (
    DEFAULT_PROMPT,
    Access,
    Created,
    Phase,
    Schedule,
    ThemeDraft,
    Workshop,
    WorkshopDraft,
)
from workshop.store import Store
from workshop.text import MAX_NAME, clean_label, clean_text, normalise_code

MAX_THEMES = 8
MAX_TEAMS = 40
MAX_TITLE = 120
MAX_STRATEGY = 4000
SESSION_LIFETIME = timedelta(days=7)
MAX_TIMER_MINUTES = 180


def check_draft(draft: WorkshopDraft) -> WorkshopDraft:
    """Return the draft with its texts cleaned, or raise InvalidText / InvalidSetting."""
    themes = tuple(
        ThemeDraft(
            title=clean_text(t.title, what=_("The title of theme {i}").format(i=i), limit=MAX_TITLE),
            prompt=clean_text(
                t.prompt or DEFAULT_PROMPT, what=_("The prompt of theme {i}").format(i=i), limit=300
            ),
        )
        for i, t in enumerate(draft.themes, start=1)
    )
    if not 1 <= len(themes) <= MAX_THEMES:
        raise InvalidSetting(
            _(
                "A workshop has 1 to {MAX_THEMES} strategy themes; this one has {n_themes}. Add or remove themes."
            ).format(MAX_THEMES=MAX_THEMES, n_themes=len(themes))
        )
    if draft.language not in i18n.LANGUAGES:
        raise InvalidSetting(
            _("A workshop speaks English (en) or Finnish (fi), not “{language}”.").format(
                language=draft.language
            )
        )
    if not 1 <= draft.dot_budget <= 20:
        raise InvalidSetting(_("The dot budget must be between 1 and 20 dots per participant."))
    if not 1 <= draft.per_need_cap <= draft.dot_budget:
        raise InvalidSetting(
            _("The most dots on one need must be between 1 and the dot budget ({dot_budget}).").format(
                dot_budget=draft.dot_budget
            )
        )
    teams: list[str] = []
    for i, typed in enumerate(draft.teams, start=1):
        team = clean_label(typed, what=_("Team {i}").format(i=i), limit=MAX_NAME)
        if team is not None and team.lower() not in {t.lower() for t in teams}:
            teams.append(team)
    if len(teams) > MAX_TEAMS:
        raise InvalidSetting(
            _("A workshop lists at most {MAX_TEAMS} teams; this one has {n_teams}.").format(
                MAX_TEAMS=MAX_TEAMS, n_teams=len(teams)
            )
        )
    return WorkshopDraft(
        title=clean_text(draft.title, what=_("The workshop title"), limit=MAX_TITLE),
        strategy=clean_text(draft.strategy, what=_("The strategy text"), limit=MAX_STRATEGY),
        themes=themes,
        dot_budget=draft.dot_budget,
        per_need_cap=draft.per_need_cap,
        anonymous=draft.anonymous,
        hide_results=draft.hide_results,
        rate_needs=draft.rate_needs,
        teams=tuple(teams),
        projector_dark=draft.projector_dark,
        lock_after_reveal=draft.lock_after_reveal,
        ask_practices=draft.ask_practices,
        show_help_pairs=draft.show_help_pairs,
        language=draft.language,
        self_paced=draft.self_paced,
        time_zone=draft.time_zone,
        schedule=_checked_schedule(draft.self_paced, draft.time_zone, draft.schedule),
    )


def _checked_schedule(self_paced: bool, time_zone: str, opens: Schedule) -> Schedule:
    """A self-paced workshop's schedule in phase order, each phase after the one before (a
    live workshop keeps the times it may have, unused); InvalidSetting otherwise."""
    if self_paced:
        return schedule.checked(opens, time_zone)
    timezones.zone(time_zone)
    return opens


def create_workshop(store: Store, draft: WorkshopDraft) -> Created:
    """Create a workshop in the lobby phase.

    Returns the workshop with its facilitator key and presenter token (shown once; only
    their hashes are stored) and a facilitator session token for the page link.
    Raises InvalidText or InvalidSetting.
    """
    draft = check_draft(draft)
    key, presenter, session = security.new_key(), security.new_token(), security.new_token()
    workshop = store.create_workshop(
        draft,
        new_code=security.new_join_code,
        key_hash=security.hash_key(key),
        presenter_token_hash=security.hash_token(presenter),
        session_token_hash=security.hash_token(session),
    )
    return Created(workshop, key, presenter, session)


def edit_workshop(store: Store, access: Access, draft: WorkshopDraft) -> Workshop:
    """Change the title, strategy, themes and settings while the room is still in the Lobby.

    Raises WrongPhase after the Lobby, InvalidText / InvalidSetting for a bad draft, and
    InvalidSetting when a theme to be removed already holds contributions.
    """
    workshop = facilitated_workshop(store, access)
    if workshop.phase is not Phase.LOBBY:
        raise WrongPhase(
            _(
                "The workshop can be edited only in the Lobby, before the room starts. Go back to the Lobby first."
            )
        )
    in_use = store.update_workshop(workshop.id, check_draft(draft))
    if in_use:
        raise InvalidSetting(
            _(
                'The theme "{value}" already has statements or needs, so it cannot be removed. Keep it, or hide its items in Moderation.'
            ).format(value=in_use[0])
        )
    return store.existing_workshop(workshop.id)


def find_workshop(store: Store, code: str) -> Workshop:
    """The workshop with this join code (typed in any case, with or without spaces)."""
    normal = normalise_code(code)
    workshop = store.workshop_by_code(normal) if len(normal) == security.CODE_LENGTH else None
    if workshop is None:
        raise WorkshopNotFound.for_code(normal[:12])
    return workshop


ORGANISATION = "organisation"
KEY_GUESSES = security.GuessLimiter()


def _throttled(target: str, source: str | None, limiter: security.GuessLimiter, capped: bool = True) -> None:
    waiting = limiter.wait(target, source or "", capped) if source else 0
    if waiting > 0:
        seconds = int(waiting) + 1
        raise TooManyGuesses(
            _("Too many wrong keys. Wait {value} seconds, then try again.").format(value=seconds), seconds
        )


def open_as_facilitator(
    store: Store,
    code: str,
    key: str,
    *,
    source: str | None = None,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> tuple[str, Workshop]:
    """Check a facilitator key; return a session token for the link and the workshop.

    `source` (the client's address, see ui.guess_source) has its wrong keys for this
    workshop counted: after a few, each try of that client waits longer
    (security.GuessLimiter); other clients, the facilitator among them, are not slowed.
    Raises WorkshopNotFound or AccessDenied.
    """
    workshop = _facilitator_key_checked(store, code, key, source, limiter)
    token = security.new_token()
    store.add_session(security.hash_token(token), "facilitator", workshop.id)
    return token, workshop


def _facilitator_key_checked(
    store: Store, code: str, key: str, source: str | None, limiter: security.GuessLimiter
) -> Workshop:
    """The workshop with this code when `key` is its facilitator key; wrong keys counted and
    slowed down per client and workshop (security.GuessLimiter). Raises WorkshopNotFound or
    AccessDenied."""
    workshop = find_workshop(store, code)
    target = f"workshop:{workshop.code}"
    # Each client's own wrong keys only: a facilitator key has 124 random bits, and a cap
    # across clients would only let a dozen guessers lock its facilitator out.
    _throttled(target, source, limiter, capped=False)
    stored = store.facilitator_key_hash(workshop.id)
    right = bool(key and stored and security.key_matches(key, stored))
    if source:
        limiter.checked(target, source, right)
    if not right:
        logs.event("sign_in_failed", workshop.code, role="facilitator", client=source or "-")
        raise AccessDenied(
            _(
                "That is not the facilitator key of workshop {code}. Check the key you were shown when the workshop was created."
            ).format(code=workshop.code)
        )
    return workshop


def open_as_organisation(
    store: Store,
    key: str,
    organisation_key: str | None,
    *,
    source: str | None = None,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> str:
    """Check the organisation key (from the environment or secrets); return a session token.

    Raises AccessDenied, also when no organisation key is configured; wrong keys from one
    `source` are slowed down as for facilitator keys.
    """
    check_organisation_key(key, organisation_key, source=source, limiter=limiter, via="review")
    token = security.new_token()
    store.add_session(security.hash_token(token), "organisation", None)
    return token


def check_organisation_key(
    key: str,
    organisation_key: str | None,
    *,
    source: str | None,
    limiter: security.GuessLimiter = KEY_GUESSES,
    via: str,
) -> None:
    """Check the organisation key, wherever it is given (`via`: review, metrics, backup), as
    every key is checked: wrong keys from one `source` (the client's address) wait longer and
    longer, the organisation key is checked at most 30 times a minute from everywhere
    together (security.GuessLimiter), and each wrong key is logged with its client.

    Raises AccessDenied (no organisation key configured, or a wrong one) or TooManyGuesses.
    """
    if not organisation_key:
        raise AccessDenied(
            _(
                "No organisation key is configured on this server (COCREATE_ADMIN_KEY). "
                "Open Review with the workshop code and its facilitator key instead."
            )
        )
    if settings.weak_secret("COCREATE_ADMIN_KEY", organisation_key):
        raise AccessDenied(
            _(
                "The organisation key configured on this server is too weak to open every workshop. "
                "Whoever runs this server must set a key of at least 24 random characters."
            )
        )
    _throttled(ORGANISATION, source, limiter)
    right = bool(key and security.secret_equals(key.strip(), organisation_key))
    if source:
        limiter.checked(ORGANISATION, source, right)
    if not right:
        logs.event("sign_in_failed", "-", role="organisation", via=via, client=source or "-")
        raise AccessDenied(_("That is not the organisation key. Check it with whoever runs this server."))


def check_scraper(
    sent: str,
    organisation_key: str | None,
    metrics_token: str | None,
    *,
    source: str,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> None:
    """Check what a Prometheus scraper sends for /metrics: the metrics token, else the
    organisation key. A wrong value counts as a wrong organisation key; the token is slowed
    down by its client's own wrong keys but never by the cap across clients, so people
    guessing the organisation key do not lock the scraper out. Raises AccessDenied or
    TooManyGuesses."""
    if metrics_token:
        _throttled(ORGANISATION, source, limiter, capped=False)
        if sent and security.secret_equals(sent, metrics_token):
            return
    check_organisation_key(sent, organisation_key, source=source, limiter=limiter, via="metrics")


def access_for(store: Store, session_token: str | None) -> Access:
    """What the session in a facilitator or review link may open; raises InvalidLink."""
    row = store.session(security.hash_token(session_token)) if session_token else None
    if row is None or store.now() - row.created_at > SESSION_LIFETIME:
        raise InvalidLink(
            _(
                "This link no longer opens the workshop (it is unknown or has expired). "
                "Enter the workshop code and key again."
            )
        )
    also = (
        store.session_workshops(security.hash_token(session_token))
        if row.role == "facilitator" and session_token
        else ()
    )
    return Access(row.role, row.workshop_id, also)


def add_workshop_to_review(
    store: Store,
    session_token: str,
    code: str,
    key: str,
    *,
    source: str | None = None,
    limiter: security.GuessLimiter = KEY_GUESSES,
) -> Workshop:
    """Let a facilitator session review one more workshop, whose key it gives (checked and
    throttled as at sign-in): the view across sessions then spans them without the
    organisation key. Raises InvalidLink, WorkshopNotFound or AccessDenied."""
    access = access_for(store, session_token)
    if access.role != "facilitator":
        raise InvalidSetting(_("The organisation key opens every workshop already."))
    workshop = _facilitator_key_checked(store, code, key, source, limiter)
    if not access.may_open(workshop.id):
        store.add_session_workshop(security.hash_token(session_token), workshop.id)
    return workshop


def facilitated_workshop(store: Store, access: Access, workshop_id: int | None = None) -> Workshop:
    """The workshop a facilitator session controls; raises AccessDenied for any other."""
    wid = access.workshop_id if workshop_id is None else workshop_id
    if access.role != "facilitator" or wid is None or wid != access.workshop_id:
        raise AccessDenied(_("This link does not open the facilitator controls of that workshop."))
    workshop = store.workshop(wid)
    if workshop is None:
        raise WorkshopNotFound(_("That workshop no longer exists."))
    return workshop


def reviewable_workshops(store: Store, access: Access) -> list[Workshop]:
    """Workshops the session may review: all for the organisation; for a facilitator its own
    and those it added with their keys."""
    if access.workshop_id is None:
        return store.all_workshops()
    found = (store.workshop(w) for w in (access.workshop_id, *access.also))
    return [w for w in found if w is not None]


def new_presenter_link(store: Store, access: Access) -> str:
    """Make a new presenter token for the facilitated workshop; the old link stops working."""
    workshop = facilitated_workshop(store, access)
    token = security.new_token()
    store.set_presenter_token(workshop.id, security.hash_token(token))
    return token


def presented_workshop(store: Store, presenter_token: str | None) -> Workshop:
    """The workshop a presenter link shows; raises InvalidLink."""
    workshop = (
        store.workshop_by_presenter_token(security.hash_token(presenter_token)) if presenter_token else None
    )
    if workshop is None:
        raise InvalidLink(
            _(
                "This presenter link is not valid (it may have been replaced). "
                "Open Facilitate and use 'Presenter link' to get the current one."
            )
        )
    return workshop
