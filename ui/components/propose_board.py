"""The Propose phase's form and the person's own proposals (Edit, Withdraw), written to by
the board's own request (`POST api/propose`), not a page run. While the person types, the
needs of others most like it are offered with "Me too" (`POST api/similar`, `POST api/back`),
and the practices the room sees that speak of it, which the new need may point to."""

from __future__ import annotations

from ui.components import component, requesting
from web import paths
from workshop import views
from workshop.model import Need, Workshop
from workshop.text import MAX_TEXT

KEY = "propose_board"
ASK = "A development need (a skill, practice or capability)"
_component = component(
    KEY, js=("cards.js", "propose_board.js"), css=("cards.css", "writing.css", "propose_board.css")
)


def draw(workshop: Workshop, mine: list[Need], token: str, words: list[dict]) -> None:
    """Draw the theme choice, the text box and `mine`, the person's proposals (oldest first);
    `words`: what people said (views.words_for_needs), to turn into a need."""
    data = requesting(
        paths.PROPOSE,
        token,
        max_chars=MAX_TEXT,
        ask=ASK,
        themes=[{"id": t.id, "title": t.title} for t in workshop.themes],
        mine=[views.own_need(n.id, n.theme_id, n.text, n.backers) for n in sorted(mine, key=lambda n: n.id)],
        similar=paths.relative(paths.SIMILAR),
        back=paths.relative(paths.BACK),
        words=words,
    )
    _component(key=KEY, data=data)
