"""What the pages share: the store, the live cache, safe text, messages and links; and, in
ui.components, the browser components the participant and projector pages draw."""

from __future__ import annotations

import copy
import functools
import html
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import segno
import streamlit as st

from workshop import actions, i18n, settings
from workshop.database import Database, current_database
from workshop.errors import CocreateError, StoreUnavailable
from workshop.i18n import _
from workshop.live import LiveCache
from workshop.model import Workshop
from workshop.store import Store
from workshop.text import markdown_escape

T = TypeVar("T")


def store() -> Store:
    """The process's one Store; a page that cannot open it says why and stops."""
    return _open().store


def live() -> LiveCache:
    """The process's LiveCache: values computed once per data version for every screen."""
    return _open().live


def _open() -> Database:
    try:
        return current_database()
    except StoreUnavailable as exc:
        st.error(exc.message)
        st.stop()


# The app's pages as its first page run made them (page runs that start together may each
# make them: the first list kept is the one every run copies).
_pages: list[list[st.Page]] = []


def pages_made_once(make: Callable[[], list[st.Page]]) -> list[st.Page]:
    """The pages `make()` makes, made once per process (st.Page looks its file up on disk).
    Each page run gets copies of its own, as st.navigation marks on a page object that
    this run may call it."""
    if not _pages:
        _pages.append(make())
    return [copy.copy(page) for page in _pages[0]]


def current_workshop(workshop_id: int) -> Workshop:
    """The workshop as it is now (the store keeps workshop rows in memory between changes)."""
    workshop = store().workshop(workshop_id)
    if workshop is None:
        st.error(_("That workshop no longer exists."))
        st.stop()
    return workshop


def md(text: str) -> str:
    """Text for a Streamlit label that reads Markdown: every Markdown character escaped."""
    return markdown_escape(text)


def heading(text: str, level: int = 3) -> None:
    """A heading whose text is never read as Markdown or HTML."""
    st.html(f"<h{level} class='cc-heading'>{html.escape(text)}</h{level}>")


PAGE_CSS = (Path(__file__).with_name("page.css")).read_text()
PRESENT_CSS = (Path(__file__).with_name("present.css")).read_text()


def page_style(*, large: bool = False) -> None:
    """The app's CSS (ui/page.css); `large` adds the projector page's (ui/present.css)."""
    st.html(f"<style>{PAGE_CSS}{PRESENT_CSS if large else ''}</style>")


LANGUAGE_KEY = "_cc_language"


def use_language(workshop_language: str | None = None) -> str:
    """Put this page run in the person's language and return it: the link's `lang` when they
    chose one, else the workshop's (`workshop_language`), else their browser's. Widget
    callbacks, which run before the page, speak it too (see `act`)."""
    chosen = st.query_params.get("lang")
    if chosen in i18n.LANGUAGES:
        language = chosen
    elif workshop_language in i18n.LANGUAGES:
        language = workshop_language
    else:
        language = i18n.normalise(st.context.locale)
    i18n.activate(language)
    st.session_state[LANGUAGE_KEY] = language
    return language


def language_picker(key: str = "language_picker") -> None:
    """English or Suomi for this screen, kept in the link (`lang`) so a reload keeps it. It
    shows the language in force (the link, the workshop or the browser decided it)."""
    st.session_state[key] = i18n.current()
    st.segmented_control(
        "Language · Kieli",
        i18n.LANGUAGES,
        format_func=i18n.NAMES.get,
        key=key,
        on_change=_choose_language,
        args=(key,),
        label_visibility="collapsed",
    )


def _choose_language(key: str) -> None:
    chosen = st.session_state.get(key)
    if chosen in i18n.LANGUAGES:
        st.query_params["lang"] = chosen


def open_tabs(key: str, labels: list[str]) -> list[Any]:
    """Tabs of which only the open one needs to run (draw in those whose `.open` is true).
    The open tab is kept by its place, so it stays open when the screen's language changes
    its label; `st.session_state[key]` is the open tab's label."""
    place = f"{key}_place"
    if st.session_state.get(key) not in labels:
        st.session_state[key] = labels[min(st.session_state.get(place, 0), len(labels) - 1)]
    return list(st.tabs(labels, key=key, on_change=_remember_tab, args=(key, labels)))


def _remember_tab(key: str, labels: list[str]) -> None:
    if st.session_state.get(key) in labels:
        st.session_state[f"{key}_place"] = labels.index(st.session_state[key])


def session_language() -> str:
    """The language this screen's page last ran in (see use_language)."""
    return st.session_state.get(LANGUAGE_KEY, i18n.current())


def speaking(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` run in the screen's language. What Streamlit runs outside a page's own run, a
    widget's callback and a fragment's rerun, starts on a thread of its own where no language
    is in force; every callback and fragment of the pages is made with this (or `act`,
    `fragment`)."""

    @functools.wraps(fn)
    def in_language(*args: Any, **kwargs: Any) -> T:
        with i18n.using(session_language()):
            return fn(*args, **kwargs)

    return in_language


def fragment(*, run_every: float | None = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`st.fragment`, whose own reruns speak the screen's language as its page runs do."""

    def make(fn: Callable[..., None]) -> Callable[..., None]:
        return st.fragment(speaking(fn), run_every=run_every)

    return make


@speaking
def act(fn: Callable[..., Any], *args: Any, done: str | None = None, **kwargs: Any) -> bool:
    """Run an action from a widget callback; remember its confirmation or its error message
    (in the person's language: a callback runs before the page sets it). Returns whether it
    went through."""
    try:
        fn(*args, **kwargs)
    except CocreateError as exc:
        st.session_state["_cc_error"] = exc.message
        return False
    if done:
        confirm(done)
    return True


def shown_error(fn: Callable[..., T], *args: Any) -> T | None:
    """Call `fn`; if it raises a CocreateError, show its message on the page and return None."""
    try:
        return fn(*args)
    except CocreateError as exc:
        st.error(exc.message)
        return None


def confirm(message: str) -> None:
    """A confirmation shown once, on the next run of the page."""
    st.session_state["_cc_done"] = message


def show_messages() -> None:
    """Show what the last action said: an error stays on the page, a confirmation pops up."""
    error = st.session_state.pop("_cc_error", None)
    done = st.session_state.pop("_cc_done", None)
    if error:
        st.error(error, icon="⚠️")
    if done:
        st.toast(done, icon="✅")


def open_session(opener: Callable[[], str]) -> None:
    """Call `opener` (it checks a key and returns a session token); on success put the token
    in the page link, so a reload keeps the session, and redraw. On failure say why."""
    try:
        token = opener()
    except CocreateError as exc:
        st.error(exc.message)
        return
    replace_link(s=token)
    st.rerun()


def language_param() -> dict[str, str]:
    """The link's `lang`, for a link to another page, when the person chose a language."""
    language = st.query_params.get("lang")
    return {"lang": language} if language in i18n.LANGUAGES else {}


def replace_link(**params: str) -> None:
    """The page's link holds `params` and nothing else but the language the person chose."""
    language = st.query_params.get("lang")
    st.query_params.clear()
    st.query_params.update(params)
    if language:
        st.query_params["lang"] = language


def facilitator_key_form(prefix: str, code: str = "") -> None:
    """Workshop code and facilitator key; opens a facilitator session in the link."""
    with st.form(f"{prefix}_form"):
        typed_code = st.text_input(_("Workshop code"), value=code, max_chars=12, key=f"{prefix}_code")
        key = st.text_input(_("Facilitator key"), type="password", key=f"{prefix}_key")
        if st.form_submit_button(_("Open"), type="primary", key=f"{prefix}_submit"):
            open_session(
                lambda: actions.open_as_facilitator(store(), typed_code, key, source=guess_source())[0]
            )


def guess_source() -> str:
    """Who is trying keys, for slowing down guesses: the client's address (settings.client_address),
    never anything a reload would change."""
    return settings.client_address(
        st.context.ip_address, st.context.headers.get("X-Forwarded-For"), settings.trusted_proxies()
    )


def base_url() -> str:
    """The address participants use: COCREATE_PUBLIC_URL, else what the browser used."""
    configured = settings.get("COCREATE_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    url = st.context.url
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return "http://localhost:8501"


def join_url(code: str) -> str:
    return f"{base_url()}/participate?code={quote(code)}"


def presenter_url(token: str) -> str:
    return f"{base_url()}/present?p={quote(token)}"


@functools.lru_cache(maxsize=256)
def qr_data_uri(url: str) -> str:
    """A QR code of `url` as a PNG data URI: made once per address and sent inline (an
    image stored by Streamlit's media file manager was re-hashed on every redraw)."""
    return segno.make(url, error="m").png_data_uri(scale=10, border=2)


def organisation_key() -> str | None:
    """The organisation key from the environment, else from Streamlit secrets."""
    value = settings.get("COCREATE_ADMIN_KEY")
    if value:
        return value
    try:
        return str(st.secrets.get("COCREATE_ADMIN_KEY", "")).strip() or None
    except Exception:  # no secrets file: Streamlit raises its own error type
        return None


def remaining(ends_at: datetime | None, now: datetime) -> str | None:
    """A timer as people read it ("4:05 left", "Time is up"), or None without a timer."""
    if ends_at is None:
        return None
    seconds = int((ends_at - now).total_seconds())
    if seconds <= 0:
        return _("Time is up")
    return _("{time} left").format(time=f"{seconds // 60}:{seconds % 60:02d}")


def go_home_link() -> None:
    st.page_link("pages/home.py", label=_("Cocreate home"), icon="🏠")
