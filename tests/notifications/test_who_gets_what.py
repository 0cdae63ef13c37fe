"""Who gets which message, through the outbox and a real SMTP server on loopback: the right
people, in their language, with a link to the exact page, once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from analysis.models import AnalysisStatus, Unit
from analysis.services import review, structures, workflow
from notifications.models import Kind, OptOut
from notifications.services import unsubscribe_token
from outbox.models import OutgoingMessage
from outbox.sender import send_due_messages
from tests.factories import open_year
from tests.factors.test_assessments_history_and_submit import fill_everything
from tests.notifications.conftest import colleague

pytestmark = pytest.mark.django_db


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def send_twice() -> None:
    send_due_messages()
    send_due_messages()


def test_a_submitted_analysis_reaches_the_regions_advisers_once(
    smtp_server, analysis, planner, with_emails
):
    fill_everything(analysis, planner)
    analysis.status = AnalysisStatus.IN_PROGRESS
    analysis.save()
    workflow.submit_analysis(analysis=analysis, by=planner)
    send_twice()
    assert [r.to for r in smtp_server.received] == [["adviser@example.test"]]
    got = smtp_server.received[0]
    assert got.subject == "Fauske har sendt inn foranalysen"
    assert link("analysis:review", analysis.pk) in got.text
    assert f'href="{link("analysis:review", analysis.pk)}"' in got.html
    # On one line, as a plain URL a mail program can act on (not folded into encoded words).
    assert f"\nList-Unsubscribe: <{settings.SITE_URL}/varsler/avmeld/".encode() in got.raw
    assert got.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_send_back_reaches_the_editors_each_in_their_own_language(
    smtp_server, analysis, adviser, with_emails
):
    colleague("nora", "nora@example.test", number="1841", language="nn")
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.send_back_analysis(analysis=analysis, by=adviser, message="Se på faktor 3.")
    send_twice()
    assert sorted(r.to[0] for r in smtp_server.received) == [
        "nora@example.test",
        "planner@example.test",
    ]  # not the reader, not the adviser who sent it back
    [bokmaal] = smtp_server.to("planner@example.test")
    [nynorsk] = smtp_server.to("nora@example.test")
    assert bokmaal.subject == "Foranalysen for Fauske ble sendt tilbake"
    assert nynorsk.subject == "Foranalysen for Fauske vart send tilbake"
    assert "Se på faktor 3." in nynorsk.text
    assert link("analysis:review", analysis.pk) in nynorsk.text


def test_a_new_round_reaches_every_municipalitys_editors_in_the_municipalitys_language_form(
    smtp_server, round_, with_emails
):
    colleague("tora", "tora@time.example.test", number="1121")  # Time: nynorsk
    colleague("eng", "eng@example.test", number="1841", language="en")
    colleague("lise", "lise@example.test", number="1841", role="reader")
    round_2027 = open_year(2027)
    send_twice()
    assert sorted(r.to[0] for r in smtp_server.received) == [
        "eng@example.test",
        "other_planner@example.test",
        "planner@example.test",
        "tora@time.example.test",
    ]
    assert smtp_server.to("planner@example.test")[0].subject == "Foranalyse 2027 er åpen"
    assert smtp_server.to("tora@time.example.test")[0].subject == "Foranalyse 2027 er open"
    assert smtp_server.to("eng@example.test")[0].subject == "Foranalyse 2027 is open"
    time_analysis = round_2027.analyses.get(municipality__number="1121")
    assert (
        link("analysis:detail", time_analysis.pk)
        in smtp_server.to("tora@time.example.test")[0].text
    )


def test_an_approval_reaches_the_editors(smtp_server, analysis, adviser, with_emails):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.approve_analysis(analysis=analysis, by=adviser, message="Godt arbeid.")
    send_twice()
    [got] = smtp_server.received
    assert got.to == ["planner@example.test"]
    assert got.subject == "Foranalysen for Fauske er godkjent"
    assert "Godt arbeid." in got.text


def test_a_comment_reaches_the_editors_and_a_reply_the_adviser_who_wrote_it(
    smtp_server, analysis, planner, adviser, with_emails
):
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    comment = review.add_comment(
        analysis=analysis, author=adviser, body="Utdyp forarbeidet.", section=section
    )
    send_twice()
    assert [r.to for r in smtp_server.received] == [["planner@example.test"]]
    assert "Utdyp forarbeidet." in smtp_server.received[0].text
    assert (
        link("analysis:review", analysis.pk) + f"#comment-{comment.pk}"
        in smtp_server.received[0].text
    )
    review.add_comment(analysis=analysis, author=planner, body="Gjort.", parent=comment)
    send_twice()
    assert [r.to for r in smtp_server.received[1:]] == [["adviser@example.test"]]
    assert smtp_server.received[1].subject == "Nytt svar på foranalysen for Fauske"


def test_an_assigned_section_reaches_the_colleague_with_a_link_to_the_section(
    smtp_server, analysis, planner, with_emails
):
    kari = colleague("kari", "kari@example.test", number="1841")
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    unit = Unit.objects.create(municipality=analysis.municipality, name="Eiendom")
    row = {"unit": unit.pk, "assignee": kari.pk, "note": ""}
    structures.save_assignments(analysis=analysis, rows={section.pk: row}, by=planner)
    # Saving again, or changing only the note, tells her nothing new.
    structures.save_assignments(
        analysis=analysis, rows={section.pk: {**row, "note": "Frist fredag"}}, by=planner
    )
    # Assigning a section to oneself sends nothing.
    other = analysis.round.questionnaire.sections.get(key="refleksjon")
    structures.save_assignments(
        analysis=analysis,
        rows={other.pk: {"unit": None, "assignee": planner.pk, "note": ""}},
        by=planner,
    )
    send_twice()
    [got] = smtp_server.received
    assert got.to == ["kari@example.test"]
    assert got.subject == f"{section.title} er tildelt deg – Fauske"
    assert link("analysis:section", analysis.pk, "forarbeid") in got.text


def test_a_kind_turned_off_from_the_messages_own_link_is_not_sent_again(
    client, smtp_server, analysis, adviser, planner, with_emails
):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(planner, Kind.APPROVED)])
    page = client.get(url)  # no login needed
    assert page.status_code == 200 and "Godkjent" not in page.text
    assert client.post(url).status_code == 200
    assert OptOut.objects.filter(user=planner, kind=Kind.APPROVED).exists()
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    workflow.approve_analysis(analysis=analysis, by=adviser)
    # Other kinds still come.
    workflow.send_back_analysis(analysis=analysis, by=adviser, message="Likevel ikke.")
    send_twice()
    assert [r.subject for r in smtp_server.received] == ["Foranalysen for Fauske ble sendt tilbake"]


def test_a_forged_unsubscribe_link_is_refused(client, planner):
    token = unsubscribe_token(planner, Kind.APPROVED)
    assert client.post(reverse("notifications:unsubscribe", args=[token + "x"])).status_code == 400
    assert not OptOut.objects.exists()


def test_no_message_is_recorded_for_a_change_that_is_rolled_back(analysis, adviser, with_emails):
    analysis.status = AnalysisStatus.SUBMITTED
    analysis.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.approve_analysis(analysis=analysis, by=adviser)
        assert OutgoingMessage.objects.count() == 1
        raise RuntimeError("the request failed later")
    assert OutgoingMessage.objects.count() == 0


def test_a_refused_change_records_no_message(analysis, adviser, with_emails):
    with pytest.raises(ValidationError):
        workflow.approve_analysis(analysis=analysis, by=adviser)  # not submitted
    assert OutgoingMessage.objects.count() == 0


def test_the_settings_page_turns_kinds_off_and_on_and_sets_the_language(client_for, planner):
    client = client_for("planner")
    page = client.get(reverse("notifications:settings"))
    assert "Påminnelser før en runde stenger" in page.text
    assert "En kommune i min region sender inn" not in page.text  # advisers only
    assert "Et tiltak jeg er ansvarlig for, har passert fristen" in page.text
    data = {"language": "nn", "kind_assigned": "on", "kind_comment": "on"}
    assert client.post(reverse("notifications:settings"), data).status_code == 302
    assert set(OptOut.objects.filter(user=planner).values_list("kind", flat=True)) == {
        Kind.SENT_BACK,
        Kind.APPROVED,
        Kind.ROUND_OPENED,
        Kind.REMINDER,
        Kind.MEASURE_OVERDUE,
    }
    assert planner.profile.language == "nn"
    client.post(reverse("notifications:settings"), {**data, "kind_reminder": "on"})
    assert not OptOut.objects.filter(user=planner, kind=Kind.REMINDER).exists()
