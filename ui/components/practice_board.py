"""What already works: in the Share phase a form to share a practice (a short title and what
we do, how, what it changed, under a theme), and the practices of the room and those the
facilitator featured from earlier workshops, each with "We do this too" and "We'd like to
try this". Written to by the board's own request (`POST api/practices`), not a page run."""

from __future__ import annotations

from ui.components import component, plural, requesting
from web import paths
from workshop.actions import MAX_PRACTICE_DESCRIPTION, MAX_PRACTICE_TITLE
from workshop.i18n import _
from workshop.model import Phase, Workshop

KEY = "practice_board"
_component = component(
    KEY, js=("cards.js", "practice_board.js"), css=("cards.css", "writing.css", "practice_board.css")
)


def draw(workshop: Workshop, practices: list[dict], token: str) -> None:
    """Draw the form (in the Share phase, when the workshop asks for practices) and a card
    per practice in `practices` (views.practice_cards)."""
    _component(
        key=KEY,
        data=requesting(
            paths.PRACTICES,
            token,
            sharing=workshop.phase is Phase.SHARE and workshop.ask_practices,
            marking=workshop.phase is not Phase.CLOSED,
            may_name=not workshop.anonymous,
            themes=[{"id": t.id, "title": t.title} for t in workshop.themes],
            max_title=MAX_PRACTICE_TITLE,
            max_chars=MAX_PRACTICE_DESCRIPTION,
            practices=practices,
            text={
                "share_practice_group": _("Share a practice"),
                "theme": _("Theme"),
                "what_you_do": _("What you do, in a few words"),
                "how_you_do": _("How you do it, and what it changed"),
                "show_name": _("Show my name with it"),
                "share_practice": _("Share practice"),
                "you_shared": _("You shared this"),
                **plural("do_too_count", "{n} does this too", "{n} do this too"),
                **plural("want_count", "{n} would like to try it", "{n} would like to try it"),
                "do_too": _("We do this too"),
                "want": _("We'd like to try this"),
            },
        ),
    )
