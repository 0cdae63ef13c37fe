"""Demo data: a current round, four partly filled analyses for the Nordland municipalities
of the Statsforvalteren i Nordland project (Sortland, Fauske, Vågan, Vefsn), and demo users.

Every answer here is invented for demonstration; the analyses are flagged `is_demo`, and
every page that shows them says so.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.models import (
    ActorKind,
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    ExternalActor,
    FundingSource,
    Instrument,
    Membership,
    Municipality,
    Project,
    ProjectStatus,
    Question,
    Questionnaire,
    Region,
    Responsibility,
    ResponsibilityRole,
    Role,
    Round,
    TargetGroup,
    TaskArea,
    Unit,
)
from analysis.services.rounds import open_round
from factors.models import FactorAssessment, SuccessFactor

DEMO_MUNICIPALITIES = {
    # number: (factor scores 1–6, how far the demo analysis has come)
    "1841": ([2, 2, 3, 2, 3, 1], AnalysisStatus.IN_PROGRESS),  # Fauske
    "1870": ([4, 3, 3, 4, 3, 2], AnalysisStatus.SUBMITTED),  # Sortland
    "1865": ([3, 4, 2, 3, 3, 3], AnalysisStatus.IN_PROGRESS),  # Vågan
    "1824": ([3, 4, 4, 3, 2, 2], AnalysisStatus.APPROVED),  # Vefsn
}

DEMO_UNITS = [
    "NAV-kontoret",
    "Helse og omsorg",
    "Eiendom",
    "Plan og utvikling",
    "Flyktningtjenesten",
]

DEMO_ANSWERS = {
    "eksisterende-planer": "Kommuneplanens samfunnsdel (demo) nevner boligbehov kort. "
    "En temaplan for helse og omsorg har et eget kapittel om boliger.",
    "boligpolitisk-plan": "no",
    "operative-mal": "no",
    "planstrategi": "yes",
    "strategisk-ansvar": "spredt",
    "politisk-involvering": "sent",
    "forankring": "ildsjeler",
    "budsjett": "no",
    "prosjektoversikt": "yes",
    "oppgaver": "Tildeling av kommunale boliger, startlån og bostøtte, oppfølging i hjemmet "
    "og bosetting av flyktninger (demotekst).",
    "ansvarlige-enheter": "Ansvaret er delt mellom NAV-kontoret, helse og omsorg og eiendom.",
    "samarbeidsorganer": "uformelle",
}


class Command(BaseCommand):
    help = "Create the demo round, demo analyses and demo users (invented content)."

    @transaction.atomic
    def handle(self, *args, **options):
        questionnaire = Questionnaire.objects.order_by("-edition").first()
        if questionnaire is None or not SuccessFactor.objects.exists():
            raise CommandError(_("Load the reference data first: manage.py load_reference_data"))
        year = timezone.localdate().year
        round_ = Round.objects.filter(year=year).first() or open_round(
            year=year,
            title=_("Pre-analysis %(year)s") % {"year": year},
            questionnaire=questionnaire,
            opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year, 12, 31),
        )
        users = self._users()
        for number, (scores, status) in DEMO_MUNICIPALITIES.items():
            municipality = Municipality.objects.get(number=number)
            analysis, _created = Analysis.objects.get_or_create(
                municipality=municipality, round=round_
            )
            if analysis.is_demo:
                continue  # already seeded; keep whatever people changed since
            self._fill(analysis, scores, status, users["planlegger"])
        self.stdout.write(
            _(
                "Demo data ready. Users: admin, radgiver, planlegger, leser, planlegger.vefsn; "
                "password: %(password)s"
            )
            % {"password": settings.DEMO_PASSWORD}
        )

    def _users(self) -> dict[str, User]:
        nordland = Region.objects.get(name="Statsforvalteren i Nordland")
        fauske = Municipality.objects.get(number="1841")
        vefsn = Municipality.objects.get(number="1824")
        specs = [
            ("admin", "Ada", "Administrator", None),
            ("radgiver", "Rita", "Rådgiver", (Role.ADVISER, None, nordland)),
            ("planlegger", "Per", "Planlegger", (Role.EDITOR, fauske, None)),
            ("leser", "Lise", "Leser", (Role.READER, fauske, None)),
            ("planlegger.vefsn", "Vera", "Vefsn", (Role.EDITOR, vefsn, None)),
        ]
        users = {}
        for username, first, last, membership in specs:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": f"{last} (demo)"}
            )
            if created:
                user.set_password(settings.DEMO_PASSWORD)
                if username == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
            if membership:
                role, municipality, region = membership
                Membership.objects.get_or_create(
                    user=user, role=role, municipality=municipality, region=region
                )
            users[username] = user
        return users

    def _fill(self, analysis: Analysis, scores: list[int], status: str, user: User) -> None:
        municipality = analysis.municipality
        now = timezone.now()
        units = {
            name: Unit.objects.get_or_create(municipality=municipality, name=name)[0]
            for name in DEMO_UNITS
        }
        questions = {
            q.key: q
            for q in Question.objects.filter(section__questionnaire=analysis.round.questionnaire)
        }
        Answer.objects.bulk_create(
            [
                Answer(analysis=analysis, question=questions[key], value=value, updated_by=user)
                for key, value in DEMO_ANSWERS.items()
                if key in questions
            ]
        )
        for factor, score in zip(SuccessFactor.objects.order_by("number"), scores, strict=True):
            FactorAssessment.objects.create(
                analysis=analysis,
                factor=factor,
                score=score,
                status=f"Demotekst: {municipality.name} vurderer seg til {score} av 5 på "
                f"«{factor.name_nb}».",
                challenges="Demotekst: utskifting av ledere og medarbeidere gjør det vanskelig "
                "å holde arbeidet ved like.",
                evidence="Demotekst: drøftet i arbeidsgruppen.",
                updated_by=user,
            )
        areas = list(TaskArea.objects.order_by("order"))
        owners = [
            "Helse og omsorg",
            "Eiendom",
            "NAV-kontoret",
            None,  # bomiljø: nobody owns it (the map shows the gap)
            "Plan og utvikling",
            "Eiendom",
            "NAV-kontoret",
            None,
            "Plan og utvikling",
        ]
        for area, owner in zip(areas, owners, strict=True):
            if owner:
                Responsibility.objects.create(
                    analysis=analysis,
                    task_area=area,
                    unit=units[owner],
                    role=ResponsibilityRole.RESPONSIBLE,
                )
        # Allocation is owned twice: a task several units own (seed 002: fragmentation).
        Responsibility.objects.create(
            analysis=analysis,
            task_area=areas[2],
            unit=units["Helse og omsorg"],
            role=ResponsibilityRole.RESPONSIBLE,
        )
        Responsibility.objects.create(
            analysis=analysis,
            task_area=areas[0],
            unit=units["NAV-kontoret"],
            role=ResponsibilityRole.CONTRIBUTING,
        )
        CooperationBody.objects.create(
            analysis=analysis,
            name="Boligsosialt forum (demo)",
            members="NAV-kontoret, helse og omsorg, eiendom",
            mandate="Drøfte enkeltsaker om bolig.",
            meeting_frequency="Ved behov",
            is_formal=False,
        )
        ExternalActor.objects.create(
            analysis=analysis,
            kind=ActorKind.HUSBANKEN,
            name="Husbanken",
            cooperation_about="Startlån og tilskudd.",
            is_state_level=True,
        )
        ExternalActor.objects.create(
            analysis=analysis,
            kind=ActorKind.USER_ORGANISATION,
            name="Brukerorganisasjon (demo)",
            cooperation_about="Innspill til boligtiltak.",
        )
        for instrument in Instrument.objects.filter(key__in=["startlan", "kommunal-bolig"]):
            AllocationPractice.objects.create(
                analysis=analysis,
                instrument=instrument,
                decided_by="Tildelingsteamet (demo)",
                criteria="Behov, økonomi og boevne.",
                criteria_written=instrument.key == "startlan",
            )
        if not municipality.projects.exists():
            project = Project.objects.create(
                municipality=municipality,
                name="Bo trygt hjemme (demoprosjekt)",
                description="Oppfølging i hjemmet for leietakere i kommunale boliger (demo).",
                responsible_unit=units["Helse og omsorg"],
                partners="NAV-kontoret",
                starts_on=datetime.date(analysis.round.year - 1, 8, 1),
                ends_on=datetime.date(analysis.round.year + 1, 7, 31),
                status=ProjectStatus.ACTIVE,
                results="Demo: 12 husstander fulgt opp første år.",
                updated_by=user,
            )
            project.target_groups.set(TargetGroup.objects.filter(key__in=["rus-psykisk-helse"]))
            project.funding_sources.set(FundingSource.objects.filter(key__in=["husbanken"]))
            project.factors.set(SuccessFactor.objects.filter(number__in=[3, 5]))
        analysis.is_demo = True
        analysis.status = status
        analysis.last_activity_at = now
        analysis.last_activity_by = user
        if status in {AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED}:
            analysis.submitted_at = now
        if status == AnalysisStatus.APPROVED:
            analysis.approved_at = now
        analysis.save()
