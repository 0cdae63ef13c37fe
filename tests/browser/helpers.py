"""Helpers for browser tests: log in, and look for accessibility problems with axe-core.

Screenshots cost time, so they are taken only when asked for: `SCREENSHOTS=1 make test`
keeps one of every page the browser tests check in test-artifacts/screenshots/ (ignored by
git), for people reviewing pages. A failing browser test always leaves a screenshot in
test-artifacts/playwright/ (pytest-playwright's --screenshot=only-on-failure, set in the
Makefile)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
_axe = Axe()
SETTLED = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def check_page(page, name: str) -> None:
    """Fail on any serious or critical axe-core violation (and keep a screenshot of the page
    when SCREENSHOTS is set). A click on a link does not wait for the next page: wait for it
    to load first (a style added to a page still navigating found no <head>)."""
    page.wait_for_load_state()
    if os.environ.get("SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-zA-Z0-9_.-]+", "-", name)
        page.screenshot(path=str(SCREENSHOTS / f"{safe}.png"), full_page=True)
    # Colours are checked as they settle: a button still fading into its hover colour after a
    # click measured its contrast halfway (an intermittent failure).
    page.add_style_tag(content=SETTLED)
    results = _axe.run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, f"axe-core on {name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )
