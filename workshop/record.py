"""The moderation record in words: which events of the log are moderation, what each did,
who did it and what it did beyond its item, in the language in force (analytics.moderation_log
reads the events; Review and the reports show them)."""

from __future__ import annotations

from typing import Any

from workshop.i18n import N_, _, ngettext
from workshop.model import FollowUpStatus

MODERATION = (
    "hide_statement",
    "unhide_statement",
    "hide_need",
    "unhide_need",
    "hide_practice",
    "unhide_practice",
    "merge_needs",
    "unmerge_need",
    "merge_practice",
    "remove_participant",
    "archive_practice",
    "unarchive_practice",
    "delete_follow_up",
    "hide_story",
    "unhide_story",
)
DONE = {  # what each moderation event says was done, in words
    "hide_statement": N_("hid a statement"),
    "unhide_statement": N_("showed a statement again"),
    "hide_need": N_("hid a need"),
    "unhide_need": N_("showed a need again"),
    "hide_practice": N_("hid a practice"),
    "unhide_practice": N_("showed a practice again"),
    "merge_needs": N_("merged a need into another"),
    "unmerge_need": N_("undid the merge of a need"),
    "merge_practice": N_("merged a practice into another"),
    "remove_participant": N_("took a person out of the workshop"),
    "archive_practice": N_("archived a practice in the library"),
    "unarchive_practice": N_("brought a practice back to the library"),
    "delete_follow_up": N_("deleted a follow-up action"),
    "hide_story": N_("hid a story of how a practice went"),
    "unhide_story": N_("showed a story of how a practice went again"),
}
WHO = {"facilitator": N_("the facilitator"), "organisation": N_("the organisation's key")}


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


def detail(action: str, detail: dict[str, Any], other: str | None) -> str:
    """What a moderation did beyond its item, in words: into what, out of what, what it took back."""
    if action == "merge_needs" or action == "merge_practice":
        return _("into “{item}”").format(item=text_of(other))
    if action == "unmerge_need":
        return _("out of “{item}”").format(item=text_of(other))
    if action == "hide_need" and detail.get("dots_returned"):
        n = int(detail["dots_returned"])
        return ngettext("{n} dot went back to its owner", "{n} dots went back to their owners", n).format(n=n)
    if action == "remove_participant":
        counted = (
            (
                "statements",
                ngettext("{n} statement hidden", "{n} statements hidden", detail.get("statements", 0)),
            ),
            ("needs", ngettext("{n} need hidden", "{n} needs hidden", detail.get("needs", 0))),
            (
                "practices",
                ngettext("{n} practice hidden", "{n} practices hidden", detail.get("practices", 0)),
            ),
            (
                "stories",
                ngettext("{n} story hidden", "{n} stories hidden", detail.get("stories", 0)),
            ),
            ("dots", ngettext("{n} dot taken back", "{n} dots taken back", detail.get("dots", 0))),
        )
        return ", ".join(text.format(n=detail[key]) for key, text in counted if detail.get(key))
    if action == "delete_follow_up" and detail.get("status") in {status.value for status in FollowUpStatus}:
        return _("when {status}").format(status=FollowUpStatus(detail["status"]).label)
    return ""
