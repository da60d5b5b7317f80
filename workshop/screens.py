"""What the projector shows, assembled once per change of a workshop.

`present_screen` runs only the queries and builds only the figures that the current phase
shows, and leaves out everything that is hidden until the results are revealed. The
Present page caches its result by data version, so every open projector shares it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import plotly.graph_objects as go

from workshop import analytics, charts, settings
from workshop.i18n import _
from workshop.model import Phase, Workshop
from workshop.store import Store


@dataclass(frozen=True)
class Number:
    value: int
    label: str


@dataclass(frozen=True)
class PresentScreen:
    """Everything on the projector for one version of a workshop's data."""

    workshop: Workshop
    numbers: tuple[Number, ...]
    charts: tuple[tuple[str, go.Figure], ...] = ()  # (key, figure), in reading order
    terms: tuple[tuple[str, go.Figure], ...] = ()  # (theme, figure): shown in turn
    wall: tuple[tuple[str, str], ...] = ()  # (theme, text) of recent statements or needs, shown in turn
    pairs: tuple[tuple[str, str], ...] = ()  # (team, "what ← from whom"): who can help whom, in Results
    note: str | None = None  # a sentence in place of charts (e.g. results still hidden)
    terms_of: tuple | None = None  # the statements version the key terms were computed for
    terms_at: float = 0.0  # when they were computed (time.monotonic())
    terms_removal: int = -1  # the store's removal version then


# Seconds the key terms are kept while statements only come in: a room of hundreds sends
# several a second, and each computation is a TF-IDF over every statement, once per
# projector refresh. An edit, a withdrawal or a hidden statement recomputes them at once.
TERMS_EVERY = 5.0


def present_screen(
    store: Store, workshop_id: int, previous: PresentScreen | None = None, terms_every: float = TERMS_EVERY
) -> PresentScreen:
    """Assemble the projector screen for the workshop's current phase.

    With the `previous` screen, key terms are reused while no statement has changed
    (reactions, the most frequent change in Share, leave them as they are), and for
    `terms_every` seconds while statements were only added.
    """
    workshop = store.workshop(workshop_id)
    if workshop is None:
        raise KeyError(workshop_id)

    def query(fn, *args):
        return fn(store, workshop_id, *args)

    phase = workshop.phase
    counts = query(analytics.participation, phase)
    joined = Number(counts["joined"], _("joined"))
    if phase is Phase.LOBBY:
        return PresentScreen(workshop, (joined,))

    if phase is Phase.SHARE:
        per_theme = query(analytics.statements_per_theme)
        statements_version = query(analytics.statements_version)
        removal = store.removal_version(workshop_id)
        if (
            previous is not None
            and previous.terms
            and (
                previous.terms_of == statements_version
                or (previous.terms_removal == removal and time.monotonic() - previous.terms_at < terms_every)
            )
        ):
            terms_figures, terms_of, terms_at = previous.terms, previous.terms_of, previous.terms_at
        else:
            terms_of, terms_at = statements_version, time.monotonic()
            terms = query(analytics.key_terms)
            with_terms = set(terms["theme"])  # themes without statements are left out of the turn
            terms_figures = tuple(
                (t.title, charts.key_terms(terms, t.title)) for t in workshop.themes if t.title in with_terms
            )
        recent = query(analytics.recent_statements)
        return PresentScreen(
            workshop,
            (
                joined,
                Number(int(per_theme["statements"].sum()), _("statements")),
                Number(counts["contributed"], _("have shared")),
            ),
            charts=(
                ("per_theme", charts.statements_per_theme(per_theme)),
                ("agreement", charts.agreement(query(analytics.agreement))),
            ),
            terms=terms_figures,
            terms_of=terms_of,
            terms_at=terms_at,
            terms_removal=removal,
            wall=tuple(zip(recent["theme"], recent["text"], strict=True)),
        )

    if phase is Phase.PROPOSE:
        recent = query(analytics.recent_needs)
        total = query(analytics.visible_counts)["needs"]
        return PresentScreen(
            workshop,
            (
                joined,
                Number(total, _("needs proposed")),
                Number(counts["contributed"], _("have proposed or backed")),
            ),
            charts=(
                (
                    "activity",
                    charts.contributions_over_time(query(analytics.contributions_over_time)),
                ),
            ),
            wall=tuple(zip(recent["theme"], recent["text"], strict=True)),
        )

    cast = query(analytics.votes_cast)
    numbers = (joined, Number(cast["dots"], _("dots placed")), Number(cast["voters"], _("have voted")))
    if not workshop.counts_visible:
        return PresentScreen(
            workshop,
            numbers,
            note=_("The ranking appears when the facilitator reveals the results."),
        )

    help_pairs: tuple[tuple[str, str], ...] = ()
    by_team = query(analytics.support_by_team, settings.min_team_size())
    order = analytics.ranking_order(by_team)
    ranks = {need_id: rank for rank, need_id in enumerate(order, start=1)}
    shown: list[tuple[str, go.Figure]] = [
        ("ranking", charts.needs_by_team(by_team, joined=counts["joined"], order=order))
    ]
    if workshop.rate_needs:
        matrix = query(analytics.importance_capability)
        shown.append(("matrix", charts.importance_capability(matrix, ranks)))
    if phase is Phase.RESULTS:
        shown.append(("consensus", charts.consensus_scatter(analytics.consensus(by_team), ranks)))
        shown.append(("teams", charts.team_heatmap(by_team, order=order)))
        themes = query(analytics.theme_by_team, settings.min_team_size())
        shown.append(("themes", charts.theme_team_heatmap(themes)))
        moved = analytics.votes_moved(store, workshop_id)
        if moved["moved"] and not moved["shown_from_start"]:
            shown.append(("moved", charts.votes_moved(moved)))
        if workshop.show_help_pairs:
            pairs = analytics.who_can_help(store.help_pairs(workshop_id, settings.min_team_size()))
            help_pairs = tuple(
                (
                    _("{team} would learn").format(team=p["team"]),
                    _("{what} — from {teams}").format(what=p["would learn"], teams=p["from"]),
                )
                for p in pairs
            )
    if phase is Phase.CLOSED:
        shown.append(("activity", charts.contributions_over_time(query(analytics.contributions_over_time))))
    return PresentScreen(workshop, numbers, charts=tuple(shown), pairs=help_pairs)
