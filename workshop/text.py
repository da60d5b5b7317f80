"""Cleaning and checking of text that people type."""

from __future__ import annotations

import re
import unicodedata

from workshop.errors import InvalidText
from workshop.i18n import _

MAX_TEXT = 500
MAX_NAME = 40

# Bidirectional overrides and isolates can make text read differently from what is stored.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def strip_controls(value: str, *, keep_newlines: bool) -> str:
    """The text in Unicode's composed form (NFC: an "ä" typed as "a" and a combining mark
    is stored as the one letter), without control characters and bidirectional overrides;
    tabs become spaces."""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = []
    for ch in value:
        if ch == "\n":
            kept.append("\n" if keep_newlines else " ")
        elif ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            continue
        else:
            kept.append(ch)
    return "".join(kept)


# What shows nothing by itself, by Unicode category: separators (spaces), controls, format
# characters (zero-width spaces and joiners, soft hyphens …), combining marks (they only
# change a letter before them), surrogates, private use and unassigned code points.
_UNSEEN = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "Cs", "Co", "Cn"})
# Letters and symbols that are drawn as nothing: the Hangul fillers and the Braille blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(value: str) -> bool:
    """Whether the text shows anything: a character that is neither a space, an invisible
    format character, a combining mark on its own, nor a blank letter (_UNSEEN, _BLANK_LETTERS)."""
    return any(unicodedata.category(ch) not in _UNSEEN and ch not in _BLANK_LETTERS for ch in value)


def clean_text(value: str | None, *, what: str = "Your text", limit: int = MAX_TEXT) -> str:
    """Return `value` trimmed and without control characters, or raise InvalidText.

    Markup is kept as typed: it is always shown as plain text, never rendered.
    """
    value = strip_controls(value or "", keep_newlines=True)
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    value = _BLANK_LINES.sub("\n\n", value).strip()
    if not visible(value):
        raise InvalidText(_("{what} is empty. Write something and send it again.").format(what=what))
    if len(value) > limit:
        raise InvalidText(
            _("{what} has {n_value} characters; the limit is {limit}. Shorten it and send it again.").format(
                what=what, n_value=len(value), limit=limit
            )
        )
    return value


def clean_optional(value: str | None, *, what: str, limit: int) -> str | None:
    """Clean an optional text of several lines (a note); empty becomes None."""
    value = strip_controls(value or "", keep_newlines=True)
    if not visible(value):
        return None
    return clean_text(value, what=what, limit=limit)


def clean_label(value: str | None, *, what: str, limit: int = MAX_NAME) -> str | None:
    """Clean an optional one-line label (a name or a team); empty becomes None."""
    value = _SPACES.sub(" ", strip_controls(value or "", keep_newlines=False)).strip()
    if not visible(value):
        return None
    if len(value) > limit:
        raise InvalidText(
            _("{what} has {n_value} characters; the limit is {limit}. Shorten it and try again.").format(
                what=what, n_value=len(value), limit=limit
            )
        )
    return value


def normalise_code(value: str | None) -> str:
    """A join code as typed ('k7p-2qx ') in the form it is stored ('K7P2QX')."""
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


# Markdown turns addresses into links by themselves ("https://…", "www.…", "name@host"), escaped
# or not; an invisible word joiner inside each of those marks keeps them text.
_AUTOLINKED = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\\?\.)|(?=@)")
WORD_JOINER = "\u2060"


def markdown_escape(text: str) -> str:
    """Text for a place that reads Markdown, on one line, with every Markdown character
    escaped and no address that Markdown would make a link of."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _AUTOLINKED.sub(WORD_JOINER, escaped)


# What Markdown reads as markup anywhere in a line: code, emphasis, links and images, raw HTML,
# strikethrough, GitHub's math and a table's cells. An underscore is emphasis only at a word's
# edge, an ampersand only where it begins an entity.
_MARKUP = re.compile(r"[\\`*\[\]<~$|]|(?<!\w)_|_(?!\w)|&(?=#?\w+;)")
# What Markdown reads as markup only where a block begins: a heading ("# "), a quote, a list
# item ("- ", "+ ", "1. ", "1) ") or a thematic break ("---"). Its first mark is escaped.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+](?=\s|$)|-(?=(?:\s*-){2,}\s*$)|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_text(text: str, *, inline: bool = False) -> str:
    """Text for a Markdown document, on one line, reading as typed: only what Markdown would
    take for markup is escaped (a report's "Cross-team stand-ups: 2 (of 5)." stays so), and
    no address becomes a link. The text begins a block (a heading's, a quote's or a list
    item's text) unless it is `inline` (in a table's cell, after other text)."""
    escaped = _MARKUP.sub(lambda m: "\\" + m.group(), " ".join(str(text).split()))
    if not inline:
        escaped = _BLOCK_START.sub(
            lambda m: m.group() + "\\" if m.group().isdigit() else "\\" + m.group(), escaped
        )
    return _AUTOLINKED.sub(WORD_JOINER, escaped)
