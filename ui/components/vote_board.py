"""The Vote phase's dots: the dots left and a card per need. A dot is placed or taken back
by the board's own request (`POST api/dots`), not a page run; "Rate it" asks the page for
its rating dialog (trigger "rate")."""

from __future__ import annotations

from ui.components import component, plural, requesting
from web import paths
from workshop import views
from workshop.i18n import _
from workshop.model import VOTES_LOCKED, Need, Workshop

KEY = "vote_board"
_component = component(KEY, js=("cards.js", "vote_board.js"), css=("cards.css", "vote_board.css"))


def draw(
    workshop: Workshop, needs: list[Need], used: int, token: str, said: dict[int, list[str]] | None = None
) -> dict | None:
    """Draw the dots left and a card per need in `needs` (this person's dots laid over, and
    the words that led to each: views.cited_words). Returns the need the person asked to
    rate in this run (`{"need": id}`), or None."""
    said = said or {}
    data = requesting(
        paths.DOTS,
        token,
        budget=workshop.dot_budget,
        cap=workshop.per_need_cap,
        used=used,
        rules=views.vote_rules(workshop),
        locked=_(VOTES_LOCKED) if workshop.votes_locked else "",
        rate=workshop.rate_needs,
        needs=[views.vote_card(n, workshop, said.get(n.id)) for n in needs],
        text={
            "dots_left": _("Dots left"),
            "left_of": _("{left} of {budget}"),
            **plural("dots_total", "{n} dot in total", "{n} dots in total"),
            "your_dots": _("your dots: {dots}"),
            "none": _("none"),
            "all_placed": _("All your dots are placed: take one back elsewhere first"),
            "at_most": _("At most {cap} of your dots on one need"),
            "add": _("Add a dot"),
            "take_back": _("Take one back"),
            "rate_it": _("Rate it"),
        },
    )
    rate = _component(key=KEY, data=data, on_rate_change=lambda: None).rate
    return rate if isinstance(rate, dict) else None
