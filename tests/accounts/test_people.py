"""A municipality's administrator and an office's advisers bring in their own colleagues:
invitations by e-mail (single use, expiring), roles changed and removed, never more than
they have themselves."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AuditAction, AuditEvent, Membership, Role, UserInvitation
from outbox.models import OutgoingMessage
from outbox.sender import send_due_messages
from reference.models import Municipality, Region

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Boligplan-2026-er-lang"


@pytest.fixture
def municipality_admin(planner):
    Membership.objects.filter(user=planner).update(is_municipality_admin=True)
    return planner


def people_url(number="1841"):
    return reverse("accounts:municipality_people", args=[number])


def invite_link(mailoutbox) -> str:
    send_due_messages()
    return re.search(r"https?://\S+(/invitasjon/\S+/)", mailoutbox[-1].body).group(1)


def test_an_administrator_invites_a_colleague_who_sets_a_password_and_sees_the_municipality(
    client_for, client, municipality_admin, analysis, mailoutbox
):
    response = client_for("planner").post(
        people_url(), {"email": "Kari.Nordmann@fauske.example.test", "role": "editor"}
    )
    assert response.status_code == 302
    link = invite_link(mailoutbox)
    mail = mailoutbox[-1]
    assert mail.to == ["Kari.Nordmann@fauske.example.test"]
    assert mail.subject == "Du er invitert til Boligsosial oversikt – 1841 Fauske"
    assert "redaktør" in mail.body and "lenken virker én gang" in mail.body.lower()
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Velg et passord" in page.text
    response = client.post(
        link,
        {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == analysis.get_absolute_url()
    assert "Fauske" in response.text
    kari = User.objects.get(username="kari.nordmann@fauske.example.test")
    assert kari.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=kari).role == Role.EDITOR
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_GRANTED, actor=kari).exists()
    # The link worked once.
    client.logout()
    assert client.get(link).status_code == 410


def test_an_expired_invitation_is_refused(client, municipality_admin, mailoutbox):
    services.invite(
        by=municipality_admin,
        email="sen@example.test",
        role=Role.READER,
        municipality=Municipality.objects.get(number="1841"),
    )
    link = invite_link(mailoutbox)
    now = timezone.now()
    UserInvitation.objects.update(
        created_at=now - datetime.timedelta(days=15), expires_at=now - datetime.timedelta(minutes=1)
    )
    data = {
        "first_name": "S",
        "last_name": "S",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    assert client.get(link).status_code == 410
    assert client.post(link, data).status_code == 410
    assert not User.objects.filter(email="sen@example.test").exists()


def test_a_used_invitation_is_refused_the_second_time(client, municipality_admin, mailoutbox):
    services.invite(
        by=municipality_admin,
        email="en@example.test",
        role=Role.READER,
        municipality=Municipality.objects.get(number="1841"),
    )
    link = invite_link(mailoutbox)
    data = {
        "first_name": "E",
        "last_name": "N",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    assert client.post(link, data).status_code == 302
    client.logout()
    assert client.post(link, {**data, "first_name": "Igjen"}).status_code == 410
    assert User.objects.filter(email="en@example.test").count() == 1


def test_a_forged_or_revoked_or_replaced_link_is_refused(
    client, client_for, municipality_admin, mailoutbox
):
    assert client.get(reverse("accounts:invitation", args=["gjettet-token-123"])).status_code == 410
    fauske = Municipality.objects.get(number="1841")
    invitation = services.invite(
        by=municipality_admin, email="x@example.test", role=Role.READER, municipality=fauske
    )
    first = invite_link(mailoutbox)
    services.send_again(invitation=invitation, by=municipality_admin)
    second = invite_link(mailoutbox)
    assert first != second
    assert client.get(first).status_code == 410  # a new link replaces the old one
    assert client.get(second).status_code == 200
    client_for("planner").post(
        reverse("accounts:invitation_change", args=[invitation.pk]), {"action": "revoke"}
    )
    client.logout()
    assert client.get(second).status_code == 410


def test_nobody_grants_more_than_they_have(client_for, municipality_admin, adviser, other_planner):
    fauske = Municipality.objects.get(number="1841")
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    # A municipality's administrator cannot make an adviser, neither by a forged form...
    response = client_for("planner").post(
        people_url(), {"email": "a@example.test", "role": "adviser"}
    )
    assert response.status_code == 400
    # ...nor through the service, nor in another municipality.
    with pytest.raises(PermissionDenied):
        services.invite(
            by=municipality_admin, email="a@example.test", role=Role.ADVISER, region=nordland
        )
    assert (
        client_for("planner")
        .post(people_url("1824"), {"email": "a@example.test", "role": "editor"})
        .status_code
        == 404
    )
    # A plain editor manages nobody, not even in their own municipality.
    assert client_for("other_planner").get(people_url("1824")).status_code == 403
    assert (
        client_for("other_planner")
        .post(people_url("1824"), {"email": "a@example.test", "role": "reader"})
        .status_code
        == 403
    )
    # An adviser gives no role in a municipality, only adviser in the office.
    with pytest.raises(PermissionDenied):
        services.invite(by=adviser, email="a@example.test", role=Role.EDITOR, municipality=fauske)
    with pytest.raises(PermissionDenied):
        services.invite(
            by=adviser,
            email="a@example.test",
            role=Role.READER,
            municipality=fauske,
        )
    assert client_for("adviser").get(people_url()).status_code == 403
    response = client_for("adviser").post(
        reverse("accounts:region_people", args=[nordland.pk]),
        {"email": "a@example.test", "role": "editor"},
    )
    assert response.status_code == 400
    # The administrator flag goes only with the editor role.
    response = client_for("planner").post(
        people_url(), {"email": "a@example.test", "role": "reader", "make_municipality_admin": "on"}
    )
    assert response.status_code == 400
    assert not UserInvitation.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_an_adviser_invites_a_colleague_to_the_office(client_for, adviser, mailoutbox, client):
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    response = client_for("adviser").post(
        reverse("accounts:region_people", args=[nordland.pk]),
        {"email": "ny.radgiver@sf.example.test", "role": "adviser"},
    )
    assert response.status_code == 302
    link = invite_link(mailoutbox)
    client.logout()
    data = {
        "first_name": "Ny",
        "last_name": "R",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    assert client.post(link, data).status_code == 302
    assert Membership.objects.get(user__email="ny.radgiver@sf.example.test").region == nordland


def test_someone_with_an_account_logs_in_and_accepts_and_only_with_the_invited_address(
    client, municipality_admin, other_planner, mailoutbox
):
    other_planner.email = "vera@example.test"
    other_planner.save()
    fauske = Municipality.objects.get(number="1841")
    services.invite(
        by=municipality_admin, email="VERA@example.test", role=Role.READER, municipality=fauske
    )
    link = invite_link(mailoutbox)
    page = client.get(link)
    assert "Logg inn for å ta imot invitasjonen" in page.text
    client.force_login(municipality_admin)  # the wrong person
    assert client.post(link).status_code == 403
    client.force_login(other_planner)
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=other_planner, municipality=fauske).role == Role.READER


def test_roles_are_changed_and_removed_and_recorded_but_never_ones_own(
    client_for, municipality_admin, reader
):
    client = client_for("planner")
    membership = Membership.objects.get(user=reader)
    response = client.post(
        reverse("accounts:membership_change", args=[membership.pk]),
        {f"m{membership.pk}-role": "editor", f"m{membership.pk}-is_municipality_admin": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.is_municipality_admin) == (Role.EDITOR, True)
    change = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert change.actor == municipality_admin and change.details["from"]["role"] == "reader"
    own = Membership.objects.get(user=municipality_admin)
    client.post(reverse("accounts:membership_change", args=[own.pk]), {f"m{own.pk}-role": "reader"})
    client.post(reverse("accounts:membership_change", args=[own.pk]), {"action": "remove"})
    own.refresh_from_db()
    assert (own.role, own.is_municipality_admin) == (Role.EDITOR, True)
    client.post(reverse("accounts:membership_change", args=[membership.pk]), {"action": "remove"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_REMOVED, target="reader").exists()


def test_the_people_page_lists_who_has_access_and_open_invitations(
    client_for, municipality_admin, reader, django_assert_max_num_queries
):
    fauske = Municipality.objects.get(number="1841")
    services.invite(
        by=municipality_admin, email="ventende@example.test", role=Role.READER, municipality=fauske
    )
    client = client_for("planner")
    client.get(people_url())
    with django_assert_max_num_queries(14):
        page = client.get(people_url())
    assert "ventende@example.test" in page.text and "reader" in page.text
    for n in range(10):
        User.objects.create(username=f"u{n}").memberships.create(
            role=Role.READER, municipality=fauske
        )
        services.invite(
            by=municipality_admin, email=f"v{n}@example.test", role=Role.READER, municipality=fauske
        )
    with django_assert_max_num_queries(14):
        client.get(people_url())
