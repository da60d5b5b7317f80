"""Everything a leader can take away from a session: tables (CSV, Parquet, Excel) and
reports (a self-contained HTML page that prints well, and a Markdown summary).

Exports follow the same privacy rules as the screens: no key or token hashes, no names
from anonymous workshops, teams smaller than the threshold pooled as "other".

Participant text that a spreadsheet would read as a formula (it begins with `=`, `+`, `-`,
`@`, a tab or a carriage return) is neutralised in CSV and Excel files, as OWASP's
CSV-injection guidance says: in CSV it is prefixed with a single quote; in Excel it is
stored as a text cell with the quote prefix set, so the cell shows the exact text and is
never evaluated, not even after an edit. Numbers stay numbers. Parquet and the reports
keep the exact text (no spreadsheet reads them as formulas).
"""

from __future__ import annotations

import html
import numbers
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import plotly.io as pio
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workshop import analytics, i18n, logs, review
from workshop.charts import team_name
from workshop.i18n import N_, _, ngettext
from workshop.model import FollowUp
from workshop.store import Store
from workshop.text import markdown_text

FORMATS = ("csv", "parquet", "xlsx")
# The Excel workbook's sheets and column headers, in the language in force; CSV and Parquet
# files keep these names as they are (docs/exports.md: stable for scripts that read them).
SHEETS = {
    "workshops": N_("workshops"),
    "themes": N_("themes"),
    "participants": N_("participants"),
    "statements": N_("statements"),
    "reactions": N_("reactions"),
    "needs": N_("needs"),
    "backings": N_("backings"),
    "dots": N_("dots"),
    "ratings": N_("ratings"),
    "phase_changes": N_("phase_changes"),
    "phase_schedule": N_("phase_schedule"),
    "practice_stories": N_("practice_stories"),
    "events": N_("events"),
    "follow_ups": N_("follow_ups"),
    "follow_up_needs": N_("follow_up_needs"),
    "follow_up_practices": N_("follow_up_practices"),
    "follow_up_history": N_("follow_up_history"),
    "practices": N_("practices"),
    "practice_reactions": N_("practice_reactions"),
    "need_practices": N_("need_practices"),
    "dot_moves": N_("dot_moves"),
    "need_statements": N_("need_statements"),
    "help_pairs": N_("help_pairs"),
}
HEADERS = {
    "id": N_("id"),
    "code": N_("code"),
    "title": N_("title"),
    "strategy": N_("strategy"),
    "phase": N_("phase"),
    "dot_budget": N_("dot_budget"),
    "per_need_cap": N_("per_need_cap"),
    "anonymous": N_("anonymous"),
    "hide_results": N_("hide_results"),
    "revealed": N_("revealed"),
    "rate_needs": N_("rate_needs"),
    "created_at": N_("created_at"),
    "workshop_id": N_("workshop_id"),
    "position": N_("position"),
    "prompt": N_("prompt"),
    "name": N_("name"),
    "team": N_("team"),
    "joined_at": N_("joined_at"),
    "theme_id": N_("theme_id"),
    "participant_id": N_("participant_id"),
    "text": N_("text"),
    "hidden": N_("hidden"),
    "updated_at": N_("updated_at"),
    "statement_id": N_("statement_id"),
    "kind": N_("kind"),
    "reacted_at": N_("reacted_at"),
    "merged_into": N_("merged_into"),
    "need_id": N_("need_id"),
    "backed_at": N_("backed_at"),
    "slot": N_("slot"),
    "need_slot": N_("need_slot"),
    "placed_at": N_("placed_at"),
    "importance": N_("importance"),
    "capability": N_("capability"),
    "rated_at": N_("rated_at"),
    "from_phase": N_("from_phase"),
    "to_phase": N_("to_phase"),
    "changed_at": N_("changed_at"),
    "happened_at": N_("happened_at"),
    "actor": N_("actor"),
    "action": N_("action"),
    "subject_id": N_("subject_id"),
    "detail": N_("detail"),
    "owner": N_("owner"),
    "due_date": N_("due_date"),
    "status": N_("status"),
    "created_by": N_("created_by"),
    "done_at": N_("done_at"),
    "note": N_("note"),
    "outcome": N_("outcome"),
    "follow_up_id": N_("follow_up_id"),
    "practice_id": N_("practice_id"),
    "changed_by": N_("changed_by"),
    "workshop": N_("workshop"),
    "theme": N_("theme"),
    "description": N_("description"),
    "author": N_("author"),
    "featured": N_("featured"),
    "archived": N_("archived"),
    "do_too": N_("do_too"),
    "want_to_try": N_("want_to_try"),
    "linked_by": N_("linked_by"),
    "linked_at": N_("linked_at"),
    "at": N_("at"),
    "change": N_("change"),
    "about_id": N_("about_id"),
    "about": N_("about"),
    "learner": N_("learner"),
    "helper": N_("helper"),
    "how": N_("how"),
    "wanting": N_("wanting"),
}
NEED_COLUMNS = ["rank", "need", "theme", "dots", "backers", "importance", "capability", "gap", "consensus"]
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """Whether a spreadsheet could read `value` as a formula (a text beginning with a trigger)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every formula-like text prefixed by a single quote (numbers untouched)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: f"'{v}" if formula_like(v) else v)
    return frame


def export_tables(
    store: Store, workshop_id: int, fmt: str, directory: Path, min_team_size: int
) -> list[Path]:
    """Write every table of one workshop into `directory`: a file per table for csv and
    parquet, one workbook with a sheet per table for xlsx. Returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    workshop = store.existing_workshop(workshop_id)
    logs.event("export", workshop.code, format=fmt)
    if fmt == "parquet":
        return list(store.copy_session(workshop_id, directory, min_team_size, analytics.HELP_RULE).values())
    directory.mkdir(parents=True, exist_ok=True)
    frames = {
        name: _teams_named(frame)
        for name, frame in store.session_frames(workshop_id, min_team_size, analytics.HELP_RULE).items()
    }
    if fmt == "csv":
        written = []
        for name, frame in frames.items():
            path = directory / f"{name}.csv"
            neutralised(frame).to_csv(path, index=False)
            written.append(path)
        return written
    path = directory / f"cocreate-{workshop.code}.xlsx"
    workbook(
        review.session_summary(store, workshop_id, min_team_size),
        store.follow_ups([workshop_id]),
        frames,
        path,
    )
    return [path]


def workbook(
    summary: review.SessionSummary,
    follow_ups: list[FollowUp],
    raw: dict[str, pd.DataFrame],
    path: Path,
) -> None:
    """The Excel workbook a leader reads first: a Summary sheet (the headline numbers, the
    ranking with the matrix figures and consensus, how votes moved, the actions), then the
    detail as people read it (statements, practices, who can help whom, actions, moderation;
    names, not ids), then the raw tables (ids, as in the CSV and Parquet files). Sheet names
    and headers are in the language in force; numbers stay numbers."""
    book = openpyxl.Workbook()
    _summary_sheet(book.active, summary, follow_ups)
    said = summary.said
    teams = said if not summary.workshop.anonymous else said.drop(columns=["team"])
    detail = {
        N_("What people said"): teams.rename(columns={"text": "statement"}),
        N_("Practices shared"): summary.practices,
        N_("Stories of practice"): summary.stories,
        N_("Who can help whom"): summary.help_pairs,
        N_("Actions and outcomes"): _actions_frame(follow_ups),
        N_("Moderation record"): summary.moderation.assign(
            at=summary.moderation["at"].dt.strftime("%Y-%m-%d %H:%M")
        )
        if not summary.moderation.empty
        else summary.moderation,
    }
    for title, frame in detail.items():
        _table(book.create_sheet(_sheet_title(_(title))), 1, _teams_named(frame).rename(columns=_label))
    for name, frame in raw.items():
        sheet = book.create_sheet(_sheet_title(_(SHEETS.get(name, name))))
        _table(sheet, 1, frame.rename(columns=lambda c: _(HEADERS[c]) if c in HEADERS else c))
    titles = [s.title.casefold() for s in book.worksheets]
    if len(set(titles)) != len(titles):  # Excel's names are case-blind; openpyxl would rename a twin
        raise ValueError(f"two sheets of the workbook share a name: {titles}")
    for sheet in book.worksheets:
        _as_text(sheet)
    book.save(path)


def _sheet_title(title: str) -> str:
    return title[:31]


def _summary_sheet(sheet: Worksheet, summary: review.SessionSummary, follow_ups: list[FollowUp]) -> None:
    w = summary.workshop
    sheet.title = _sheet_title(_("Summary"))
    sheet["A1"] = w.title
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A2"] = _("Workshop {code}, {date}, phase {phase}.").format(
        code=w.code, date=i18n.format_date(w.created_at), phase=w.phase.label
    )
    row = 4
    numbers = (summary.joined, summary.contributed, summary.statements, summary.needs, summary.dots)
    for (label, _shown_as), value in zip(summary.headline(), (*numbers, summary.voted_share), strict=True):
        sheet.cell(row, 1, label)
        sheet.cell(row, 2, value)
        row += 1
    sheet.cell(row - 1, 2).number_format = "0%"
    row = _heading(sheet, row + 1, _("Development needs"))
    row = _table(sheet, row, summary.needs_table[[*NEED_COLUMNS, "what people said"]].rename(columns=_label))
    row = _heading(sheet, row + 1, _("How votes moved"))
    sheet.cell(row, 1, summary.moved_line)
    row = _heading(sheet, row + 2, _("Follow-up actions"))
    if follow_ups:
        _table(
            sheet,
            row,
            _actions_frame(follow_ups)[["action", "owner", "due", "status"]].rename(columns=_label),
        )
    else:
        sheet.cell(row, 1, _("No follow-up actions yet."))
    sheet.column_dimensions["A"].width = max(sheet.column_dimensions["A"].width or 0, 16)


def _actions_frame(follow_ups: list[FollowUp]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "action": f.title,
                "owner": f.owner,
                "due": f.due_date,
                "status": f.status.label,
                "note": f.note,
                "outcome": f.outcome,
            }
            for f in follow_ups
        ],
        columns=["action", "owner", "due", "status", "note", "outcome"],
    )


def _heading(sheet: Worksheet, row: int, text: str) -> int:
    sheet.cell(row, 1, text).font = Font(bold=True, size=13)
    return row + 1


_WIDEST = 60  # characters; longer text wraps


def _table(sheet: Worksheet, row: int, frame: pd.DataFrame) -> int:
    """`frame` written at `row` with a bold header, empty cells for what is not known, the
    columns as wide as their text (up to _WIDEST, then wrapped); the row after it."""
    for column, name in enumerate(frame.columns, start=1):
        sheet.cell(row, column, str(name)).font = Font(bold=True)
    if row == 1:
        sheet.freeze_panes = "A2"
    for offset, values in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row + offset, column, _cell(value))
    for column, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(column)
        longest = max(
            [len(str(name)), *(len(str(v)) for v in frame.iloc[:, column - 1] if _cell(v) is not None)]
        )
        width = min(longest, _WIDEST) + 2
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(dimension.width or 0, width)
        if longest > _WIDEST:
            for cells in sheet.iter_rows(
                min_row=row + 1, max_row=row + len(frame), min_col=column, max_col=column
            ):
                cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    return row + len(frame) + 1


def _cell(value: object) -> object:
    """A value as an Excel cell takes it: nothing for a missing value, plain Python numbers."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


LIBRARY_COLUMNS = [
    "id",
    "title",
    "description",
    "theme",
    "workshop",
    "author",
    "team",
    "shared_at",
    "do_too",
    "teams_doing",
    "want_to_try",
    "teams_wanting",
    "follow_ups",
    "adopted",
]


def library_csv(practices: list[dict[str, Any]]) -> bytes:
    """The practice library as found (views.library's rows) as a CSV file, formula-like
    text neutralised; names and teams only as the library shows them."""
    frame = pd.DataFrame(practices, columns=LIBRARY_COLUMNS)
    return neutralised(frame).to_csv(index=False).encode()


def _as_text(sheet: Worksheet) -> None:
    """Every formula-like cell of an openpyxl sheet as text, shown exactly, never evaluated
    (openpyxl takes any string that begins with "=" for a formula)."""
    for row in sheet.iter_rows():
        for cell in row:
            if formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _number(value: object) -> str:
    """A report's cell: a number as the language writes it (one or two decimals as it has,
    "2,5"), nothing for what is not known."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    if isinstance(value, float | np.floating):
        if float(value).is_integer():
            return i18n.format_number(int(value))
        return i18n.format_number(float(value), digits=1 if round(value, 1) == value else 2)
    return str(value)


# The reports' table headers (the summary's column names), in the language in force.
_REPORT_LABELS = {
    "rank": N_("rank"),
    "need": N_("need"),
    "theme": N_("theme"),
    "dots": N_("dots"),
    "backers": N_("backers"),
    "importance": N_("importance"),
    "capability": N_("capability"),
    "gap": N_("gap"),
    "consensus": N_("consensus"),
    "what people said": N_("what people said"),
    "practice": N_("practice"),
    "source": N_("source"),
    "do too": N_("do too"),
    "want to try": N_("want to try"),
    "team": N_("team"),
    "would learn": N_("would learn"),
    "because": N_("because"),
    "from": N_("from"),
    "action": N_("action"),
    "owner": N_("owner"),
    "due": N_("due"),
    "status": N_("status"),
}


_REPORT_LABELS.update(
    {
        "name": N_("name"),
        "text": N_("text"),
        "workshop": N_("workshop"),
        "workshops": N_("workshops"),
        "needs": N_("needs"),
        "code": N_("code"),
        "held_on": N_("held on"),
        "label": N_("group"),
        "item": N_("item"),
        "detail": N_("detail"),
        "at": N_("at"),
        "before": N_("before"),
        "after": N_("after"),
        "change": N_("change"),
        "people": N_("people"),
        "follow-up": N_("follow-up"),
        "description": N_("description"),
        "who": N_("who"),
        "statement": N_("statement"),
        "agree": N_("agree"),
        "disagree": N_("disagree"),
        "pass": N_("pass"),
        "note": N_("note"),
        "outcome": N_("outcome"),
        "tried": N_("tried"),
        "what happened": N_("what happened"),
        "recommends": N_("recommends"),
    }
)


def _label(column: str) -> str:
    """A column's name as people read it (every column shown has one: a KeyError here is a
    column that would have been shown in English)."""
    return _(_REPORT_LABELS[column])


# The columns whose values are teams: the pooled "other" and "(no team)" are named in the
# reader's language.
TEAM_COLUMNS = ("team", "learner", "helper")


def _teams_named(frame: pd.DataFrame) -> pd.DataFrame:
    named = {
        c: frame[c].map(lambda t: team_name(t) if isinstance(t, str) else t)
        for c in TEAM_COLUMNS
        if c in frame
    }
    return frame.assign(**named) if named else frame


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as a screen shows it, in the language in force: its column names, numbers as
    the language writes them ("3,5"; a column of whole numbers without decimals), nothing
    known as "–", pooled teams named."""
    frame = _teams_named(frame)
    return frame.assign(**{column: _shown(frame[column]) for column in frame.columns}).rename(columns=_label)


def _shown(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_integer_dtype(values):
        return values
    known = values.dropna()
    numbers_only = not known.empty and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in known
    )
    if not numbers_only:
        return values.map(lambda v: "–" if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    whole = all(float(v).is_integer() for v in known)
    return values.map(lambda v: "–" if pd.isna(v) else i18n.format_number(int(v) if whole else float(v)))


def _agree(count: int) -> str:
    return ngettext("{n} agrees", "{n} agree", count).format(n=count)


def markdown_report(summary: review.SessionSummary, follow_ups: list[FollowUp]) -> str:
    """The session summary as Markdown that reads as plain text too: participant text is
    escaped only where Markdown would read it as markup (text.markdown_text)."""
    w = summary.workshop
    md = markdown_text

    def row(values: list[str]) -> str:
        return "| " + " | ".join(md(v, inline=True) for v in values) + " |"

    lines = [
        f"# {md(w.title)}",
        "",
        md(
            _("Workshop {code}, {date}, phase {phase}.").format(
                code=w.code, date=i18n.format_date(w.created_at), phase=w.phase.label
            )
        ),
        "",
    ]
    headline = summary.headline()
    lines += [
        row([k for k, _v in headline]),
        "|" + "---|" * len(headline),
        row([v for _k, v in headline]),
        "",
    ]
    lines += ["## " + md(_("What the themes mean to people")), ""]
    for theme in summary.themes:
        lines += [f"### {md(theme.title)}", ""]
        if theme.terms:
            lines += [md(_("Key terms: {terms}").format(terms=", ".join(theme.terms))), ""]
        for text, team, agree in theme.top_statements:
            who = f" — {team_name(team)}" if team else ""
            lines += [f"> {md(f'{text}{who} ({_agree(agree)})')}", ""]
    lines += ["## " + md(_("Development needs")), ""]
    columns = [*NEED_COLUMNS, "what people said"]
    lines += [row([_label(c) for c in columns]), "|" + "---|" * len(columns)]
    for values in summary.needs_table[columns].itertuples(index=False):
        lines.append(row([_number(v) for v in values]))
    lines += ["", "## " + md(_("How votes moved")), "", md(summary.moved_line), ""]
    for title, frame in (
        (_("What already works (practices)"), summary.practices),
        (_("How practices went (stories)"), summary.stories),
        (_("Who can help whom"), summary.help_pairs),
    ):
        if frame.empty:
            continue
        lines += [
            f"## {md(title)}",
            "",
            row([_label(c) for c in frame.columns]),
            "|" + "---|" * len(frame.columns),
        ]
        lines += [row([_number(v) for v in values]) for values in _teams_named(frame).itertuples(index=False)]
        lines.append("")
    if follow_ups:
        lines += ["## " + md(_("Follow-up actions")), ""]
        for f in follow_ups:
            due = _(", due {date}").format(date=i18n.format_date(f.due_date)) if f.due_date else ""
            owner = _(", owner {owner}").format(owner=f.owner) if f.owner else ""
            lines.append(
                f"- **{md(f.title, inline=True)}** {md(f'({f.status.label}{owner}{due})', inline=True)}"
            )
        lines.append("")
    if not summary.moderation.empty:
        lines += ["## " + md(_("Moderation")), ""]
        for entry in summary.moderation.itertuples(index=False):
            detail = f" ({entry.detail})" if entry.detail else ""
            lines.append(
                "- " + md(f"{entry.at:%H:%M} {entry.who} {entry.action}: {entry.item or ''}{detail}")
            )
        lines.append("")
    return "\n".join(lines)


_REPORT_CSS = """
body { font-family: Segoe UI, Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; margin-top: 0; }
.numbers { display: flex; gap: 2.5rem; flex-wrap: wrap; margin: 1.5rem 0; }
.numbers div { font-size: 0.9rem; color: #555; } .numbers b { display: block; font-size: 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.95rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
blockquote { margin: 0.4rem 0 0.4rem 1rem; padding-left: 0.8rem; border-left: 3px solid #0072B2; }
td.story { color: #444; font-size: 0.9rem; padding-left: 1.5rem; }
.chart { page-break-inside: avoid; break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } .chart { width: 100%; } }
"""


def html_report(
    summary: review.SessionSummary,
    follow_ups: list[FollowUp],
    stories: dict[int, dict[str, Any]] | None = None,
) -> str:
    """A self-contained HTML page: the summary, tables and charts, Plotly's script inline,
    nothing loaded from the network; prints well to PDF from a browser. With `stories`
    (review.action_stories), each action says its timeline and where it came from."""
    stories = stories or {}
    w = summary.workshop
    e = html.escape
    parts = [
        f"<!doctype html><html lang='{i18n.current()}'><head><meta charset='utf-8'>",
        "<title>" + e(_("{title} — Cocreate summary").format(title=w.title)) + "</title>"
        f"<style>{_REPORT_CSS}</style></head><body>",
        f"<h1>{e(w.title)}</h1><p class='meta'>"
        + e(
            _("Workshop {code}, {date}, phase {phase}.").format(
                code=w.code, date=i18n.format_date(w.created_at), phase=w.phase.label
            )
        )
        + "</p>",
        "<div class='numbers'>"
        + "".join(f"<div><b>{e(v)}</b>{e(k)}</div>" for k, v in summary.headline())
        + "</div>",
        "<h2>" + e(_("What the themes mean to people")) + "</h2>",
    ]
    for theme in summary.themes:
        parts.append(f"<h3>{e(theme.title)}</h3>")
        if theme.terms:
            parts.append("<p>" + e(_("Key terms: {terms}").format(terms=", ".join(theme.terms))) + "</p>")
        for text, team, agree in theme.top_statements:
            who = f" — {e(team_name(team))}" if team else ""
            parts.append(f"<blockquote>{e(text)}{who} <small>({e(_agree(agree))})</small></blockquote>")
    parts.append("<h2>" + e(_("Development needs")) + "</h2>")
    columns = [*NEED_COLUMNS, "what people said"]
    parts.append("<table><tr>" + "".join(f"<th>{e(_label(c))}</th>" for c in columns) + "</tr>")
    for row in summary.needs_table[columns].itertuples(index=False):
        parts.append("<tr>" + "".join(f"<td>{e(_number(v))}</td>" for v in row) + "</tr>")
    parts.append("</table>")
    for title, frame in (
        (_("What already works (practices)"), summary.practices),
        (_("How practices went (stories)"), summary.stories),
        (_("Who can help whom"), summary.help_pairs),
    ):
        if frame.empty:
            continue
        parts.append(
            f"<h2>{e(title)}</h2><table><tr>"
            + "".join(f"<th>{e(_label(c))}</th>" for c in frame.columns)
            + "</tr>"
        )
        for row in _teams_named(frame).itertuples(index=False):
            parts.append("<tr>" + "".join(f"<td>{e(_number(v))}</td>" for v in row) + "</tr>")
        parts.append("</table>")
    if follow_ups:
        parts.append(
            "<h2>"
            + e(_("Follow-up actions"))
            + "</h2><table><tr>"
            + "".join(f"<th>{e(_label(c))}</th>" for c in ("action", "owner", "due", "status"))
            + "</tr>"
        )
        for f in follow_ups:
            due = i18n.format_date(f.due_date) if f.due_date else ""
            parts.append(
                f"<tr><td>{e(f.title)}</td><td>{e(f.owner or '')}</td><td>{due}</td><td>{e(f.status.label)}</td></tr>"
            )
            story = stories.get(f.id)
            if story or f.note or f.outcome:
                parts.append("<tr><td colspan='4' class='story'>")
                if story:
                    parts.append(
                        "<div>" + e(_("Timeline: {steps}").format(steps=story["timeline"])) + "</div>"
                    )
                for label, said in ((_("Note"), f.note), (_("Outcome"), f.outcome)):
                    if said:
                        parts.append(f"<div>{e(label)}: {e(said)}</div>")
                for step in (story or {}).get("trace", []):
                    numbers = " · ".join(filter(None, [step["workshop"], step["numbers"], step["teams"]]))
                    parts.append(
                        "<div>"
                        + e(_("From: {need}").format(need=step["need"]))
                        + f" <small>({e(numbers)})</small></div>"
                    )
                    parts += [f"<blockquote>{e(said)}</blockquote>" for said in step["said"]]
                parts.append("</td></tr>")
        parts.append("</table>")
    parts.append("<h2>" + e(_("How votes moved")) + f"</h2><p>{e(summary.moved_line)}</p>")
    figures = [summary.ranking, summary.matrix, summary.heatmap, summary.themes_by_team]
    if summary.moved["moved"]:
        figures.append(summary.moved_chart)
    for i, figure in enumerate(figures):
        chart = pio.to_html(
            figure, full_html=False, include_plotlyjs=(i == 0), config={"displayModeBar": False}
        )
        parts.append(f"<div class='chart'>{chart}</div>")
    if not summary.moderation.empty:
        parts.append("<h2>" + e(_("Moderation")) + "</h2><ul>")
        for row in summary.moderation.itertuples(index=False):
            detail = f" ({e(row.detail)})" if row.detail else ""
            parts.append(f"<li>{row.at:%H:%M} {e(row.who)} {e(row.action)}: {e(row.item or '')}{detail}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
