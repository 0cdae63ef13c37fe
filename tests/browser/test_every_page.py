"""Every page of the project, for each persona who can open it, in a real Chromium: axe-core
finds no serious or critical violation, and the page has one h1, a <main> landmark, a lang
attribute and a title. The keyboard reaches the main action of the busiest pages, and every
element it lands on shows where the focus is and is not hidden under a sticky bar.

Which pages a persona opens comes from the access matrix (tests/analysis/test_access_matrix.py):
every GET row the matrix answers with 200 for the persona is visited, its arguments taken from
the demo data (demo_world has the matrix's argument names). A URL that is no page (a download,
a POST-only action, JSON) is named in NOT_PAGES with its reason; a URL that is neither visited
nor named fails `test_every_url_is_a_visited_page_or_named_as_no_page`, so the list cannot
silently go stale.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts import services as people
from accounts.models import Role, UserInvitation
from analysis.models import Analysis, CooperationBody, Project
from factors.services import invitations
from jobs.models import Job, JobStatus
from notifications.models import Kind
from notifications.services import unsubscribe_token
from plans.models import Measure
from reference.models import Question, Region
from tests.analysis.test_access_matrix import ROWS, url_names
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The access matrix's personas, as the demo users who play them (None: not logged in).
DEMO_USERS = {
    "anonymous": None,
    "planner": "planlegger",
    "adviser": "radgiver",
    "administrator": "admin",
}

NOT_PAGES = {
    "healthz": "JSON for the load balancer",
    "logout": "POST only",
    "set_language": "POST only",
    "analysis:answer_restore": "POST only",
    "factors:assessment_restore": "POST only",
    "analysis:submit": "POST only",
    "analysis:confirm_carried": "POST only",
    "analysis:unit_add": "POST only",
    "analysis:unit_change": "POST only",
    "analysis:cooperation_delete": "POST only",
    "analysis:cooperation_restore": "POST only",
    "analysis:project_restore": "POST only",
    "analysis:project_end": "POST only",
    "analysis:comment": "POST only",
    "analysis:resolve_comment": "POST only",
    "analysis:decision": "POST only",
    "analysis:internal_note": "POST only (the form is on the review page)",
    "analysis:start_from_previous": "POST only",
    "reports:answers_export": "an Excel download",
    "overview:region_export": "a CSV/Excel download",
    "overview:national_export": "a CSV/Excel download",
    "keyfigures:indicator_import_progress": "JSON polled by the upload page",
    "keyfigures:indicator_fetch": "POST only (starts the fetch from SSB; its page is jobs:detail)",
    "analysis:local_figure_add": "POST only (the form is on the key-figures page)",
    "analysis:local_figure_remove": "POST only",
    "factors:invitation_revoke": "POST only",
    "reports:pdf": "a PDF download",
    "reports:archive": "POST only",
    "reports:measure_from_recommendation": "POST only (then the measure's form)",
    "reports:archived_download": "a PDF download",
    "reports:region_zip": "POST only (starts the batch; its page is jobs:detail)",
    "jobs:progress": "JSON polled by the job's page",
    "jobs:download": "a ZIP download",
    "reports:for_round": "a redirect to the report of that round",
    "accounts:membership_change": "POST only",
    "accounts:invitation_change": "POST only",
    "accounts:oidc_authenticate": "a redirect to the single sign-on provider",
    "accounts:oidc_callback": "the provider's redirect back, then to the front page",
    "accounts:sso_failed": "a redirect to the login page with a message",
}


def pages_for(persona: str) -> list:
    """The matrix's GET rows that answer 200 for the persona and are pages."""
    return [
        row
        for row in ROWS
        if row.method == "get"
        and not row.variant
        and row.expect[persona] == 200
        and row.name not in NOT_PAGES
    ]


def test_every_url_is_a_visited_page_or_named_as_no_page():
    visited = {row.name for persona in DEMO_USERS for row in pages_for(persona)}
    assert sorted(url_names() - visited - set(NOT_PAGES)) == [], (
        "URLs neither visited by a persona nor named in NOT_PAGES"
    )
    assert sorted(set(NOT_PAGES) - url_names()) == [], "NOT_PAGES names URLs that are gone"


@pytest.fixture
def demo_world(demo_data) -> SimpleNamespace:
    """The access matrix's URL arguments, filled from the demo data: Fauske's current analysis
    and its rows, the Nordland region, and an invitation for the user organisation's form."""
    analysis = Analysis.objects.filter(municipality__number="1841").order_by("-round__year").first()
    planner = User.objects.get(username="planlegger")
    invitation = invitations.create_invitation(
        analysis=analysis, organisation_name="Brukarforum", by=planner
    )
    job = Job.objects.create(
        kind="region_reports",
        owner=User.objects.get(username="radgiver"),
        title="Rapporter for Statsforvalteren i Nordland, Foranalyse 2026",
        status=JobStatus.RUNNING,
        total=4,
        done=1,
    )
    return SimpleNamespace(
        job=job.pk,
        analysis=analysis.pk,
        section_key="forarbeid",
        section_keys=list(
            analysis.round.questionnaire.sections.order_by("order").values_list("key", flat=True)
        ),
        question=Question.objects.get(
            section__questionnaire=analysis.round.questionnaire, key="oppgaver"
        ).pk,
        factor=1,
        kind="organ",
        body=CooperationBody.objects.filter(analysis=analysis).first().pk,
        project=Project.objects.filter(municipality=analysis.municipality).first().pk,
        measure=Measure.objects.filter(municipality=analysis.municipality).first().pk,
        token=invitation.token,
        region=Region.objects.get(name="Statsforvalteren i Nordland").pk,
        year=analysis.round.year,
        number=analysis.municipality.number,
        uid="MQ",
        reset_token="abc-0123456789abcdef",
        unsubscribe_token=unsubscribe_token(planner, Kind.COMMENT),
        invitation_token=_invitation_token(planner, analysis.municipality),
    )


def _invitation_token(planner, municipality) -> str:
    """A usable invitation link to Fauske (the e-mail carries the token; the table its hash)."""
    invitation = people.invite(
        by=planner, email="ny.kollega@example.test", role=Role.EDITOR, municipality=municipality
    )
    token = "every-page-invitation"
    UserInvitation.objects.filter(pk=invitation.pk).update(token_hash=people.hash_token(token))
    return token


# What axe-core does not check, but every page of ours must have.
PAGE_SHAPE = """() => ({
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main, [role=main]").length,
  lang: document.documentElement.getAttribute("lang") || "",
  title: document.title.trim(),
})"""


# WCAG's contrast ratio of two CSS colours (rgb()/rgba() as getComputedStyle gives them).
CONTRAST = """
const rgb = (css) => (css.match(/[\\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
const luminance = ([r, g, b]) => {
  const [R, G, B] = [r, g, b].map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
};
const contrast = (a, b) => {
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const backgroundOf = (el) => {
  for (let e = el.parentElement; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && !/rgba\\([^)]*,\\s*0\\)$/.test(bg) && bg !== "transparent") return bg;
  }
  return "rgb(255, 255, 255)";
};
"""

# Every enabled form control that shows a border shows it at 3:1 or more against what is
# behind it (WCAG 1.4.11); Bootstrap's own #dee2e6 is 1.3:1 on white.
FAINT_BORDERS = (
    "() => {"
    + CONTRAST
    + """
  const faint = [];
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || el.disabled || !el.offsetParent) continue;
    const style = getComputedStyle(el);
    if (parseFloat(style.borderTopWidth) === 0 || style.borderTopStyle === "none") continue;
    const ratio = contrast(style.borderTopColor, backgroundOf(el));
    const what = `${el.tagName.toLowerCase()}#${el.id || el.name}`;
    if (ratio < 3) faint.push(`${what} ${ratio.toFixed(2)}:1`);
  }
  return faint;
}"""
)

SCROLLS_SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"

# What sticks out past the window's right edge (outside a table's own scrolling box): the
# culprit named in the failure.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-responsive")) continue;
    const right = Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left
      + el.scrollWidth);
    if (right > width + 1 && el.getBoundingClientRect().width > 0)
      found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ${Math.round(right)}`);
  }
  return found.slice(-4);
}"""


def urls_for(persona: str, row, world: SimpleNamespace) -> list[str]:
    if persona == "planner" and row.name == "analysis:section":
        # The planner, who fills them in, opens every section form, not only the matrix's one.
        return [reverse(row.name, args=[world.analysis, key]) for key in world.section_keys]
    missing = [a for a in row.args.split() if not hasattr(world, a)]
    assert not missing, f"{row.name}: give demo_world {missing}, taken from the demo data"
    return [reverse(row.name, args=[getattr(world, a) for a in row.args.split()])]


def problems_on(page, url: str, name: str, status: int = 200) -> list[str]:
    response = page.goto(url)
    if response is None or response.status != status:
        return [f"{name}: {url} answered {response and response.status}"]
    found = []
    shape = page.evaluate(PAGE_SHAPE)
    if shape["h1"] != 1:
        found.append(f"{name}: {shape['h1']} h1 elements, not one")
    if shape["main"] != 1:
        found.append(f"{name}: {shape['main']} <main> landmarks, not one")
    if not shape["lang"]:
        found.append(f"{name}: no lang attribute on <html>")
    if not shape["title"]:
        found.append(f"{name}: empty <title>")
    try:
        check_page(page, name)
    except AssertionError as error:
        found.append(str(error).splitlines()[0])
    if faint := page.evaluate(FAINT_BORDERS):
        found.append(f"{name}: form controls outlined below 3:1: {', '.join(faint[:5])}")
    # Reflow (WCAG 1.4.10): at 320 CSS px nothing but a table in its own box scrolls sideways.
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": size["height"]})
    if page.evaluate(SCROLLS_SIDEWAYS):
        culprits = ", ".join(page.evaluate(STICKING_OUT))
        found.append(f"{name}: the page scrolls sideways at 320 px: {culprits}")
    page.set_viewport_size(size)
    return found


@pytest.mark.parametrize("persona", DEMO_USERS)
def test_every_page_the_persona_opens_is_accessible(persona, page, live_server, demo_world):
    if DEMO_USERS[persona]:
        sign_in(page, live_server, DEMO_USERS[persona], land=False)
    found = []
    for row in pages_for(persona):
        for url in urls_for(persona, row, demo_world):
            found += problems_on(page, live_server.url + url, f"every-page-{persona}-{url}")
    if persona == "planner":
        found += problems_on(page, live_server.url + "/analyse/0/", "every-page-404", status=404)
    assert found == [], "\n".join(found)


# --- Keyboard ---------------------------------------------------------------------------------

# The focused element: whether it shows that it has the focus (an outline, or a box-shadow that
# is neither transparent nor of zero size), and what covers it if it is out of sight (WCAG
# 2.4.11: a sticky bar must not hide the field the keyboard is on).
FOCUSED = (
    "() => {"
    + CONTRAST
    + """
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  // Clearly visible: a ring at least 2 px wide at 3:1 against what is behind it (a faint
  // glow of 25 % alpha, Bootstrap's own, does not count), or an opaque shadow as wide.
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 &&
    contrast(style.outlineColor, backgroundOf(el)) >= 3;
  const shadow = style.boxShadow.split(/,(?![^(]*\\))/).some((layer) => {
    const colour = layer.match(/rgba?\\(([^)]*)\\)/);
    const alpha = colour ? Number(colour[1].split(",")[3] ?? 1) : 1;
    const sizes = layer.replace(/rgba?\\([^)]*\\)/, "").match(/-?[\\d.]+px/g) || [];
    return alpha >= 0.9 && colour && contrast(`rgb(${colour[1]})`, backgroundOf(el)) >= 3 &&
      sizes.some((size) => Math.abs(parseFloat(size)) >= 2);
  });
  const box = el.getBoundingClientRect();
  const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
  let hiddenBy = null;
  if (box.width > 0 && bottom <= top) hiddenBy = "the edge of the window";
  else if (box.width > 0) {
    const hit = document.elementFromPoint(box.left + box.width / 2, (top + bottom) / 2);
    const labelled = [...(el.labels || [])].some((label) => label.contains(hit));
    if (hit && !el.contains(hit) && !hit.contains(el) && !labelled)
      hiddenBy = `${hit.tagName.toLowerCase()}.${hit.className}`;
  }
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const name = el.getAttribute("aria-label") || label || el.innerText || el.value || "";
  return {
    element: el,
    name: name.trim().replace(/\\s+/g, " ").slice(0, 60),
    describe: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ${name.trim().slice(0, 40)}`,
    visible: outline || shadow,
    hiddenBy,
  };
}"""
)

KEYBOARD_PAGES = [
    # persona, URL name, the world's attributes for its arguments, the main action
    ("planner", "analysis:detail", "analysis", "Forarbeid"),
    ("planner", "analysis:section", "analysis section_key", "Lagre"),
    ("planner", "analysis:responsibility_map", "analysis", "Lagre kartet"),
    ("adviser", "overview:region", "region", "Filtrer"),
    # Date fields: the keyboard stops on their calendar button too.
    ("planner", "analysis:project_edit", "analysis project", "Lagre"),
]


@pytest.mark.parametrize(
    "persona, name, args, action", KEYBOARD_PAGES, ids=[p[1] for p in KEYBOARD_PAGES]
)
def test_the_keyboard_reaches_the_main_action_and_always_shows_the_focus(
    persona, name, args, action, page, live_server, demo_world
):
    # Without animation: the focus styles and the scrolling are measured where they end up.
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, live_server, DEMO_USERS[persona], land=False)
    page.goto(live_server.url + reverse(name, args=[getattr(demo_world, a) for a in args.split()]))
    reached, unmarked, hidden, first = [], [], [], None
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle(FOCUSED)
        if focused.json_value() is None:
            break
        element, info = focused.get_property("element"), focused.json_value()
        if first is not None and page.evaluate("([a, b]) => a === b", [element, first]):
            break  # round the page and back to the start
        first = first or element
        reached.append(info["name"])
        if not info["visible"]:
            unmarked.append(info["describe"])
        if info["hiddenBy"]:
            hidden.append(f"{info['describe']} (under {info['hiddenBy']})")
    assert action in reached, f"the keyboard never reaches {action!r}: {reached}"
    assert not unmarked, "focused without a visible focus indicator: " + "; ".join(unmarked)
    assert not hidden, "focused out of sight: " + "; ".join(hidden)
