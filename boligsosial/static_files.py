"""WhiteNoise, listing the static files once per process.

WhiteNoise lists every static file with its headers when its middleware is made: about 50 ms
here (some 200 files from the finders, each stat'ed). A server makes its middleware once per
process, but Django's test client makes it once per client: under a profile, the listing
was a third of the time four test modules spent in the test client, and three modules ran
about 6 % faster without it.

The listing depends on the files and on how this middleware was configured; it is kept per
process under that configuration (`listing_key`), so a test that changes a setting gets a
listing of its own. As WhiteNoise itself does outside autorefresh, it assumes the files do not
change while the process runs. In development (DEBUG), WhiteNoise looks files up as they are
asked for and makes no listing; in production (after collectstatic) it lists STATIC_ROOT,
not the finders, and this changes nothing there.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings as django_settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    _listings: ClassVar[dict[tuple, dict]] = {}

    def __init__(self, get_response=None, settings=django_settings):
        self._settings = settings
        super().__init__(get_response, settings=settings)

    def listing_key(self) -> tuple:
        """What the listing depends on besides the files. A setting holding a function is in
        the key as the object itself, which the key keeps alive: another function that later
        gets the same address (and the same repr) is a different key."""
        settings = self._settings
        configured = [
            (name, getattr(settings, name))
            for name in sorted(dir(settings))
            if name.startswith("WHITENOISE_")
        ]
        return (
            type(self),
            self.static_prefix,
            self.max_age,
            self.charset,
            self.allow_all_origins,
            self.index_file,
            self.add_headers_function,
            repr(configured),
            *(v for _, v in configured if callable(v)),
            repr(settings.STORAGES.get("staticfiles")),
            repr(settings.STATICFILES_DIRS),
            tuple(settings.STATICFILES_FINDERS),
            tuple(settings.INSTALLED_APPS),
        )

    def add_files_from_finders(self) -> None:
        key = self.listing_key()
        listing = self._listings.get(key)
        if listing is None:
            kept, self.files = self.files, {}
            try:
                super().add_files_from_finders()
                listing = self._listings[key] = self.files
            finally:
                self.files = kept
        # After STATIC_ROOT's files, as WhiteNoise does: a finder's file of the same URL wins.
        self.files.update(listing)
