"""The languages Cocreate speaks: English (the source text) and Finnish.

Every string a person sees is written in English in the code and marked with `_()` (or
`ngettext` where a count decides the form); `pybabel extract` collects them into
workshop/locale/cocreate.pot and the Finnish catalog workshop/locale/fi/LC_MESSAGES/
cocreate.po holds their translations, compiled into cocreate.mo (`make catalogs`).

The language in force is a context variable: a page run sets it for its thread (ui.page_setup),
a web route for its request (from the Accept-Language its component sends). Text marked at
import time with `N_()` is translated where it is shown. Dates and numbers are formatted per
language with Babel.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import numbers
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_time as _format_time
from babel.numbers import format_decimal as _format_decimal
from babel.numbers import format_percent as _format_percent

DOMAIN = "cocreate"
LOCALE_DIR = Path(__file__).with_name("locale")
ENGLISH = "en"
FINNISH = "fi"
LANGUAGES = (ENGLISH, FINNISH)
NAMES = {ENGLISH: "English", FINNISH: "Suomi"}  # each language by its own name, as a picker shows it

_current: contextvars.ContextVar[str] = contextvars.ContextVar("cocreate_language", default=ENGLISH)


def normalise(language: str | None, default: str = ENGLISH) -> str:
    """One of LANGUAGES from a code such as "fi", "fi-FI" or "en_GB"; `default` for anything else."""
    if not language:
        return default
    code = language.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else default


def from_accept_language(header: str | None, default: str = ENGLISH) -> str:
    """The first of LANGUAGES an Accept-Language header asks for (by its order of preference)."""
    if not header:
        return default
    ranked = []
    for position, part in enumerate(header.split(",")):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, code))
    for _, _, code in sorted(ranked):
        language = normalise(code, default="")
        if language:
            return language
    return default


def current() -> str:
    """The language in force here (ENGLISH unless a page or route set another)."""
    return _current.get()


def activate(language: str) -> None:
    """Make `language` the one in force for the rest of this thread's page run or this request."""
    _current.set(normalise(language))


@contextlib.contextmanager
def using(language: str) -> Iterator[None]:
    """`language` in force inside the block, the previous one after it."""
    token = _current.set(normalise(language))
    try:
        yield
    finally:
        _current.reset(token)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of `language` (English is the source text: no catalog)."""
    if language == ENGLISH:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language])


def _(message: str) -> str:
    """`message` in the language in force."""
    return translations(_current.get()).gettext(message)


gettext = _


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that count `n` takes, in the language in force."""
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the language in force, where `context` tells two same English words apart."""
    return translations(_current.get()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`singular` or `plural` as `n` asks, in the language in force, where `context` tells
    two same English words apart."""
    return translations(_current.get()).npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for the catalog where it is defined; `_()` translates it where shown."""
    return message


def locale() -> Locale:
    return _locale(_current.get())


@cache
def _locale(language: str) -> Locale:
    return Locale.parse({ENGLISH: "en_GB", FINNISH: "fi_FI"}[language])


def format_number(value: float | int, digits: int = 1) -> str:
    """A number as the language writes it: "3.5" / "3,5" (a float with `digits` decimals,
    an int without)."""
    pattern = "#,##0" if isinstance(value, numbers.Integral) else "#,##0." + "0" * digits
    return _format_decimal(value, format=pattern, locale=locale())


def format_percent(share: float) -> str:
    """A share 0–1 as a whole percentage ("42%" / "42 %")."""
    return _format_percent(
        share, format="#,##0 %" if _current.get() == FINNISH else "#,##0%", locale=locale()
    )


def format_date(value: date | datetime) -> str:
    """A date as the language writes it: "2026-12-02" / "2.12.2026"."""
    return _format_date(
        value, format="yyyy-MM-dd" if _current.get() == ENGLISH else "d.M.yyyy", locale=locale()
    )


def format_datetime(value: datetime) -> str:
    """A date and time: "2026-12-02 14:05" / "2.12.2026 klo 14.05"."""
    if _current.get() == FINNISH:
        return _format_datetime(value, "d.M.yyyy 'klo' H.mm", locale=locale())
    return _format_datetime(value, "yyyy-MM-dd HH:mm", locale=locale())


def format_time(value: datetime) -> str:
    """A time of day: "14:05" / "14.05"."""
    return _format_time(value, "H.mm" if _current.get() == FINNISH else "HH:mm", locale=locale())


def format_weekday_time(value: datetime) -> str:
    """A time of the coming days: "Thu 11 Dec 16:00" / "to 11.12. klo 16.00"."""
    if _current.get() == FINNISH:
        return _format_datetime(value, "EEE d.M. 'klo' H.mm", locale=locale())
    return _format_datetime(value, "EEE d MMM HH:mm", locale=locale())
