"""Shared set-up for a benchmark process: a throwaway SQLite database with reference data."""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path


def setup_django() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "boligsosial.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("ALLOW_DEV_SECRET_KEY", "1")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # Static files come from the finders here (no collectstatic), as in the tests.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from reference.services.loading import load_reference_data

    load_reference_data()
    return tmp
