"""Logs as one JSON object a line (LOG_FORMAT=json): what a platform's log collector reads
without parsing. The standard library only; timestamps in UTC, whatever TIME_ZONE says.

gunicorn's access lines come through here too (gunicorn.conf.py): their fields are taken from
the record's arguments, so a quote in a user agent cannot break the line.
"""

from __future__ import annotations

import datetime
import json
import logging

# Attributes every LogRecord has: anything else on a record came from `extra={...}`.
RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

# gunicorn's access-log atoms (gunicorn/glogging.py) and the names they get here.
ACCESS_FIELDS = {
    "h": "remote",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "ms",
    "a": "user_agent",
    "f": "referer",
}


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            out["msg"] = "request"
            for atom, name in ACCESS_FIELDS.items():
                value = record.args.get(atom)
                if value not in (None, "-", ""):
                    out[name] = int(value) if name == "status" and str(value).isdigit() else value
            forwarded = record.args.get("{x-forwarded-for}i")
            if forwarded and forwarded != "-":
                out["forwarded_for"] = forwarded
        else:
            out["msg"] = record.getMessage()
        for key, value in record.__dict__.items():
            if key not in RESERVED and not key.startswith("_") and key not in out:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer is about the request, not a fault of ours: its log entry is one line,
    without the traceback Django attaches (a form body in a charset that is not UTF-8 left
    kilobytes of traceback per request, so any anonymous client could fill the log disk:
    issue 11). Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and isinstance(status, int) and 400 <= status < 500:
            error = record.exc_info[1]
            if error is not None:
                record.error = type(error).__name__
            record.exc_info = None
            record.exc_text = None
        return True
