# ruff: noqa: E501 -- the matrix is a table, one row per line, so a new view is one line.
"""The access matrix: every URL of the project, every persona, the status DESIGN.md promises.

Planners reach only their own municipality; readers read it (a write they try gets 403, since
they can see the thing); advisers read every municipality in their region, comment and
approve, and change no answers; administrators read everything and manage reference data;
anything out of a user's reach is 404, so nobody can tell "missing" from "forbidden";
anonymous visitors are sent to the login page, except for the health check and the
invitation form.

`test_every_url_has_a_row_in_the_matrix` walks the URL configuration, so a new view without
a row fails the suite. Adding a row is one line in ROWS: the URL name, the world's
attributes that build its arguments, and the expected status per persona (start from one of
the presets and override what differs). A write a persona may not make must change nothing:
give `state`, a function of the world whose value the forbidden requests must leave alone
(and, with changes=True, that the allowed request does change).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as people
from accounts.models import Membership, Role, UserInvitation
from analysis import merge
from analysis.forms.structures import AllocationRowForm, CooperationBodyForm
from analysis.models import (
    AllocationPractice,
    Analysis,
    Answer,
    CooperationBody,
    InternalNote,
    Project,
    Responsibility,
    ReviewComment,
    Revision,
    RevisionKind,
    Round,
    SectionAssignment,
    Unit,
)
from analysis.services import structures
from factors.models import FactorAssessment, Invitation, UserOrganisationInput
from factors.services import invitations
from jobs.models import Job, JobStatus
from keyfigures.models import IndicatorValue, LocalFigure
from notifications.models import Kind, OptOut
from notifications.services import unsubscribe_token
from outbox.models import OutgoingMessage
from plans.models import DecisionProposal, Measure
from reference.models import Instrument, Question, Region, SuccessFactor, TaskArea
from reports.management.commands.load_recommendation_rules import load_recommendation_rules
from reports.models import ArchivedReport
from tests import module_data

pytestmark = pytest.mark.django_db

PERSONAS = [
    "planner",
    "reader",
    "adviser",
    "outside_adviser",
    "other_planner",
    "administrator",
    "anonymous",
]
LOGIN = "login"  # a redirect to the login page; a plain 302 must go anywhere else


def expect(**statuses) -> dict[str, int | str]:
    """Everyone 404 and anonymous to the login page, unless named."""
    return {**{p: 404 for p in PERSONAS}, "anonymous": LOGIN, **statuses}


READ = expect(planner=200, reader=200, adviser=200, administrator=200)
# A write on the municipality's own analysis: only its editors; those who can see it get 403.
WRITE = expect(planner=302, reader=403, adviser=403, administrator=403)
# A write that names a row of another municipality through the planner's own analysis.
FOREIGN_ROW = {**WRITE, "planner": 404}
REVIEW = expect(adviser=302, planner=403, reader=403, administrator=403)
REGION = expect(adviser=200, administrator=200)
ADMIN = expect(administrator=200)
SIGNED_IN = expect(**{p: 200 for p in PERSONAS if p != "anonymous"})
EVERYONE = {p: 200 for p in PERSONAS}
# The municipality's people: its administrators (the planner has the flag here) and system
# administrators; those who see the municipality but do not manage it get 403.
PEOPLE = expect(planner=200, administrator=200, reader=403, adviser=403)
PEOPLE_WRITE = expect(planner=302, administrator=302, reader=403, adviser=403)
# A user organisation's invitation link: only for someone not logged in.
ORGANISATION_ONLY = {**{p: 403 for p in PERSONAS}, "anonymous": 200}
ORGANISATION_ANSWER = {f"score_{n}": "3" for n in range(1, 7)} | {"comment": "Bra samarbeid."}
# An office's people: its advisers and system administrators.
OFFICE_WRITE = expect(adviser=302, administrator=302)


@dataclass
class Row:
    name: str
    args: str = ""  # the world's attributes, in order, that build the URL
    expect: dict = field(default_factory=lambda: READ)
    method: str = "get"
    data: dict | str = field(default_factory=dict)  # or the name of a dict in the world
    state: Callable[[SimpleNamespace], Any] | None = None
    changes: bool = False  # the allowed request changes `state`
    variant: str = ""

    @property
    def id(self) -> str:
        return "-".join(filter(None, [self.name, self.method, self.variant]))

    def data_for(self, world: SimpleNamespace) -> dict:
        return getattr(world, self.data) if isinstance(self.data, str) else self.data


def count(model, **lookup: str) -> Callable[[SimpleNamespace], int]:
    """The number of rows, filtered by the world's attributes: count(Answer, analysis="analysis")."""
    return lambda w: model.objects.filter(**{k: getattr(w, a) for k, a in lookup.items()}).count()


def value(model, attr: str, field_name: str) -> Callable[[SimpleNamespace], Any]:
    """A field of the world's object: value(Unit, "unit", "name")."""
    return lambda w: getattr(model.objects.get(pk=getattr(w, attr)), field_name)


GET, POST, CHANGES, OTHER = "get", "post", True, "other-municipality"
A = "analysis"
ANSWERS = count(Answer, analysis=A)
SCORE = value(FactorAssessment, "assessment", "score")
STATUS = value(Analysis, A, "status")

ROWS = [
    # --- Landing, health, accounts, language --------------------------------------------
    Row("home", "", expect(administrator=200, **{p: 302 for p in PERSONAS[:5]})),
    Row("healthz", "", EVERYONE),
    Row("login", "", {**{p: 302 for p in PERSONAS}, "anonymous": 200}),
    Row("logout", "", {p: LOGIN for p in PERSONAS}, POST),
    Row("password_change", "", SIGNED_IN),
    Row("password_change_done", "", SIGNED_IN),
    Row("set_language", "", {p: 302 for p in PERSONAS}, POST, {"language": "en"}),
    Row("password_reset", "", EVERYONE),
    # Throttled after a few requests for one address: the same answer, no message.
    Row("password_reset", "", {p: 302 for p in PERSONAS}, POST, {"email": "planner@example.test"}),
    Row("password_reset_done", "", EVERYONE),
    Row("password_reset_confirm", "uid reset_token", EVERYONE),
    Row("password_reset_complete", "", EVERYONE),
    Row("notifications:settings", "", SIGNED_IN),
    Row("notifications:settings", "", expect(**{p: 302 for p in PERSONAS if p != "anonymous"}), POST, {"language": "nn"}),
    # The link in a message works without logging in, for its one person and kind.
    Row("notifications:unsubscribe", "unsubscribe_token", EVERYONE),
    Row("notifications:unsubscribe", "unsubscribe_token", EVERYONE, POST, {}, count(OptOut)),
    # --- People, invitations, the audit log, single sign-on -----------------------------------
    Row("accounts:municipality_people", "number", PEOPLE),
    Row("accounts:municipality_people", "number", PEOPLE_WRITE, POST, {"email": "ny@example.test", "role": "editor"}, count(OutgoingMessage), CHANGES),
    Row("accounts:region_people", "region", REGION),
    Row("accounts:region_people", "region", OFFICE_WRITE, POST, {"email": "ny@example.test", "role": "adviser"}, count(OutgoingMessage), CHANGES),
    Row("accounts:membership_change", "reader_membership", PEOPLE_WRITE, POST, "membership_post", value(Membership, "reader_membership", "role")),
    Row("accounts:membership_change", "other_membership", {**PEOPLE_WRITE, "planner": 404, "reader": 404, "other_planner": 403}, POST, {"action": "remove"}, count(Membership, pk="other_membership"), variant=OTHER),
    Row("accounts:invitation_change", "people_invitation", PEOPLE_WRITE, POST, {"action": "resend"}, count(OutgoingMessage), CHANGES),
    Row("accounts:invitation", "invitation_token", EVERYONE),
    Row("accounts:audit_log", "", expect(adviser=200, outside_adviser=200, administrator=200)),
    # No provider is configured in the tests (tests/accounts/test_sso.py starts one).
    Row("accounts:oidc_authenticate", "provider", {p: 404 for p in PERSONAS}),
    Row("accounts:oidc_callback", "", {p: 302 for p in PERSONAS}),
    Row("accounts:sso_failed", "", {p: LOGIN for p in PERSONAS}),
    # --- The analysis and its question sections --------------------------------------------
    Row("analysis:detail", A),
    Row("analysis:section", "analysis section_key"),
    Row("analysis:section", "analysis section_key", WRITE, POST, "answer_post", ANSWERS, CHANGES),
    Row("factors:assessments", A),
    Row("factors:assessments", A, WRITE, POST, "assessment_post", SCORE, CHANGES),
    Row("factors:assessment", "analysis factor"),
    Row("factors:assessment", "analysis factor", WRITE, POST, "assessment_post", SCORE, CHANGES),
    Row("analysis:answer_history", "analysis question"),
    Row("analysis:answer_restore", "analysis question answer_revision", WRITE, POST, {}, value(Answer, "answer", "value"), CHANGES),
    Row("factors:assessment_history", "analysis factor"),
    Row("factors:assessment_restore", "analysis factor assessment_revision", WRITE, POST, {}, SCORE, CHANGES),
    Row("analysis:assignments", A),
    Row("analysis:assignments", A, WRITE, POST, "assignment_post", count(SectionAssignment), CHANGES),
    Row("analysis:submit", A, WRITE, POST, {}, STATUS),
    Row("analysis:check_answers", A),
    Row("analysis:receipt", A),
    Row("analysis:assignment_history", A),
    Row("analysis:confirm_carried", A, WRITE, POST, {"kind": "cooperation_body", "all": "1"}, value(CooperationBody, "carried_body", "carried_over"), CHANGES),
    # --- Who does what, cooperation, allocation, projects ----------------------------------
    Row("analysis:responsibility_map", A),
    Row("analysis:responsibility_map", A, WRITE, POST, "map_post", count(Responsibility), CHANGES),
    Row("analysis:map_history", A),
    Row("analysis:unit_add", A, WRITE, POST, {"name": "Helse og omsorg"}, count(Unit), CHANGES),
    Row("analysis:unit_change", "analysis unit", WRITE, POST, {"action": "rename", "name": "Bygg"}, value(Unit, "unit", "name"), CHANGES),
    Row("analysis:unit_change", "analysis other_unit", FOREIGN_ROW, POST, {"action": "rename", "name": "Bygg"}, value(Unit, "other_unit", "name"), variant=OTHER),
    Row("analysis:cooperation", A),
    Row("analysis:cooperation_add", "analysis kind", expect(planner=200, reader=403, adviser=403, administrator=403)),
    Row("analysis:cooperation_add", "analysis kind", WRITE, POST, {"name": "Boligteamet"}, count(CooperationBody), CHANGES),
    Row("analysis:cooperation_edit", "analysis kind body"),
    Row("analysis:cooperation_edit", "analysis kind other_body", expect(), variant=OTHER),
    Row("analysis:cooperation_edit", "analysis kind body", WRITE, POST, "body_post", value(CooperationBody, "body", "name"), CHANGES),
    Row("analysis:cooperation_edit", "analysis kind other_body", FOREIGN_ROW, POST, "body_post", value(CooperationBody, "other_body", "name"), variant=OTHER),
    Row("analysis:cooperation_delete", "analysis kind body", WRITE, POST, {}, count(CooperationBody), CHANGES),
    Row("analysis:cooperation_delete", "analysis kind other_body", FOREIGN_ROW, POST, {}, count(CooperationBody), variant=OTHER),
    Row("analysis:cooperation_history", A),
    Row("analysis:cooperation_row_history", "analysis kind body"),
    Row("analysis:cooperation_restore", "analysis kind body body_revision", WRITE, POST, {}, value(CooperationBody, "body", "name"), CHANGES),
    Row("analysis:cooperation_restore", "analysis kind other_body other_body_revision", FOREIGN_ROW, POST, {}, value(CooperationBody, "other_body", "name"), variant=OTHER),
    Row("analysis:allocation_history", A),
    Row("analysis:allocation", A),
    Row("analysis:allocation", A, WRITE, POST, "allocation_post", count(AllocationPractice), CHANGES),
    Row("analysis:projects", A),
    # A form for a new entry only for those who can save it (issue 15).
    Row("analysis:project_create", A, expect(planner=200, reader=403, adviser=403, administrator=403)),
    Row("analysis:project_create", A, WRITE, POST, {"name": "Bolig først", "status": "planned"}, count(Project), CHANGES),
    Row("analysis:project_edit", "analysis project"),
    Row("analysis:project_edit", "analysis other_project", expect(), variant=OTHER),
    Row("analysis:project_edit", "analysis project", WRITE, POST, {"name": "Bolig først 2", "status": "active", "version": 1}, value(Project, "project", "name"), CHANGES),
    Row("analysis:project_history", "analysis project"),
    Row("analysis:project_history", "analysis other_project", expect(), variant=OTHER),
    Row("analysis:project_restore", "analysis project project_revision", WRITE, POST, {}, value(Project, "project", "name"), CHANGES),
    Row("analysis:project_restore", "analysis other_project other_project_revision", FOREIGN_ROW, POST, {}, value(Project, "other_project", "name"), variant=OTHER),
    Row("analysis:project_end", "analysis project", WRITE, POST, {}, value(Project, "project", "status"), CHANGES),
    Row("analysis:project_end", "analysis other_project", FOREIGN_ROW, POST, {}, value(Project, "other_project", "status"), variant=OTHER),
    # --- Review, rounds, overviews, exports, key figures -------------------------------------
    Row("analysis:review", A),
    Row("analysis:comment", A, REVIEW, POST, "comment_post", count(ReviewComment), CHANGES),
    Row("analysis:resolve_comment", "analysis comment", REVIEW, POST, {}, value(ReviewComment, "comment", "resolved_at"), CHANGES),
    Row("analysis:resolve_comment", "analysis other_comment", {**REVIEW, "adviser": 404}, POST, {}, value(ReviewComment, "other_comment", "resolved_at"), variant=OTHER),
    # The office's internal notes: its advisers and administrators, never the municipality.
    Row("analysis:internal_note", A, {**REVIEW, "administrator": 302}, POST, {"body": "Bare for embetet."}, count(InternalNote), CHANGES),
    Row("analysis:decision", A, REVIEW, POST, {"decision": "send_back", "message": "Mangler svar."}, STATUS),
    Row("analysis:start_from_previous", A, WRITE, POST, {}, ANSWERS),
    Row("reports:answers_export", A),
    Row("analysis:rounds", "", ADMIN),
    Row("analysis:rounds", "", {**ADMIN, "administrator": 302}, POST, "round_post", count(Round), CHANGES),
    Row("overview:region", "region", REGION),
    Row("overview:region_export", "region fmt", REGION),
    Row("overview:region_profile", "region", REGION),
    Row("overview:region_measures", "region", REGION),
    Row("overview:work_queue", "region", REGION),
    Row("overview:national", "", ADMIN),
    Row("overview:national_export", "fmt", ADMIN),
    Row("analysis:key_figures", A),
    Row("analysis:local_figure_add", A, WRITE, POST, "local_figure_post", count(LocalFigure), CHANGES),
    Row("analysis:local_figure_remove", "analysis local_figure", WRITE, POST, {}, count(LocalFigure), CHANGES),
    Row("analysis:local_figure_remove", "analysis other_local_figure", FOREIGN_ROW, POST, {}, count(LocalFigure), variant=OTHER),
    Row("keyfigures:indicator_upload", "", ADMIN),
    # An empty upload is refused as a form error (400) for the administrator; nothing written.
    Row("keyfigures:indicator_upload", "", {**ADMIN, "administrator": 400}, POST, {}, count(IndicatorValue)),
    Row("keyfigures:indicator_import_progress", "import_id", ADMIN),
    # The fetch from SSB starts a background job (here SSB is out of reach: it fails at once).
    Row("keyfigures:indicator_fetch", "", expect(administrator=302), POST, {}, count(Job), CHANGES),
    # --- User organisations' invitations ---------------------------------------------------
    Row("factors:invitations", A),
    Row("factors:invitations", A, WRITE, POST, {"organisation_name": "Leieboerforeningen", "valid_days": 30}, count(Invitation), CHANGES),
    Row("factors:invitation_revoke", "analysis invitation", WRITE, POST, {}, value(Invitation, "invitation", "revoked_at"), CHANGES),
    Row("factors:invitation_revoke", "analysis other_invitation", FOREIGN_ROW, POST, {}, value(Invitation, "other_invitation", "revoked_at"), variant=OTHER),
    # The list shows live links to the editors only (tests/factors/test_invitations.py). The
    # organisation answers without an account: nobody logged in may answer in its name.
    Row("factors:invitation_answer", "token", ORGANISATION_ONLY),
    Row("factors:invitation_answer", "token", ORGANISATION_ONLY, POST, ORGANISATION_ANSWER, count(UserOrganisationInput), CHANGES),
    # --- The action plan: editors write; readers and the region's advisers read ---------------
    Row("plans:measures", A),
    Row("plans:measure_create", A),
    Row("plans:measure_create", A, WRITE, POST, {"title": "Boligplan", "priority": 1}, count(Measure), CHANGES),
    Row("plans:measure_edit", "analysis measure"),
    Row("plans:measure_edit", "analysis other_measure", expect(), variant=OTHER),
    Row("plans:measure_edit", "analysis measure", WRITE, POST, {"title": "Boligplan 2", "priority": 2, "version": 1}, value(Measure, "measure", "title"), CHANGES),
    Row("plans:measure_edit", "analysis other_measure", FOREIGN_ROW, POST, {"title": "Kapret", "priority": 2}, value(Measure, "other_measure", "title"), variant=OTHER),
    Row("plans:measure_status", "analysis measure"),
    Row("plans:measure_status", "analysis other_measure", expect(), variant=OTHER),
    Row("plans:measure_status", "analysis measure", WRITE, POST, {"status": "started", "note": "I gang", "version": 1}, value(Measure, "measure", "status"), CHANGES),
    Row("plans:measure_status", "analysis other_measure", FOREIGN_ROW, POST, {"status": "done", "note": "Kapret"}, value(Measure, "other_measure", "status"), variant=OTHER),
    # The proposed decision is an editor's page: readers and advisers read it in the report.
    Row("plans:decision_proposal", A, expect(planner=200, reader=403, adviser=403, administrator=403)),
    Row("plans:decision_proposal", A, WRITE, POST, {"text": "1. Kommunestyret tar saken til orientering.", "version": "0"}, count(DecisionProposal), CHANGES),
    Row("reports:measure_from_recommendation", "analysis rule_key", WRITE, POST, {}, count(Measure), CHANGES),
    Row("reports:measure_from_recommendation", "other_analysis rule_key", expect(other_planner=302, outside_adviser=404, adviser=403, administrator=403), POST, {}, count(Measure, municipality="vefsn"), variant=OTHER),
    # --- Reports ------------------------------------------------------------------------------
    Row("reports:report", A),
    Row("reports:pdf", A),
    Row("reports:archive", A, WRITE, POST, {}, count(ArchivedReport), CHANGES),
    Row("reports:archive_list", A),
    Row("reports:archived_download", "archived"),
    # The region's zip is made in the background: starting it leads to the job's page.
    Row("reports:region_zip", "region year", expect(adviser=302, administrator=302), POST, {}, count(Job), CHANGES),
    # --- Background jobs: only the person who started one sees it ------------------------------
    Row("jobs:detail", "job", expect(adviser=200)),
    Row("jobs:progress", "job", expect(adviser=200)),
    Row("jobs:download", "job", expect(adviser=200)),
    Row("reports:for_round", "number year", expect(planner=302, reader=302, adviser=302, administrator=302)),
]  # fmt: skip


# --- The world every row's arguments come from -------------------------------------------------


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and the personas, made once for the module's many tests (each test's own
    changes are rolled back before the next, tests/module_data.py)."""
    media = tmp_path_factory.mktemp("media")
    with module_data.made_once(django_db_blocker, media):
        usual = module_data.usual_world()
        people = module_data.personas()
        world = make_world(
            Analysis.objects.get(pk=usual.analysis),
            Analysis.objects.get(pk=usual.other_analysis),
            **{name: people[name] for name in ("planner", "reader", "other_planner", "adviser")},
        )
        yield SimpleNamespace(world=world, media=media)


@pytest.fixture
def world(made_once, db, settings, tmp_path) -> SimpleNamespace:
    module_data.own_media(settings, made_once.media, tmp_path)
    return copy.deepcopy(made_once.world)


@pytest.fixture
def personas(made_once, db) -> dict[str, User | None]:
    """The personas made once (conftest.py's fixtures would make them again)."""
    return module_data.personas()


def make_world(analysis, other_analysis, *, planner, reader, other_planner, adviser):
    load_recommendation_rules()
    fauske, vefsn = analysis.municipality, other_analysis.municipality
    # The planner administers Fauske's people; the other planner is a plain editor in Vefsn.
    Membership.objects.filter(user=planner).update(is_municipality_admin=True)
    User.objects.filter(pk=planner.pk).update(email="planner@example.test")
    question = Question.objects.get(section__questionnaire__edition=1, key="oppgaver")
    answer = Answer.objects.create(analysis=analysis, question=question, value="Andre utkast")
    answer_revision = Revision.objects.create(
        analysis=analysis, kind=RevisionKind.ANSWER, answer=answer, new_value="Første utkast"
    )
    factor = SuccessFactor.objects.get(number=1)
    assessment = FactorAssessment.objects.create(analysis=analysis, factor=factor, score=3)
    assessment_revision = Revision.objects.create(
        analysis=analysis,
        kind=RevisionKind.ASSESSMENT,
        object_id=assessment.pk,
        new_value={"score": 2},
    )
    unit = Unit.objects.create(municipality=fauske, name="Eiendom")
    body = CooperationBody.objects.create(analysis=analysis, name="Boligforum")
    other_body = CooperationBody.objects.create(analysis=other_analysis, name="Vefsn-forum")
    carried_body = CooperationBody.objects.create(
        analysis=analysis, name="Videreført forum", carried_over=True
    )
    project = Project.objects.create(municipality=fauske, name="Housing First")
    other_project = Project.objects.create(municipality=vefsn, name="Vefsn-prosjektet")
    measure = Measure.objects.create(municipality=fauske, planned_in=analysis.round, title="Plan")
    other_measure = Measure.objects.create(
        municipality=vefsn, planned_in=other_analysis.round, title="Vefsn-tiltaket"
    )

    def earlier(a, kind, row, **values):
        # A revision whose values a restore brings back (a name that differs from today's).
        return Revision.objects.create(
            analysis=a, kind=kind, object_id=row.pk, label=row.name, new_value=values
        ).pk

    archived = ArchivedReport.objects.create(
        analysis=analysis,
        file=ContentFile(b"%PDF-1.7 arkivert", name="fauske.pdf"),
        sha256="0" * 64,
        size=17,
        analysis_version=analysis.version,
    )
    invitation = invitations.create_invitation(
        analysis=analysis, organisation_name="Brukarforum", by=planner
    )
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    comment, other_comment = (
        ReviewComment.objects.create(analysis=a, section=section, body="Utdyp forarbeidet.")
        for a in (analysis, other_analysis)
    )
    area, instrument = TaskArea.objects.get(key="tildeling"), Instrument.objects.get(key="startlan")
    job = Job.objects.create(
        kind="region_reports", owner=adviser, title="Rapporter", status=JobStatus.DONE
    )
    job.result.save("foranalyser.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    job.result_name = "foranalyser.zip"
    job.save()
    local = {"year": 2024, "value": 12, "unit": "count", "source": "Boligkontoret"}
    return SimpleNamespace(
        local_figure=LocalFigure.objects.create(
            municipality=fauske, name="Bostedsløse", **local
        ).pk,
        other_local_figure=LocalFigure.objects.create(
            municipality=vefsn, name="Bostedsløse", **local
        ).pk,
        local_figure_post={**local, "name": "Søknader om kommunal bolig"},
        job=job.pk,
        # What the allowed request sends: valid, so that it really changes something.
        answer_post={"q-eksisterende-planer": "Boligplan 2024", "v-eksisterende-planer": 0},
        assessment_post={"f1-score": 4, "f1-status": "Bedre", "f1-version": assessment.version},
        assignment_post={
            **{
                f"s{s.pk}-base": merge.encode_base(structures.assignment_values(None))
                for s in analysis.round.questionnaire.sections.all()
            },
            f"s{section.pk}-note": "Plan og eiendom tar denne",
        },
        # Each merged form sends the fingerprints of the values it was loaded with.
        map_post={
            "base": merge.encode_base({structures.cell_key(area.pk, unit.pk): ""}),
            f"cell-{area.pk}-{unit.pk}": "responsible",
        },
        allocation_post={
            **{
                f"i{i.pk}-base": AllocationRowForm(
                    prefix=f"i{i.pk}",
                    initial={**structures.allocation_values(None), "criteria_written": ""},
                ).initial["base"]
                for i in Instrument.objects.all()
            },
            f"i{instrument.pk}-decided_by": "Tildelingsteamet",
        },
        body_post={
            "name": "Boligforum (nytt navn)",
            "base": CooperationBodyForm(instance=body).initial["base"],
        },
        comment_post={"body": "Beskriv samarbeidet med NAV.", "target": f"section:{section.pk}"},
        round_post={
            "year": 2027,
            "title": "Foranalyse 2027",
            "questionnaire": analysis.round.questionnaire_id,
            "opens_on": "2027-01-01",
            "closes_on": "2027-12-31",
        },
        # The URLs' arguments.
        analysis=analysis.pk,
        section_key="forarbeid",
        question=question.pk,
        answer=answer.pk,
        answer_revision=answer_revision.pk,
        factor=factor.number,
        assessment=assessment.pk,
        assessment_revision=assessment_revision.pk,
        unit=unit.pk,
        other_unit=Unit.objects.create(municipality=vefsn, name="Vefsn eiendom").pk,
        kind="organ",
        body=body.pk,
        other_body=other_body.pk,
        project=project.pk,
        other_project=other_project.pk,
        measure=measure.pk,
        other_measure=other_measure.pk,
        # A rule that applies to an empty analysis (nothing said about the planning strategy).
        rule_key="planstrategi",
        other_analysis=other_analysis.pk,
        vefsn=vefsn.pk,
        carried_body=carried_body.pk,
        body_revision=earlier(analysis, RevisionKind.COOPERATION_BODY, body, name="Boligråd"),
        other_body_revision=earlier(
            other_analysis, RevisionKind.COOPERATION_BODY, other_body, name="Vefsn-råd"
        ),
        project_revision=earlier(
            analysis, RevisionKind.PROJECT, project, name="Bolig først", status="active"
        ),
        other_project_revision=earlier(
            other_analysis, RevisionKind.PROJECT, other_project, name="Vefsn 2", status="active"
        ),
        invitation=invitation.pk,
        other_invitation=invitations.create_invitation(
            analysis=other_analysis, organisation_name="Vefsn brukarråd", by=other_planner
        ).pk,
        token=invitation.token,
        archived=archived.pk,
        comment=comment.pk,
        other_comment=other_comment.pk,
        region=Region.objects.get(name="Statsforvalteren i Nordland").pk,
        year=analysis.round.year,
        number=fauske.number,
        fmt="csv",
        import_id="0b6f3c52-3f43-4f5e-9d55-6d1c2a7e9a10",
        uid="MQ",
        reset_token="abc-0123456789abcdef",
        unsubscribe_token=unsubscribe_token(planner, Kind.COMMENT),
        reader_membership=Membership.objects.get(user=reader).pk,
        other_membership=Membership.objects.get(user=other_planner).pk,
        membership_post={f"m{Membership.objects.get(user=reader).pk}-role": "editor"},
        people_invitation=people.invite(
            by=planner, email="kollega@example.test", role=Role.READER, municipality=fauske
        ).pk,
        invitation_token=_invitation_token(planner, fauske),
        provider="entra",
    )


def _invitation_token(planner, fauske) -> str:
    """A usable link (the e-mail carries the token; the table keeps only its hash)."""
    invitation = people.invite(
        by=planner, email="lenke@example.test", role=Role.EDITOR, municipality=fauske
    )
    token = "matrix-invitation-token"
    UserInvitation.objects.filter(pk=invitation.pk).update(token_hash=people.hash_token(token))
    return token


def is_success(status) -> bool:
    return status != LOGIN and status < 400


def url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("admin/", "static/", "media/")):
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_has_a_row_in_the_matrix():
    in_matrix = {row.name for row in ROWS}
    assert sorted(url_names() - in_matrix) == [], "views without a row in the access matrix"
    assert sorted(in_matrix - url_names()) == [], "rows for URLs that no longer exist"


def test_every_row_covers_every_persona():
    for row in ROWS:
        assert sorted(row.expect) == sorted(PERSONAS), row.id


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_each_persona_gets_what_the_design_says(row, world, client_for):
    url = reverse(row.name, args=[getattr(world, a) for a in row.args.split()])
    login = reverse("login")
    wrong = {}
    # Refusals first: the allowed request may change what the others would find.
    for persona in sorted(PERSONAS, key=lambda p: is_success(row.expect[p])):
        expected = row.expect[persona]
        before = row.state(world) if row.state else None
        request = getattr(client_for(persona), row.method)
        response = request(url, row.data_for(world))
        got = response.status_code
        to_login = got == 302 and response["Location"].startswith(login)
        if expected == LOGIN and not to_login:
            wrong[persona] = (LOGIN, got, response.get("Location"))
        elif expected != LOGIN and (got != expected or to_login):
            wrong[persona] = (expected, got, response.get("Location"))
        if row.state:
            after = row.state(world)
            if not is_success(expected) and after != before:
                wrong[persona] = ("unchanged", before, after)
            if is_success(expected) and row.changes and after == before:
                wrong[persona] = ("changed", before, after)
    assert wrong == {}, f"{row.method.upper()} {url}"
