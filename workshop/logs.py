"""Cocreate's log: one line per request to its routes and per workshop event (a phase moved,
a merge, a hide, an export, a failed sign-in), plain text or, with COCREATE_LOG_FORMAT=json,
one JSON object per line. A line names the workshop by its code, never a key or a token.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from workshop import settings

LOGGERS = ("web", "workshop")  # the app's modules log under these names
FIELDS = (
    "workshop",
    "workshop_id",
    "event",
    "route",
    "method",
    "status",
    "duration_ms",
    "role",
    "phase",
    "item",
    "count",
    "format",
    "via",
    "client",
)

events = logging.getLogger("workshop.events")


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, logger, message and the fields it carries."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class StandardError(logging.StreamHandler[Any]):
    """Writes to whatever standard error is when a line is written (a test may swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure() -> None:
    """Send the app's log lines to standard error, as text or JSON (COCREATE_LOG_FORMAT)."""
    handler = StandardError()
    if settings.get("COCREATE_LOG_FORMAT") == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def event(name: str, code: str, **fields: object) -> None:
    """A workshop event (`name`: "phase", "merge", "hide", "export", "sign_in_failed" …) of
    the workshop with join code `code`, with a few plain fields (never a key or a token)."""
    described = " ".join(f"{k}={v}" for k, v in fields.items())
    events.info("%s %s %s", name, code, described, extra={"event": name, "workshop": code, **fields})
