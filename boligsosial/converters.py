"""Path converters that accept only what the model behind them can hold, so a NUL byte, a
letter where a municipality number goes or a token a megabyte long is a 404 at the URL, and
never reaches the database (a NUL byte is a DataError on PostgreSQL: issue 11).

Registered on import; each app's urls.py imports this module before it names them.
"""

from __future__ import annotations

from django.urls import register_converter


class _Text:
    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class MunicipalityNumberConverter(_Text):
    """SSB's four-digit municipality number (Municipality.number), ASCII digits only."""

    regex = "[0-9]{4}"


class TokenConverter(_Text):
    """A link's secret as `secrets.token_urlsafe` makes it (43 characters for 32 bytes),
    within the 64 characters the columns hold."""

    regex = "[A-Za-z0-9_-]{1,64}"


class SignedConverter(_Text):
    """A value signed by django.core.signing (URL-safe base64 and the separator ':')."""

    regex = "[A-Za-z0-9_:-]{1,256}"


register_converter(MunicipalityNumberConverter, "municipality")
register_converter(TokenConverter, "token")
register_converter(SignedConverter, "signed")
