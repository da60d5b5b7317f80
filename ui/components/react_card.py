"""Others' statements one at a time in the Share phase: agree, disagree or pass, answered by
the card's own request (`POST api/react`, whose answer is the next card), not a page run."""

from __future__ import annotations

from ui.components import component, requesting
from web import paths
from workshop.model import Reaction

KEY = "react_card"
LABELS = {Reaction.AGREE: "👍 Agree", Reaction.DISAGREE: "👎 Disagree", Reaction.PASS: "Pass"}
_component = component(KEY, js=("cards.js", "react_card.js"), css=("cards.css",))


def draw(shown: dict, token: str) -> None:
    """Draw `shown` (views.next_card) and answer it with the participant's `token`."""
    data = requesting(
        paths.REACT,
        token,
        labels=[[kind.value, label] for kind, label in LABELS.items()],
        **shown,
    )
    _component(key=KEY, data=data)
