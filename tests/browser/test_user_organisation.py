"""A user organisation opens its invitation link in a real browser and answers."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from analysis.models import Analysis
from factors.models import UserOrganisationInput
from factors.services import invitations
from tests.browser.helpers import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation(demo_data):
    """An open invitation from Fauske's planner to the tenants' organisation."""
    analysis = Analysis.objects.filter(municipality__number="1841", is_demo=True).latest(
        "round__year"
    )
    return invitations.create_invitation(
        analysis=analysis,
        organisation_name="Leieboerforeningen",
        by=User.objects.get(username="planlegger"),
    )


def test_user_organisation_answers_through_the_link_without_logging_in(
    page, live_server, invitation
):
    page.goto(f"{live_server.url}/faktorer/innspill/{invitation.token}/")
    check_page(page, "user-organisation-form")
    page.get_by_role("group", name="1. Forankring og eierskap").get_by_role(
        "radio", name=re.compile(r"^\s*2 – ")
    ).check()
    page.get_by_label("Kommentar til «Forankring og eierskap»").fill("Vi blir sjelden spurt.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Takk")).to_be_visible()
    check_page(page, "user-organisation-thanks")
    saved = UserOrganisationInput.objects.get(invitation=invitation)
    rating = saved.ratings.get(factor__number=1)
    assert (rating.score, rating.comment) == (2, "Vi blir sjelden spurt.")


def test_planner_copies_an_invitation_link_with_one_click(page, live_server, invitation):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, live_server, "planlegger", land=False)
    page.goto(f"{live_server.url}/faktorer/analyse/{invitation.analysis_id}/invitasjoner/")
    page.get_by_role("button", name="Kopier lenke Leieboerforeningen").click()
    expect(page.get_by_role("status").filter(has_text="Lenken er kopiert.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/faktorer/innspill/{invitation.token}/"
    check_page(page, "user-organisation-invitations")
