"""What leaders read after a workshop: the session summary, and insight across sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from workshop import analytics, charts, i18n, views
from workshop.i18n import _, ngettext
from workshop.model import FollowUp, FollowUpStatus, Workshop
from workshop.store import Store
from workshop.terms import STOP_WORDS, concepts

# Needs whose texts are at least this similar (cosine of TF-IDF vectors, averaged between
# groups) are one recurring need. Tuned on tests/unit/test_review.py's labelled set.
SIMILARITY = 0.25
# The concepts' share of that likeness beside the letters' and the words' (as two of four):
# a need and its translation have nothing else in common.
MEANING = 2**0.5


@dataclass(frozen=True)
class ThemeSummary:
    title: str
    terms: tuple[str, ...]
    top_statements: tuple[tuple[str, str | None, int], ...]  # (text, team or None, agree)


@dataclass(frozen=True)
class SessionSummary:
    workshop: Workshop
    joined: int
    contributed: int
    statements: int
    needs: int
    dots: int
    voters: int
    themes: tuple[ThemeSummary, ...]
    needs_table: pd.DataFrame  # rank, id, need, theme, dots, backers, importance, capability, gap, consensus,
    # what people said (the statements it cites)
    said: (
        pd.DataFrame
    )  # the statements: theme, text, team, agree, disagree, pass (analytics.statements_table)
    hidden_needs: pd.DataFrame  # need, theme
    moderation: pd.DataFrame  # at, action, item, detail
    ranking: go.Figure
    matrix: go.Figure
    heatmap: go.Figure
    themes_by_team: go.Figure  # what each team said and needed per theme
    moved: dict[str, Any]  # how dots moved after the reveal (analytics.votes_moved)
    moved_chart: go.Figure
    help_pairs: pd.DataFrame  # team, would learn, because, from (see analytics.who_can_help)
    practices: pd.DataFrame  # practice, theme, source, do too, want to try (shared here or featured)
    stories: pd.DataFrame  # practice, tried, what happened, recommends, who (stories of those practices)

    @property
    def moved_line(self) -> str:
        """How votes moved, in a sentence (the reports and Review)."""
        if self.moved["shown_from_start"]:
            return _("The vote counts were shown from the first dot: there was no reveal to measure.")
        if not self.moved["moved"] and not self.workshop.revealed:
            return _("The results have not been revealed.")
        count = self.moved["moved"]
        return ngettext(
            "{n} dot moved after the reveal, {toward} toward the needs leading at the reveal "
            "(placed on one of the first {leading}, or taken back from another).",
            "{n} dots moved after the reveal, {toward} toward the needs leading at the reveal "
            "(placed on one of the first {leading}, or taken back from another).",
            count,
        ).format(n=count, toward=self.moved["toward_leaders"], leading=analytics.LEADING)

    @property
    def voted_share(self) -> float:
        return self.voters / self.joined if self.joined else 0.0

    def headline(self) -> list[tuple[str, str]]:
        """The headline numbers as (label, value) pairs, as every summary shows them."""
        return [
            (_("Joined"), str(self.joined)),
            (_("Contributed"), str(self.contributed)),
            (_("Statements"), str(self.statements)),
            (_("Development needs"), str(self.needs)),
            (_("Dots placed"), str(self.dots)),
            (_("Voted"), i18n.format_percent(self.voted_share)),
        ]


def session_summary(store: Store, workshop_id: int, min_team_size: int) -> SessionSummary:
    """Everything the per-session summary shows; team breakdowns pool teams smaller than
    `min_team_size`, and statements are quoted with their team only in named workshops."""
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise KeyError(workshop_id)
    counts = analytics.summary(store, workshop_id)
    ranking = analytics.needs_ranking(store, workshop_id)
    by_team = analytics.support_by_team(store, workshop_id, min_team_size)
    matrix = analytics.importance_capability(store, workshop_id)
    consensus = (
        analytics.consensus(by_team).set_index("id")["consensus"] if not by_team.empty else pd.Series()
    )
    rated = matrix.set_index("id") if not matrix.empty else pd.DataFrame(columns=["importance", "capability"])
    table = pd.DataFrame(
        {
            "rank": range(1, len(ranking) + 1),
            "id": ranking["id"],
            "need": ranking["text"],
            "theme": ranking["theme"],
            "dots": ranking["dots"],
            "backers": ranking["backers"],
            "importance": ranking["id"].map(rated["importance"]).round(1),
            "capability": ranking["id"].map(rated["capability"]).round(1),
        }
    )
    table["gap"] = (table["importance"] - table["capability"]).round(1)
    table["consensus"] = ranking["id"].map(consensus).round(2)
    said = {n["id"]: [c["text"] for c in n["cites"]] for n in counts["needs"]}
    table["what people said"] = table["id"].map(lambda i: " / ".join(said.get(i, [])))
    ranks = dict(zip(table["id"], table["rank"], strict=True))

    terms = analytics.key_terms(store, workshop_id, top=6)
    statements = analytics.statements_table(store, workshop_id, min_team_size)
    themes = []
    for theme in workshop.themes:
        mine = statements[statements["theme"] == theme.title].sort_values(
            "agree", ascending=False, kind="stable"
        )
        quoted = tuple(
            (text, None if workshop.anonymous or pd.isna(team) else team, int(agree))
            for text, team, agree in mine.head(3)[["text", "team", "agree"]].itertuples(index=False)
        )
        themes.append(
            ThemeSummary(theme.title, tuple(terms.loc[terms["theme"] == theme.title, "term"]), quoted)
        )
    hidden = [n for n in counts["needs"] if n["hidden"]]
    moved = analytics.votes_moved(store, workshop_id)
    return SessionSummary(
        workshop=workshop,
        joined=counts["participants"],
        contributed=analytics.contributors(store, workshop_id),
        statements=counts["statements"],
        needs=counts["needs_count"],
        dots=counts["dots_total"],
        voters=counts["voters"],
        themes=tuple(themes),
        needs_table=table,
        said=statements,
        hidden_needs=pd.DataFrame(
            {"need": [n["text"] for n in hidden], "theme": [n["theme"] for n in hidden]}
        ),
        moderation=analytics.moderation_log(store, workshop_id),
        ranking=charts.needs_by_team(by_team, joined=counts["participants"], order=list(table["id"])),
        matrix=charts.importance_capability(matrix, ranks),
        heatmap=charts.team_heatmap(by_team, order=list(table["id"])),
        themes_by_team=charts.theme_team_heatmap(analytics.theme_by_team(store, workshop_id, min_team_size)),
        moved=moved,
        moved_chart=charts.votes_moved(moved),
        help_pairs=pd.DataFrame(
            analytics.who_can_help(store.help_pairs(workshop_id, min_team_size, analytics.HELP_RULE)),
            columns=analytics.HELP_COLUMNS,
        ),
        practices=practices_table(store, workshop, min_team_size),
        stories=stories_table(store, workshop),
    )


def practices_table(store: Store, workshop: Workshop, min_team_size: int) -> pd.DataFrame:
    """The practices the workshop's people saw (their own, then those featured from earlier
    workshops), with where each came from and its marks across workshops."""
    named: dict[int, frozenset[str]] = {}
    rows = []
    for p in store.practices(workshop.id):
        if p.workshop_id not in named:
            sizes = store.answering_team_sizes(p.workshop_id)
            named[p.workshop_id] = frozenset(t for t, n in sizes.items() if n >= min_team_size)
        source = views.practice_source(p, workshop, named[p.workshop_id])
        rows.append(
            {
                "practice": p.title,
                "description": p.description,
                "theme": p.theme,
                "source": source,
                "do too": p.do_too,
                "want to try": p.want_to_try,
            }
        )
    return pd.DataFrame(rows, columns=["practice", "description", "theme", "source", "do too", "want to try"])


STORY_COLUMNS = ["practice", "tried", "what happened", "recommends", "who"]


def stories_table(store: Store, workshop: Workshop) -> pd.DataFrame:
    """The shown stories of the practices the workshop's people saw: how each went for those
    who tried it, and who told it (a name only when they chose to show it in a named
    workshop; the workshop told in)."""
    practices = {p.id: p.title for p in store.practices(workshop.id)}
    rows = []
    for practice_id, told in store.stories(practices).items():
        for story in told:
            who = (
                [story["author"], story["workshop"]]
                if story["told_by"] == "participant"
                else [
                    _("an action's owner"),
                    story["workshop"],
                ]
            )
            rows.append(
                {
                    "practice": practices[practice_id],
                    "tried": story["tried"],
                    "what happened": story["happened"],
                    "recommends": _(views.RECOMMENDS[story["recommend"]]),
                    "who": " · ".join(part for part in who if part),
                }
            )
    return pd.DataFrame(rows, columns=STORY_COLUMNS)


def group_similar(texts: list[str], similarity: float = SIMILARITY) -> list[int]:
    """A group number for each text; texts about the same need share one.

    Character (3–5-gram, catches inflected forms), word (1–2-gram, stop words removed) and
    concept (terms.concepts: a Finnish need and an English one on the same subject share
    them) TF-IDF vectors are joined, and average-linkage clustering merges groups while
    their average cosine similarity is at least `similarity`.
    """
    if len(texts) < 2:
        return list(range(len(texts)))
    words = TfidfVectorizer(stop_words=sorted(STOP_WORDS), ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    meanings = TfidfVectorizer(analyzer=concepts, sublinear_tf=True)
    blocks = [chars.fit_transform(texts)]
    for vectorizer, weight in ((words, 1.0), (meanings, MEANING)):
        try:
            blocks.append(vectorizer.fit_transform(texts) * weight)
        except ValueError:  # only stop words
            blocks.append(sparse.csr_matrix((len(texts), 0)))
    vectors = normalize(sparse.hstack(blocks).tocsr())
    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - similarity
    )
    labels = clustering.fit_predict(vectors.toarray())
    # Number groups in order of first appearance, so the result is stable.
    order = {label: i for i, label in enumerate(dict.fromkeys(labels))}
    return [order[label] for label in labels]


def recurring_needs(store: Store, workshop_ids: list[int]) -> pd.DataFrame:
    """Needs of the selected workshops grouped by similar text: group, label (the most
    voted text of the group), workshops (how many workshops it came up in), id, text,
    workshop, code, held_on, dots, backers, dot_share. Recurring groups come first."""
    needs = analytics.needs_across(store, workshop_ids)
    if needs.empty:
        return needs.assign(group=[], label=[], workshops=[])
    needs = needs.assign(group=group_similar(needs["text"].tolist()))
    best = needs.sort_values(["dots", "backers"], ascending=False, kind="stable").drop_duplicates("group")
    needs["label"] = needs["group"].map(best.set_index("group")["text"])
    needs["workshops"] = needs["group"].map(needs.groupby("group")["workshop_id"].nunique())
    total = needs.groupby("group")["dots"].transform("sum")
    return (
        needs.assign(_total=total)
        .sort_values(
            ["workshops", "_total", "group", "held_on"], ascending=[False, False, True, True], kind="stable"
        )
        .drop(columns="_total")
        .reset_index(drop=True)
    )


def priorities_by_team(
    store: Store, recurring: pd.DataFrame, workshop_ids: list[int], min_team_size: int
) -> pd.DataFrame:
    """Share of each team's dots that went to each recurring need: label, team, dots, share."""
    by_team = analytics.dots_by_team_across(store, workshop_ids, min_team_size)
    if by_team.empty or recurring.empty:
        return pd.DataFrame(columns=["label", "team", "dots", "share"])
    merged = by_team.merge(recurring[["id", "label"]], left_on="need_id", right_on="id")
    grouped = merged.groupby(["label", "team"], as_index=False)["dots"].sum()
    grouped["share"] = grouped["dots"] / grouped.groupby("team")["dots"].transform("sum")
    return grouped.sort_values(["team", "share"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )


def recurring_groups(recurring: pd.DataFrame) -> pd.DataFrame:
    """The needs that recur (recurring_needs), one row per group: its label, in how many
    workshops, how many needs and how many dots in all."""
    return (
        recurring.groupby(["group", "label"], sort=False)
        .agg(workshops=("workshop_id", "nunique"), needs=("id", "count"), dots=("dots", "sum"))
        .reset_index()
        .drop(columns="group")
    )


def needs_and_follow_ups(needs_table: pd.DataFrame, follow_ups: list[FollowUp]) -> pd.DataFrame:
    """The session's needs (SessionSummary.needs_table) with the actions that answer each:
    a `follow-up` column, "Coaching academy (done); …" ("" for none)."""
    answered: dict[int, list[str]] = {}
    for follow_up in follow_ups:
        for need_id in follow_up.need_ids:
            answered.setdefault(need_id, []).append(f"{follow_up.title} ({follow_up.status.label})")
    return needs_table.assign(**{"follow-up": [("; ".join(answered.get(i, []))) for i in needs_table["id"]]})


def support_over_time(recurring: pd.DataFrame) -> pd.DataFrame:
    """For needs that recur, the share of each workshop's dots they received: label,
    held_on, workshop, dot_share."""
    if recurring.empty:
        return pd.DataFrame(columns=["label", "held_on", "workshop", "dot_share"])
    again = recurring[recurring["workshops"] > 1]
    return (
        again.groupby(["label", "held_on", "workshop"], as_index=False)["dot_share"]
        .sum()
        .sort_values(["label", "held_on"], kind="stable")
        .reset_index(drop=True)
    )


def timeline(history: list[tuple[str, datetime]]) -> str:
    """An action's statuses with their dates: "planned 2026-12-01 → done 2027-01-15"."""
    return " → ".join(f"{FollowUpStatus(status).label} {i18n.format_date(at)}" for status, at in history)


def trace(store: Store, follow_up: FollowUp, min_team_size: int) -> list[dict[str, Any]]:
    """Where an action came from, need by need: the need (its workshop, dots, backers, mean
    ratings), the teams that supported it (teams under `min_team_size` pooled as "other"),
    the statements it cites and the practices it points to; then each practice the action
    tries out, with the wish to try it."""
    traced = []
    by_workshop: dict[int, dict[str, Any]] = {}
    for need_id, (workshop_id, _text, _theme) in store.need_workshops(follow_up.need_ids).items():
        if workshop_id not in by_workshop:
            summary = analytics.summary(store, workshop_id)
            by_team = analytics.support_by_team(store, workshop_id, min_team_size)
            rated = analytics.importance_capability(store, workshop_id)
            by_workshop[workshop_id] = {
                "title": summary["title"],
                "needs": {n["id"]: n for n in summary["needs"]},
                "teams": by_team,
                "rated": rated.set_index("id") if not rated.empty else None,
                "practices": store.need_practices(workshop_id),
            }
        seen = by_workshop[workshop_id]
        need = seen["needs"].get(need_id)
        if need is None:  # merged into another: its own row went with it
            continue
        teams = seen["teams"][(seen["teams"]["id"] == need_id) & (seen["teams"]["supporters"] > 0)]
        rated = seen["rated"]
        ratings = (
            _("importance {importance}, capability {capability}").format(
                importance=i18n.format_number(rated.at[need_id, "importance"]),
                capability=i18n.format_number(rated.at[need_id, "capability"]),
            )
            if rated is not None and need_id in rated.index
            else _("not rated")
        )
        titles = store.practice_titles(seen["practices"].get(need_id, []))
        traced.append(
            {
                "need": need["text"],
                "workshop": seen["title"],
                "numbers": " · ".join(
                    [
                        views.plural(need["dots"], "dot"),
                        views.plural(need["backers"], "backer"),
                        ratings,
                    ]
                ),
                "teams": ", ".join(
                    f"{charts.team_name(t)} ({n})"
                    for t, n in zip(teams["team"], teams["supporters"], strict=True)
                ),
                "said": [c["text"] for c in need["cites"]],
                "practices": list(titles.values()),
            }
        )
    for practice_id, title in store.practice_titles(follow_up.practice_ids).items():
        wanting = sum(
            store.practice_interest([practice_id])[practice_id].get(w, 0) for w in follow_up.workshop_ids
        )
        traced.append(
            {
                "need": f"Trying “{title}”",
                "workshop": "",
                "numbers": f"{wanting} would like to try it",
                "teams": "",
                "said": [],
                "practices": [title],
            }
        )
    return traced


def action_stories(store: Store, follow_ups: list[FollowUp], min_team_size: int) -> dict[int, dict[str, Any]]:
    """For each action: its timeline (statuses with dates) and its trace (see trace)."""
    history = store.follow_up_history([f.id for f in follow_ups])
    return {
        f.id: {"timeline": timeline(history.get(f.id, [])), "trace": trace(store, f, min_team_size)}
        for f in follow_ups
    }
