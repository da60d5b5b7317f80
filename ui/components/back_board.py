"""Others' needs in the Propose phase, each with "Me too": backed by the board's own
request (`POST api/back`), not a page run."""

from __future__ import annotations

from ui.components import component, requesting
from web import paths
from workshop import views
from workshop.model import Need, Workshop

KEY = "back_board"
_component = component(KEY, js=("cards.js", "back_board.js"), css=("cards.css",))


def draw(workshop: Workshop, needs: list[Need], token: str) -> None:
    """Draw one card per need in `needs` (this person's backing laid over)."""
    _component(
        key=KEY, data=requesting(paths.BACK, token, needs=[views.backing_card(n, workshop) for n in needs])
    )
