"""Others' needs in the Propose phase, each with "Me too": backed by the board's own
request (`POST api/back`), not a page run."""

from __future__ import annotations

from ui.components import component, requesting
from web import paths
from workshop import views
from workshop.i18n import _
from workshop.model import Need, Workshop

KEY = "back_board"
_component = component(KEY, js=("cards.js", "back_board.js"), css=("cards.css",))


def draw(workshop: Workshop, needs: list[Need], token: str, said: dict[int, list[str]] | None = None) -> None:
    """Draw one card per need in `needs` (this person's backing laid over, and the words that
    led to each: views.cited_words)."""
    said = said or {}
    cards = [views.backing_card(n, workshop, said.get(n.id)) for n in needs]
    _component(key=KEY, data=requesting(paths.BACK, token, needs=cards, text=backing_text()))


def backing_text() -> dict[str, str]:
    """The words of a "Me too" button (also on the propose board's offers)."""
    return {"backed": _("✓ You back this"), "me_too": _("Me too")}
