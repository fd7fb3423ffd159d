"""Structured logs: one JSON object per line, with personal data masked.

Every line carries `ts`, `level`, `logger`, `msg` and the `request_id` of the HTTP request being
served (if any), plus whatever the caller passed in `extra=` — the request log adds `method`,
`path`, `route`, `status` and `duration_ms`.

What never reaches a log: request or response bodies, query strings, and headers such as
Authorization or Cookie (the request middleware logs none of them). What might slip in anyway —
a phone number or an e-mail address inside an error text or a path — is masked by `PiiFilter`,
which sits on the handler and so covers every logger, ours and the libraries'.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

# The id of the HTTP request this code is serving; set by the request middleware.
request_id_var: ContextVar[str | None] = ContextVar("peifu_request_id", default=None)

# Chinese mobile numbers (optionally +86, optionally split 3-4-4) and e-mail addresses.
PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
PHONE_MASK = "[phone]"
EMAIL_MASK = "[email]"

# Attributes every LogRecord has; anything else on a record came from `extra=`.
# (uvicorn's `color_message` repeats the message with terminal colours: not for a log file.)
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName", "color_message"}
# Extras the middleware fills from values it made itself; never personal data.
_TRUSTED = frozenset({"request_id", "status", "duration_ms", "method"})


def mask(text: str) -> str:
    """`text` with every phone number and e-mail address replaced by a placeholder."""
    if "@" in text:
        text = EMAIL.sub(EMAIL_MASK, text)
    return PHONE.sub(PHONE_MASK, text)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub(v) for v in value]
    return value


class PiiFilter(logging.Filter):
    """Masks phone numbers and e-mail addresses in the message, its extras and its traceback.

    It renders the message (so arguments are masked too) and drops the arguments; it never
    drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            message = f"{record.msg} {record.args!r}"
        record.msg = mask(message)
        record.args = None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and key not in _TRUSTED:
                setattr(record, key, _scrub(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, request_id, then the extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def make_handler(stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(PiiFilter())
    handler.set_name("peifu-json")
    return handler


def setup_logging(level: str | int = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Send every logger's records, as JSON lines, to `stream` (stderr by default).

    Replaces the root logger's handlers, and makes uvicorn's loggers propagate to it (its access
    log stays off: the request middleware writes a better line without the query string).
    """
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler = make_handler(stream)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    return handler
