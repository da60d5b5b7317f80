"""The translation catalogs: every string people see is in the Finnish catalog, translated,
with the same placeholders, and the compiled catalog the app loads says the same."""

from __future__ import annotations

import gettext
import re
from datetime import date, datetime

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import ROOT
from workshop import i18n

LOCALE = ROOT / "workshop" / "locale"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "plural": (2, 3),
}
PLACEHOLDER = re.compile(r"(?<!%)\{[^{}]*\}")


def extracted() -> set[str | tuple[str, str]]:
    """Every message marked in the app's code, as `make catalogs` extracts it."""
    found = set()
    for folder in ("pages", "ui", "web", "workshop"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(_key(message, context))
    return found


def _key(message, context=None):
    """A message as these tests name it: its text, (singular, plural), or (context, text)."""
    if context:
        return (context, message)
    return message if isinstance(message, str) else tuple(message)


def finnish() -> dict:
    with open(LOCALE / "fi" / "LC_MESSAGES" / "cocreate.po", "rb") as po:
        catalog = read_po(po)
    return {_key(m.id, m.context): m for m in catalog if m.id}


def test_every_marked_string_has_a_finnish_translation():
    messages = finnish()
    missing = [m for m in extracted() if m not in messages]
    assert not missing, f"not in the Finnish catalog (run `make catalogs`): {missing[:10]}"
    untranslated = [
        key
        for key, m in messages.items()
        if m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert not untranslated, f"untranslated or fuzzy in the Finnish catalog: {untranslated[:10]}"


def test_the_catalog_holds_no_string_the_code_no_longer_marks():
    stale = set(finnish()) - extracted()
    assert not stale, (
        f"in the Finnish catalog, gone from the code (run `make catalogs`): {sorted(map(str, stale))[:10]}"
    )


def test_translations_keep_every_placeholder():
    for m in finnish().values():
        originals = [m.id] if isinstance(m.id, str) else list(m.id)
        translated = [m.string] if isinstance(m.string, str) else list(m.string)
        for original in originals:
            for text in translated:
                assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(original)), (original, text)


def test_the_compiled_catalog_says_what_the_po_file_says():
    with open(LOCALE / "fi" / "LC_MESSAGES" / "cocreate.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for key, m in finnish().items():
        if m.context and not isinstance(m.id, str):
            assert compiled.npgettext(m.context, m.id[0], m.id[1], 1) == m.string[0]
            assert compiled.npgettext(m.context, m.id[0], m.id[1], 5) == m.string[1]
        elif m.context:
            assert compiled.pgettext(m.context, m.id) == m.string
        elif isinstance(key, str):
            assert compiled.gettext(key) == m.string, f"compile the catalogs again (make catalogs): {key!r}"
        else:
            assert compiled.ngettext(key[0], key[1], 1) == m.string[0]
            assert compiled.ngettext(key[0], key[1], 5) == m.string[1]


def test_a_message_follows_the_language_in_force():
    with i18n.using("fi"):
        assert i18n._("Join the workshop") == "Liity työpajaan"
        assert i18n.ngettext("{n} dot", "{n} dots", 1).format(n=1) == "1 piste"
        assert i18n.ngettext("{n} dot", "{n} dots", 3).format(n=3) == "3 pistettä"
        assert i18n.npgettext("projector", "statement", "statements", 1) == "kommentti"
        assert i18n.npgettext("projector", "statement", "statements", 8) == "kommenttia"
    assert i18n._("Join the workshop") == "Join the workshop"


@pytest.mark.parametrize(
    ("language", "number", "day", "moment"),
    [
        ("en", "1,234.5", "2026-12-02", "2026-12-02 14:05"),
        ("fi", "1\u00a0234,5", "2.12.2026", "2.12.2026 klo 14.05"),
    ],
)
def test_numbers_and_dates_are_written_as_the_language_writes_them(language, number, day, moment):
    with i18n.using(language):
        assert i18n.format_number(1234.5) == number
        assert i18n.format_date(date(2026, 12, 2)) == day
        assert i18n.format_datetime(datetime(2026, 12, 2, 14, 5)) == moment


def test_a_language_is_read_from_what_a_browser_asks_for():
    assert i18n.from_accept_language("fi-FI,fi;q=0.9,en;q=0.8") == "fi"
    assert i18n.from_accept_language("de-DE,en;q=0.5,fi;q=0.9") == "fi"
    assert i18n.from_accept_language("de-DE") == "en"
    assert i18n.from_accept_language(None) == "en"


def test_no_message_is_marked_inside_an_f_string():
    """Babel does not read inside an f-string: a _() there never reaches the catalog."""
    import ast

    hidden = []
    for folder in ("pages", "ui", "web", "workshop"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for part in ast.walk(node):
                    if (
                        isinstance(part, ast.Call)
                        and isinstance(part.func, ast.Name)
                        and part.func.id in KEYWORDS
                    ):
                        hidden.append(f"{path.relative_to(ROOT)}:{part.lineno}")
    assert not hidden, f"mark these outside the f-string: {hidden}"
