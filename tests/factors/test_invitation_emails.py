"""A user organisation's invitation sent from the app: the link and its expiry date by
e-mail, in the municipality's language form, and a reminder before it expires (the reminder:
tests/notifications/test_reminders.py)."""

import pytest
from django.urls import reverse

from factors.models import Invitation
from outbox.sender import send_due_messages

pytestmark = pytest.mark.django_db


def test_the_planner_sends_the_invitation_to_the_organisations_address(
    client_for, analysis, mailoutbox
):
    client = client_for("planner")
    url = reverse("factors:invitations", args=[analysis.pk])
    response = client.post(
        url,
        {
            "organisation_name": "Leieboerforeningen",
            "valid_days": 14,
            "email": "post@lbf.example.test",
        },
        follow=True,
    )
    assert "er på vei til post@lbf.example.test" in response.text
    invitation = Invitation.objects.get()
    assert invitation.email == "post@lbf.example.test"
    assert "Sendt til post@lbf.example.test" in response.text
    send_due_messages()
    [mail] = mailoutbox
    assert mail.to == ["post@lbf.example.test"]
    assert mail.subject == "Fauske ber om deres syn på det boligsosiale arbeidet"
    assert f"/faktorer/innspill/{invitation.token}/" in mail.body
    expires = invitation.expires_at.astimezone().strftime("%Y")
    assert "til og med" in mail.body and expires in mail.body
    assert "planner" in mail.body  # whom to ask


def test_without_an_address_nothing_is_sent(client_for, analysis, mailoutbox):
    client_for("planner").post(
        reverse("factors:invitations", args=[analysis.pk]),
        {"organisation_name": "Brukarforum", "valid_days": 14},
    )
    send_due_messages()
    assert Invitation.objects.count() == 1 and mailoutbox == []
