"""A cache of rendered report PDFs, in files under MEDIA_ROOT/report-cache/.

Laying out a PDF takes about a second; reading what it shows takes a few hundredths. So a PDF
is kept under a key made from the analysis, its version, the language and a fingerprint of
the exact HTML it was laid out from (reports.services.PdfSource.fingerprint). Anything that
changes the report without raising the analysis version – an indicator import, an edited
recommendation rule, a renamed unit, a project edited in another round, the print
stylesheet, a new day's date on the cover – changes the HTML and so the key; nothing has to
remember to invalidate anything.

Files rather than Django's cache: the PDFs outlive a restart, and the web process and the
batch command (`render_region_reports`) share them. Only the newest PDF per analysis and
language is kept. The cache is not the archive: archived PDFs (ArchivedReport) are separate
files that never change; this directory can be deleted at any time.

MEDIA_ROOT is not served by the application, so the cached files are reachable only through
the views, which check access first.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DIRECTORY = "report-cache"


@dataclass(frozen=True)
class CacheKey:
    analysis_pk: int
    analysis_version: int
    language: str
    fingerprint: str

    @property
    def prefix(self) -> str:
        return f"{self.language}-"

    @property
    def filename(self) -> str:
        return f"{self.prefix}v{self.analysis_version}-{self.fingerprint[:32]}.pdf"


def _directory(analysis_pk: int) -> Path:
    return Path(settings.MEDIA_ROOT) / DIRECTORY / str(int(analysis_pk))


def get(key: CacheKey) -> bytes | None:
    try:
        return (_directory(key.analysis_pk) / key.filename).read_bytes()
    except FileNotFoundError:
        return None


def put(key: CacheKey, pdf: bytes) -> None:
    """Write atomically (a reader never sees half a file; two writers of the same key leave one
    whole file), then drop older PDFs of the same analysis and language."""
    directory = _directory(key.analysis_pk)
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.replace(temporary, directory / key.filename)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    for old in directory.glob(f"{key.prefix}*.pdf"):
        if old.name != key.filename:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()


def clear() -> None:
    """Remove every cached PDF (for tests and for an administrator who wants a clean slate)."""
    import shutil

    shutil.rmtree(Path(settings.MEDIA_ROOT) / DIRECTORY, ignore_errors=True)
