"""What the room chose, most dotted first, on a participant's screen in Results and Closed
(and on a closed workshop's link): one card per need, with this person's own dots. The
ranking is the same for everyone, so its JSON is made once per change of the workshop
(views.ranking_json) and each page run only adds the person's dots."""

from __future__ import annotations

from ui.components import common_text, component, plural
from workshop.i18n import _

KEY = "ranking"
_component = component(KEY, js=("cards.js", "ranking.js"), css=("cards.css",))


def draw(ranking_json: str, my_dots: dict[int, int]) -> None:
    """Draw the ranking (`views.ranking_json`) with `my_dots` (need id -> this person's dots)."""
    text = {
        **common_text(),
        "chose": _("What the room chose"),
        **plural("dots", "{n} dot", "{n} dots"),
        "of_yours": _("{mine} of yours"),
    }
    mine = {str(k): v for k, v in my_dots.items() if v}
    _component(key=KEY, data={"ranking": ranking_json, "mine": mine, "text": text})
