"""Named errors of Cocreate. Each message is written for the person who will read it."""

from __future__ import annotations

from workshop.i18n import _


class CocreateError(Exception):
    """Base of every error a person using Cocreate may be shown."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidText(CocreateError):
    """Text that is empty, too long or otherwise not acceptable."""


class InvalidSetting(CocreateError):
    """A workshop setting outside its allowed range."""


class WorkshopNotFound(CocreateError):
    """No workshop answers to the code that was given."""

    @classmethod
    def for_code(cls, code: str) -> WorkshopNotFound:
        shown = code if code else _("(empty)")
        return cls(_("No workshop has the code {code}. Check the code on the projector.").format(code=shown))


class InvalidLink(CocreateError):
    """A participant, presenter or facilitator link whose token is unknown or tampered with."""


class AccessDenied(CocreateError):
    """A key that does not open what was asked."""


class TooManyGuesses(AccessDenied):
    """A key that is not checked now: its client (or, for the organisation key, everyone)
    tried too many wrong keys; `wait` says in how many seconds it may try again."""

    def __init__(self, message: str, wait: int) -> None:
        super().__init__(message)
        self.wait = wait


class QuotaReached(CocreateError):
    """One person wrote more, or faster, than anyone writing for themselves does."""


class WrongPhase(CocreateError):
    """An action that the current phase of the workshop does not allow."""


class NotYours(CocreateError):
    """An attempt to change someone else's contribution."""


class ItemNotFound(CocreateError):
    """A statement or need that does not exist, was withdrawn or is hidden."""


class BudgetSpent(CocreateError):
    """A dot beyond the participant's dot budget."""


class NeedCapReached(CocreateError):
    """A dot beyond the per-need cap."""


class NoDotToRemove(CocreateError):
    """Removing a dot from a need that holds none of the participant's dots."""


class DuplicateNeed(CocreateError):
    """A proposal whose words are those of a need already on the list."""


class InvalidMerge(CocreateError):
    """A merge of a need into itself, into a hidden need, or across workshops."""


class Busy(CocreateError):
    """A write that kept conflicting with others; safe to try again."""


class StoreUnavailable(CocreateError):
    """The database file cannot be opened (held by another process, or not a Cocreate file)."""


class BadRequest(CocreateError):
    """A request to the app's routes that is not what its pages send."""
