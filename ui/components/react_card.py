"""Others' statements one at a time in the Share phase: agree, disagree or pass, answered by
the card's own request (`POST api/react`, whose answer is the next card), not a page run."""

from __future__ import annotations

from ui.components import component, plural, requesting
from web import paths
from workshop.i18n import N_, _
from workshop.model import Reaction

KEY = "react_card"
LABELS = {Reaction.AGREE: N_("👍 Agree"), Reaction.DISAGREE: N_("👎 Disagree"), Reaction.PASS: N_("Pass")}
_component = component(KEY, js=("cards.js", "react_card.js"), css=("cards.css",))


def draw(shown: dict, token: str) -> None:
    """Draw `shown` (views.next_card) and answer it with the participant's `token`."""
    data = requesting(
        paths.REACT,
        token,
        labels=[[kind.value, _(label)] for kind, label in LABELS.items()],
        text={
            "all_answered": _("You have answered every statement so far. New ones will appear here."),
            "look": _("Look for new statements"),
            "to_answer": _("A statement to answer"),
            **plural("waiting", "{n} more waiting for your view.", "{n} more waiting for your view."),
            "last_one": _("The last one for now."),
        },
        **shown,
    )
    _component(key=KEY, data=data)
