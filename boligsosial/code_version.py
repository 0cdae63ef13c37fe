"""A digest of the code a process runs: the project's Python, templates and compiled
catalogues, and the name and version of every installed package (Django, crispy-forms …).
What a page keeps rendered or computed in the cache carries it in its key, so a deploy never
serves what the release before it drew, whatever cache survived it. Read once per process
(some 30 ms)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

from django.conf import settings

# What a kept part may come out of: Python, templates, the compiled catalogues.
_CODE_SUFFIXES = {".py", ".html", ".mo"}
_NOT_CODE = {"node_modules", "tests", "media", "staticfiles", "test-artifacts", "__pycache__"}


@cache
def code_version() -> str:
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_CODE and not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if path.suffix in _CODE_SUFFIXES:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()[:16]
