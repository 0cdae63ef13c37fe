"""A user organisation gives its view through an invitation link, without an account."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from analysis.models import Analysis, AnalysisStatus
from factors.models import Invitation, UserFactorRating, UserOrganisationInput
from factors.services import invitations
from reference.models import MaturityLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(analysis, planner):
    return invitations.create_invitation(
        analysis=analysis, organisation_name="Leieboerforeningen", by=planner
    )


def answer_url(invitation):
    return reverse("factors:invitation_answer", args=[invitation.token])


def full_answer(**overrides):
    data = {f"score_{n}": str(n % 5 + 1) for n in range(1, 7)}
    data |= {f"comment_{n}": "" for n in range(1, 7)}
    data["comment"] = "Vi vil gjerne være med tidligere."
    return data | overrides


@pytest.mark.parametrize(
    ("persona", "status"),
    {
        "planner": 200,
        "reader": 200,
        "adviser": 200,
        "outside_adviser": 404,
        "other_planner": 404,
        "anonymous": 302,
    }.items(),
)
def test_invitation_list_answers_each_persona_as_designed(client_for, analysis, persona, status):
    response = client_for(persona).get(reverse("factors:invitations", args=[analysis.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    {"reader": 403, "adviser": 403, "outside_adviser": 404, "other_planner": 404}.items(),
)
def test_only_the_municipality_editors_create_invitations(client_for, analysis, persona, status):
    response = client_for(persona).post(
        reverse("factors:invitations", args=[analysis.pk]),
        {"organisation_name": "Forged", "valid_days": "30"},
    )
    assert response.status_code == status
    assert not Invitation.objects.exists()


def test_planner_creates_an_invitation_and_sees_its_link(client_for, analysis):
    client = client_for("planner")
    response = client.post(
        reverse("factors:invitations", args=[analysis.pk]),
        {"organisation_name": "Marborg", "valid_days": "14"},
        follow=True,
    )
    invitation = Invitation.objects.get()
    assert invitation.organisation_name == "Marborg"
    assert 13 <= (invitation.expires_at - timezone.now()).days <= 14
    assert answer_url(invitation) in response.text


def test_an_invitation_valid_for_too_long_is_refused_with_the_input_kept(client_for, analysis):
    response = client_for("planner").post(
        reverse("factors:invitations", args=[analysis.pk]),
        {"organisation_name": "Marborg", "valid_days": "400"},
    )
    assert response.status_code == 200
    assert 'value="Marborg"' in response.text
    assert not Invitation.objects.exists()


def test_organisation_answers_without_an_account_once(client, invitation):
    response = client.get(answer_url(invitation))
    assert response.status_code == 200
    assert "Fauske" in response.text
    response = client.post(answer_url(invitation), full_answer())
    assert response.status_code == 200
    user_input = UserOrganisationInput.objects.get(invitation=invitation)
    assert user_input.comment == "Vi vil gjerne være med tidligere."
    assert UserFactorRating.objects.filter(input=user_input).count() == 6
    assert UserFactorRating.objects.get(input=user_input, factor__number=1).score == 2
    # single purpose: the link is spent
    assert client.get(answer_url(invitation)).status_code == 410
    assert client.post(answer_url(invitation), full_answer()).status_code == 410
    assert UserOrganisationInput.objects.count() == 1


def test_the_organisation_sees_what_each_level_means_as_the_planner_does(client, invitation):
    response = client.get(answer_url(invitation))
    levels = MaturityLevel.objects.all()
    assert len(levels) == 30
    for level in levels:
        assert escape(f"{level.level} – {level.description_nb}") in response.text


def test_an_expired_or_revoked_link_answers_gone(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=15),
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert client.get(answer_url(invitation)).status_code == 410
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    invitations.revoke_invitation(invitation=invitation)
    assert client.get(answer_url(invitation)).status_code == 410


def test_an_unknown_token_looks_exactly_like_an_expired_one(client, invitation):
    response = client.get(reverse("factors:invitation_answer", args=["not-a-token"]))
    assert response.status_code == 410


def test_a_forged_score_outside_1_to_5_is_refused_and_nothing_is_saved(client, invitation):
    response = client.post(answer_url(invitation), full_answer(score_3="7"))
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.text
    assert not UserOrganisationInput.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_blank_scores_are_allowed_and_kept_as_no_answer(client, invitation):
    client.post(answer_url(invitation), full_answer(score_2=""))
    assert UserFactorRating.objects.get(factor__number=2).score is None


def test_the_answer_shows_on_the_planner_page_with_html_escaped(client, invitation, planner):
    client.post(answer_url(invitation), full_answer(comment="<script>alert(1)</script>"))
    assert UserOrganisationInput.objects.get().comment == "<script>alert(1)</script>"
    client.force_login(planner)
    response = client.get(reverse("factors:invitations", args=[invitation.analysis.pk]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text


def test_no_invitation_can_be_created_for_a_submitted_analysis(analysis, planner):
    analysis.status = AnalysisStatus.SUBMITTED
    with pytest.raises(ValidationError):
        invitations.create_invitation(analysis=analysis, organisation_name="X", by=planner)


def test_revoke_by_an_outsider_is_404(client_for, invitation):
    response = client_for("other_planner").post(
        reverse("factors:invitation_revoke", args=[invitation.analysis.pk, invitation.pk])
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_invitation_list_runs_a_fixed_number_of_queries(
    client_for, analysis, planner, django_assert_num_queries
):
    for name in ["A", "B", "C"]:
        inv = invitations.create_invitation(analysis=analysis, organisation_name=name, by=planner)
        invitations.submit_user_input(
            invitation=inv, ratings={n: (3, "") for n in range(1, 7)}, comment=""
        )
    client = client_for("planner")
    url = reverse("factors:invitations", args=[analysis.pk])
    client.get(url)
    # session, user, memberships, analysis, invitations + inputs, ratings, factors
    with django_assert_num_queries(7):
        client.get(url)


# --- Once the analysis is submitted or approved ------------------------------------------

CLOSED = [AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED]


def set_status(analysis, status):
    Analysis.objects.filter(pk=analysis.pk).update(status=status)


@pytest.mark.parametrize("status", CLOSED)
def test_the_planner_cannot_create_an_invitation_once_the_analysis_is_closed(
    client_for, analysis, status
):
    set_status(analysis, status)
    url = reverse("factors:invitations", args=[analysis.pk])
    client = client_for("planner")
    page = client.get(url)
    assert "Ny invitasjon" not in page.text
    assert "tar ikke imot svar" in page.text
    response = client.post(url, {"organisation_name": "Marborg", "valid_days": "14"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "kan ikke endres før den er sendt tilbake" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("status", CLOSED)
def test_an_open_link_takes_no_answer_once_the_analysis_is_closed(client, invitation, status):
    set_status(invitation.analysis, status)
    shown = client.get(answer_url(invitation))
    assert shown.status_code == 409
    assert "Lenken tar ikke imot svar nå" in shown.text
    assert 'name="comment"' not in shown.text
    sent = client.post(answer_url(invitation), full_answer())
    assert sent.status_code == 409
    assert "Ingenting av det du skrev ble lagret" in sent.text
    assert not UserOrganisationInput.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_an_answer_sent_after_the_form_was_opened_is_refused_if_the_analysis_was_submitted(
    invitation,
):
    """The form was opened while the analysis was open; the service checks again."""
    set_status(invitation.analysis, AnalysisStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        invitations.submit_user_input(invitation=invitation, ratings={}, comment="Sent")
    assert error.value.code == invitations.ANALYSIS_CLOSED
    assert not UserOrganisationInput.objects.exists()


def test_the_link_takes_answers_again_when_the_analysis_is_sent_back(client, invitation):
    set_status(invitation.analysis, AnalysisStatus.SENT_BACK)
    assert 'name="comment"' in client.get(answer_url(invitation)).text
    assert client.post(answer_url(invitation), full_answer()).status_code == 200
    assert UserOrganisationInput.objects.filter(invitation=invitation).exists()


@pytest.mark.parametrize("persona", ["reader", "adviser"])
def test_readers_and_advisers_cannot_revoke_an_invitation(client_for, invitation, persona):
    response = client_for(persona).post(
        reverse("factors:invitation_revoke", args=[invitation.analysis.pk, invitation.pk])
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- Only editors see the links; nobody with an account answers as the organisation ------------
# (issue 11, defect 5: a reader listed every live link and answered one, and the report showed
# the reader's words as the user organisation's view.)


@pytest.mark.parametrize("persona", ["reader", "adviser", "administrator"])
def test_only_the_municipality_editors_see_the_live_links(client_for, invitation, persona):
    url = reverse("factors:invitations", args=[invitation.analysis_id])
    response = client_for(persona).get(url)
    assert response.status_code == 200
    assert "Leieboerforeningen" in response.text
    assert invitation.token not in response.text
    assert invitation.token in client_for("planner").get(url).text


@pytest.mark.parametrize(
    "persona",
    ["planner", "reader", "adviser", "administrator", "outside_adviser", "other_planner"],
)
def test_nobody_logged_in_answers_as_the_user_organisation(client_for, invitation, persona):
    client = client_for(persona)
    response = client.get(answer_url(invitation))
    assert response.status_code == 403
    assert "logget inn" in response.text
    assert client.post(answer_url(invitation), full_answer()).status_code == 403
    assert not UserOrganisationInput.objects.exists()
    # The link still works for the organisation.
    client.logout()
    assert client.post(answer_url(invitation), full_answer()).status_code == 200
    assert UserOrganisationInput.objects.count() == 1
