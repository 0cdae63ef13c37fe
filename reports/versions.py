"""The key of the report page's content, kept rendered in Django's cache
(`{% cached_fragment %}`, boligsosial/templatetags/fragments.py).

The report shows what the analysis page does and more: every round's scores, the plan and its
history, projects, units, the proposed decision, the recommendation rules, the municipality's
own figures and the key figures. All but the key figures replace the analysis's content
token when they change (analysis/versions.py: each app watches its own models, this one its
rules and the municipality's own figures in apps.py); the key figures have their own token
(keyfigures/versions.py). The key is made of both, the analysis row as the page read it, the
day (the cover's date), and whether the person may act on the analysis (the report's
buttons); the tag adds the language and the code. The PDF does not use this: it is rendered
from the data each time and cached by a fingerprint of its HTML (reports/cache.py).
"""

from __future__ import annotations

import hashlib

from django.utils import timezone

from keyfigures import versions as figure_versions


def page_key(analysis, *, can_act: bool) -> str:
    """One query: the key figures' token (the content token comes with the analysis row)."""
    row = (
        analysis.version,
        analysis.status,
        analysis.last_activity_at,
        analysis.submitted_at,
        analysis.approved_at,
        analysis.is_demo,
        analysis.previous_id,
    )
    return ":".join(
        [
            "report",
            str(analysis.pk),
            analysis.content_token,
            hashlib.sha256(repr(row).encode()).hexdigest()[:16],
            timezone.localdate().isoformat(),
            "act" if can_act else "read",
            figure_versions.current(),
        ]
    )
