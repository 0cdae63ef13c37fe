"""WhiteNoise, listing the static files once per process.

WhiteNoise lists every static file with its headers when its middleware is made: about 50 ms
here (some 200 files from the finders, each stat'ed). A server makes its middleware once per
process, but Django's test client makes it once per client, and that listing was about a
tenth of the test suite's time in the test client. The listing depends only on the files and
on the settings below, so it is kept per process, under those settings: a test that changes
one of them gets a listing of its own. In development (DEBUG), WhiteNoise looks files up as
they are asked for and makes no listing at all.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

# What the listing depends on, besides the files themselves.
LISTING_SETTINGS = (
    "DEBUG",
    "FORCE_SCRIPT_NAME",
    "STATIC_URL",
    "STATICFILES_DIRS",
    "STATICFILES_FINDERS",
    "INSTALLED_APPS",
)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    _listings: ClassVar[dict[str, dict]] = {}

    def add_files_from_finders(self) -> None:
        key = repr(
            [(name, getattr(settings, name, None)) for name in LISTING_SETTINGS]
            + [
                (name, getattr(settings, name))
                for name in dir(settings)
                if name.startswith("WHITENOISE_")
            ]
        )
        listing = self._listings.get(key)
        if listing is None:
            kept, self.files = self.files, {}
            try:
                super().add_files_from_finders()
                listing = self._listings[key] = self.files
            finally:
                self.files = kept
        self.files.update(listing)
