"""check_page, which every browser test leans on, fails on a serious or critical axe-core
violation, on the first page a browser context checks (axe-core evaluated there) as on every
later one (axe-core loaded as the page opens), and passes a page without one."""

import pytest

from tests.browser.helpers import check_page

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="nb"><head><title>Side</title></head>
<body><main><h1>Side</h1>{body}</main></body></html>"""
PAGES = {
    "http://pages.test/clean": PAGE.format(body="<p>Alt i orden.</p>"),
    # image-alt is critical; color-contrast serious (#aaa on white is 2.3:1).
    "http://pages.test/no-alt": PAGE.format(body='<img src="/chart.png">'),
    "http://pages.test/faint": PAGE.format(body='<p style="color: #aaa">Blek tekst</p>'),
}


@pytest.fixture
def pages(page):
    page.route(
        "http://pages.test/**",
        lambda route: route.fulfill(
            status=200 if route.request.url in PAGES else 404,
            content_type="text/html",
            body=PAGES.get(route.request.url, ""),
        ),
    )
    return page


@pytest.mark.parametrize("first", ["clean", "no-alt"])
def test_check_page_fails_on_every_serious_violation_the_context_meets(pages, first):
    pages.goto(f"http://pages.test/{first}")
    if first == "clean":
        check_page(pages, "clean")
    else:
        with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
            check_page(pages, "no-alt")
    pages.goto("http://pages.test/faint")
    with pytest.raises(AssertionError, match=r"color-contrast \(serious\)"):
        check_page(pages, "faint")
    pages.goto("http://pages.test/no-alt")
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        check_page(pages, "no-alt")
    pages.goto("http://pages.test/clean")
    check_page(pages, "clean")
