"""Helpers for browser tests: log in, and look for accessibility problems with axe-core.

Screenshots cost time, so they are taken only when asked for: `SCREENSHOTS=1 make test`
keeps one of every page the browser tests check in test-artifacts/screenshots/ (ignored by
git), for people reviewing pages. A failing browser test always leaves a screenshot in
test-artifacts/playwright/ (pytest-playwright's --screenshot=only-on-failure, set in the
Makefile)."""

from __future__ import annotations

import json
import os
import re
import weakref
from pathlib import Path

from axe_playwright_python.base import AXE_FILE_PATH, AXE_SCRIPT

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Every rule axe-core runs by default; only the details of what passed are left out.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# The browser contexts that load axe-core into every page they open (see _with_axe).
_contexts_with_axe: weakref.WeakSet = weakref.WeakSet()
SETTLED = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the login form, as a person does, and land where it sends the user."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def sign_in(page, live_server, username: str, *, land: bool = True) -> None:
    """Signed in as the user without the login form: Django's test client makes a real session
    (the login signal fires and the audit log records the login, without a client address)
    and the browser gets its cookie, with the flags Django gave it. The form itself is tested
    in test_login_and_landing.py; skipping it saves about half a second a login. `land` opens
    the front page, where the form would have sent the user; a test that goes elsewhere at
    once skips it."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "url": live_server.url,
                "httpOnly": bool(cookie["httponly"]),
                "secure": bool(cookie["secure"]),
                "sameSite": cookie["samesite"] or "Lax",
            }
        ]
    )
    if land:
        page.goto(f"{live_server.url}/")


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
    _with_axe(page)
    violations = page.evaluate(f"axe.run({json.dumps(AXE_OPTIONS)}).then((r) => r.violations)")
    serious = [v for v in violations if v.get("impact") in {"serious", "critical"}]
    assert not serious, f"axe-core on {name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )


def _with_axe(page) -> None:
    """Make axe-core (half a megabyte of script) present on the page. Sent with every check it
    cost a tenth of a second a page; instead the page's browser context is given it once, as a
    script every later page of the context runs when it opens, and only this first page gets it
    evaluated here."""
    if page.evaluate("typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        return
    if page.context not in _contexts_with_axe:
        page.context.add_init_script(path=str(AXE_FILE_PATH))
        _contexts_with_axe.add(page.context)
    page.evaluate(AXE_SCRIPT)
