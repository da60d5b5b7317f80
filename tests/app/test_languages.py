"""Every page, in every phase, in Finnish: nothing on it is a string the catalog would have
translated (the Finnish demo, so that what people wrote is Finnish too)."""

from __future__ import annotations

import html
import json
import os
import re
from functools import cache

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import REVIEW_TABS, ROUTES, component, page, run_page
from tests.conftest import ROOT
from workshop import demo
from workshop.model import Phase

PO = ROOT / "workshop" / "locale" / "fi" / "LC_MESSAGES" / "cocreate.po"
LABELLED = (
    "button",
    "text_input",
    "text_area",
    "number_input",
    "selectbox",
    "radio",
    "checkbox",
    "toggle",
    "date_input",
    "multiselect",
    "tabs",
    "expander",
    "metric",
    "download_button",
)
VALUED = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "code",
)


@cache
def english() -> list[tuple[re.Pattern, str]]:
    """Each English message whose Finnish differs, as a pattern of what it looks like shown
    (its placeholders filled by anything)."""
    return _patterns(finnish_side=False)


@cache
def finnish() -> list[tuple[re.Pattern, str]]:
    """Each Finnish translation that differs from its English, as a pattern of it shown."""
    return _patterns(finnish_side=True)


def _patterns(finnish_side: bool) -> list[tuple[re.Pattern, str]]:
    with open(PO, "rb") as po:
        catalog = read_po(po)
    patterns = []
    for m in catalog:
        if not m.id:
            continue
        originals = [m.id] if isinstance(m.id, str) else list(m.id)
        translated = [m.string] if isinstance(m.string, str) else list(m.string)
        shown, other = (translated, originals) if finnish_side else (originals, translated)
        for text in shown:
            if not text or text in other or len(text) < 4:
                continue
            parts = re.split(r"\{[^{}]*\}", text.strip())
            if sum(c.isalpha() for c in "".join(parts)) < 4:  # "{left}/{budget}" would match any "a/b"
                continue
            patterns.append((re.compile(".+?".join(re.escape(p) for p in parts)), text))
    return patterns


def shown(at: AppTest) -> list[str]:
    """Every string the page shows or hands its components to draw."""
    found: list[str] = []
    for kind in VALUED:
        found += [str(e.value) for e in at.get(kind)]
    for kind in LABELLED:
        for e in at.get(kind):
            found.append(str(getattr(e, "label", "")))
            found += [str(o) for o in getattr(e, "options", [])]
    for e in at.get("html"):
        body = re.sub(r"<style>.*?</style>", " ", e.proto.body, flags=re.S)  # the page's CSS is no text
        found.append(html.unescape(re.sub(r"<[^>]+>", " ", body)))
    for e in at.get("bidi_component"):
        data = json.loads(e.proto.json)
        found += [str(v) for v in data.get("text", {}).values()]
        if "words" in data:  # the participant's app: its words and what its view answers
            found += _strings(data["words"][data["language"]])
            if data["token"]:
                found += _strings(view_of(data, data["language"]))
        if "view" in data:  # the projector's screen
            found += _strings(json.loads(data["view"]))
        for need in data.get("needs", []):
            found += [str(need.get("theme", "")), str(need.get("rated") or "")]
    return found


def view_of(data: dict, language: str) -> dict:
    """What the participant's app asks on its link (`GET api/view`) in `language`."""
    reply = ROUTES.get(
        "/" + data["urls"]["view"], headers={data["header"]: data["token"], "Accept-Language": language}
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def _strings(value) -> list[str]:
    """The words of the projector's view: its texts, and its charts' titles, axes and notes."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        found = []
        for key, v in value.items():
            if key == "figure":
                found += _figure_texts(json.loads(v))
            elif key not in ("key", "phase", "code", "marks"):  # names the component reads, not words
                found += _strings(v)
        return found
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _figure_texts(figure: dict) -> list[str]:
    layout = figure.get("layout", {})
    found = [layout.get("title", {}).get("text", "")]
    found += [layout.get(axis, {}).get("title", {}).get("text", "") for axis in ("xaxis", "yaxis")]
    found += [a.get("text", "") for a in layout.get("annotations", [])]
    for trace in figure.get("data", []):
        found += [
            trace.get("name") or "",
            re.sub(r"%\{[^}]*\}|<[^>]+>", " ", trace.get("hovertemplate") or ""),
        ]
    return [f for f in found if f]


def untranslated(at: AppTest) -> list[str]:
    """What the page shows that is an English message of the catalog."""
    return _pieces_untranslated(shown(at), english())


@pytest.fixture(scope="module")
def rooms(tmp_path_factory):
    """A Finnish self-paced demo workshop left in each phase (its schedule, participation and
    chat on Facilitate too), in one database the pages open."""
    import os

    from workshop.database import open_database

    db = tmp_path_factory.mktemp("fi") / "cocreate.duckdb"
    previous = os.environ.get("COCREATE_DB")
    os.environ["COCREATE_DB"] = str(db)
    store = open_database(str(db)).store
    made = {
        phase: demo.create_demo(store, participants=6, until=phase, language="fi", self_paced=True)
        for phase in Phase
    }
    for room in made.values():  # each posts to a chat, one post of which the chat refused
        wid = room.created.workshop.id
        store.set_webhook(wid, "https://chat.example.org/hooks/abcd")
        store.queue_post(wid, "closing:test", "A reminder")
        (post_id, *_rest) = next(post for post in store.posts_due() if post[1] == wid)
        store.post_failed(post_id, "HTTP 500", None)
    yield made
    if previous is None:
        os.environ.pop("COCREATE_DB", None)
    else:
        os.environ["COCREATE_DB"] = previous


def every_page(made: demo.DemoResult, phase: Phase) -> dict[str, AppTest]:
    """Each page of a demo workshop left in `phase` as its people open it: a participant's,
    Facilitate, the projector, and each of Review's tabs once it has closed."""
    screens = {
        "participate": page("pages/participate.py", t=made.participants[0][1]),
        "facilitate": page("pages/facilitate.py", s=made.created.session_token),
        "present": page("pages/present.py", p=made.created.presenter_token),
    }
    if phase is Phase.CLOSED:
        for place in range(REVIEW_TABS):  # only the open tab runs: each opened by its place
            screens[f"review {place}"] = run_page(
                "pages/review.py", {"review_tab_place": place}, s=made.created.session_token
            )
    return screens


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_every_page_of_a_finnish_workshop_speaks_finnish(rooms, phase):
    for name, at in every_page(rooms[phase], phase).items():
        assert not at.exception, name
        assert shown(at), name
        assert not untranslated(at), (name, untranslated(at))


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("pages/home.py", {"lang": "fi"}),
        ("pages/facilitate.py", {"lang": "fi"}),
        ("pages/review.py", {"lang": "fi"}),
    ],
)
def test_the_ways_in_speak_finnish_when_chosen(rooms, path, query):
    at = page(path, **query)
    assert not at.exception
    assert not untranslated(at)


def test_the_join_screen_speaks_the_workshops_language(rooms):
    from ui.components import participant

    at = page("pages/participate.py", code=rooms[Phase.LOBBY].created.workshop.code)
    data = component(at, participant.KEY)
    assert data["language"] == "fi" and data["words"]["fi"]["join"] == "Liity työpajaan"
    assert not untranslated(at)


def test_a_participant_may_switch_their_own_screen_to_english(rooms):
    """The app opens in the room's language and holds English too: a switch asks the routes
    in English (the browser tests click it)."""
    from ui.components import participant

    made = rooms[Phase.VOTE]
    at = page("pages/participate.py", t=made.participants[0][1])
    data = component(at, participant.KEY)
    assert data["language"] == "fi"
    assert (data["words"]["fi"]["dots_left"], data["words"]["en"]["dots_left"]) == (
        "Pisteitä jäljellä",
        "Dots left",
    )
    finnish, english = view_of(data, "fi"), view_of(data, "en")
    assert finnish["room"]["workshop"]["label"] != english["room"]["workshop"]["label"] == "Vote"
    assert english["room"]["workshop"]["rules"].startswith("At most")


def _pieces_untranslated(texts: list[str], patterns: list[tuple[re.Pattern, str]]) -> list[str]:
    found = []
    for text in texts:
        plain = text.replace("\\", "")
        pieces = {plain.strip(), *(p.strip() for p in re.split(r" · |\n|\|", plain))}
        for pattern, original in patterns:
            if any(pattern.fullmatch(p) for p in pieces if p):
                found.append(original)
    return found


def test_every_export_of_a_finnish_workshop_speaks_finnish(rooms, tmp_path):
    """The workbook's sheets a leader reads, the Markdown and the HTML report, in Finnish."""
    import openpyxl

    from workshop import exports, i18n, review
    from workshop.database import open_database

    made = rooms[Phase.CLOSED]
    store = open_database(os.environ["COCREATE_DB"]).store
    wid = made.created.workshop.id
    with i18n.using("fi"):
        (xlsx,) = exports.export_tables(store, wid, "xlsx", tmp_path, 3)
        summary = review.session_summary(store, wid, 3)
        follow = store.follow_ups([wid])
        markdown = exports.markdown_report(summary, follow)
        report = exports.html_report(summary, follow, review.action_stories(store, follow, 3))
    book = openpyxl.load_workbook(xlsx)
    readable = book.sheetnames[: book.sheetnames.index("työpajat")]
    cells = [str(v) for name in readable for row in book[name].iter_rows(values_only=True) for v in row if v]
    assert cells and not _pieces_untranslated(cells, english()), _pieces_untranslated(cells, english())
    lines = markdown.splitlines()
    assert not _pieces_untranslated(lines, english()), _pieces_untranslated(lines, english())
    body = re.sub(r"<script.*?</script>|<style>.*?</style>", " ", report, flags=re.S)
    words = [html.unescape(t) for t in re.split(r"<[^>]+>", body) if t.strip()]
    assert not _pieces_untranslated(words, english()), _pieces_untranslated(words, english())


@pytest.fixture(scope="module")
def english_rooms(tmp_path_factory):
    """An English demo workshop left in each phase (the pages open the same database as
    `rooms`: the fixture adds its own workshops to it)."""
    from workshop.database import open_database

    store = open_database(os.environ["COCREATE_DB"]).store
    return {phase: demo.create_demo(store, participants=6, until=phase) for phase in Phase}


@pytest.mark.parametrize("phase", list(Phase), ids=lambda p: p.value)
def test_every_page_of_an_english_workshop_speaks_english(rooms, english_rooms, phase):
    for name, at in every_page(english_rooms[phase], phase).items():
        assert not at.exception, name
        found = _pieces_untranslated(shown(at), finnish())
        assert not found, (name, found)
