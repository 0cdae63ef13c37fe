"""Demo data: last year's round and the current round, with analyses for the four Nordland
municipalities of the Statsforvalteren i Nordland project (Sortland, Fauske, Vågan, Vefsn),
and demo users: an adviser, an administrator, a planner in each of the four and a reader.

Every answer here is invented for demonstration; the analyses are flagged `is_demo`, and
every page that shows them says so.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from analysis.models import (
    ActorKind,
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    CooperationBody,
    ExternalActor,
    Project,
    ProjectStatus,
    Responsibility,
    ResponsibilityRole,
    Round,
    StatusChange,
    Unit,
)
from analysis.services.rounds import open_round
from factors.models import FactorAssessment
from plans.models import (
    DecisionProposal,
    Measure,
    MeasurePriority,
    MeasureStatus,
    MeasureStatusChange,
)
from plans.selectors import decision_draft
from reference.models import (
    FundingSource,
    Instrument,
    Municipality,
    Question,
    Questionnaire,
    Region,
    SuccessFactor,
    TargetGroup,
    TaskArea,
)

DEMO_MUNICIPALITIES = {
    # number: (scores 1–6 two rounds back, last round, this round, status this round,
    # planner). The two earlier rounds every demo analysis was completed and approved, so
    # trends have three points; this round two are still being filled in, one is submitted
    # (complete) and one approved (complete).
    "1841": (  # Fauske
        [1, 1, 2, 1, 2, 1],
        [1, 2, 2, 2, 3, 1],
        [2, 2, 3, 2, 3, 1],
        AnalysisStatus.IN_PROGRESS,
        "planlegger",
    ),
    "1870": (  # Sortland
        [2, 3, 2, 3, 2, 1],
        [3, 3, 3, 3, 2, 2],
        [4, 3, 3, 4, 3, 2],
        AnalysisStatus.SUBMITTED,
        "planlegger.sortland",
    ),
    "1865": (  # Vågan
        [2, 3, 2, 2, 3, 2],
        [3, 3, 2, 3, 3, 2],
        [3, 4, 2, 3, 3, 3],
        AnalysisStatus.IN_PROGRESS,
        "planlegger.vagan",
    ),
    "1824": (  # Vefsn
        [3, 3, 3, 2, 2, 2],
        [3, 4, 3, 3, 2, 2],
        [3, 4, 4, 3, 2, 2],
        AnalysisStatus.APPROVED,
        "planlegger.vefsn",
    ),
}

# username: (first name, last name, role, municipality number or None for the region)
DEMO_USERS = {
    "admin": ("Ada", "Administrator", None, None),
    "radgiver": ("Rita", "Rådgiver", Role.ADVISER, None),
    "planlegger": ("Per", "Planlegger", Role.EDITOR, "1841"),
    "leser": ("Lise", "Leser", Role.READER, "1841"),
    "planlegger.vefsn": ("Vera", "Vefsn", Role.EDITOR, "1824"),
    "planlegger.sortland": ("Siri", "Sortland", Role.EDITOR, "1870"),
    "planlegger.vagan": ("Vidar", "Vågan", Role.EDITOR, "1865"),
}

DEMO_EMAIL_DOMAIN = "demo.boligsosial.example"
DEMO_MUNICIPALITY_ADMINS = {"planlegger"}

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

# What a complete demo analysis adds: every required question answered.
DEMO_COMPLETE_ANSWERS = {
    "tildeling": "Tildelingsteamet (demo) behandler søknader om kommunal bolig og startlån "
    "etter skriftlige retningslinjer.",
    "eksterne-aktorer": "NAV, Husbanken, frivillige organisasjoner og en brukerorganisasjon "
    "(demotekst).",
    "vertikal-samordning": "Faste møter med Husbanken og Statsforvalteren to ganger i året "
    "(demotekst).",
    "kunnskapsgrunnlag": "Kommunens egne tall og nøkkeltall fra SSB (demotekst).",
}


class Command(BaseCommand):
    help = (
        "Create the demo rounds (two years back, last year and this year), demo analyses and "
        "demo users "
        "(invented content)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        questionnaire = Questionnaire.objects.order_by("-edition").first()
        if questionnaire is None or not SuccessFactor.objects.exists():
            raise CommandError(_("Load the reference data first: manage.py load_reference_data"))
        year = timezone.localdate().year
        current = self._round(year, questionnaire)
        # Last year's round, so the overview shows the change since the previous round, and
        # the one before, so the trends over every round have three points.
        earlier = self._round(year - 1, questionnaire)
        earliest = self._round(year - 2, questionnaire) if earlier is not None else None
        users = self._users()
        adviser = users["radgiver"]
        for number, (
            oldest_scores,
            old_scores,
            scores,
            status,
            planner,
        ) in DEMO_MUNICIPALITIES.items():
            municipality = Municipality.objects.get(number=number)
            previous = None
            for round_, round_scores in ((earliest, oldest_scores), (earlier, old_scores)):
                if round_ is None:
                    continue
                before = previous
                previous, _created = Analysis.objects.get_or_create(
                    municipality=municipality, round=round_
                )
                # A demo analysis not started holds nothing yet (a round opened after the
                # demo was seeded marks it demo): fill it like a new one.
                if not previous.is_demo or previous.status == AnalysisStatus.NOT_STARTED:
                    self._fill(
                        previous,
                        round_scores,
                        AnalysisStatus.APPROVED,
                        users[planner],
                        adviser,
                        complete=True,
                        previous=before,
                    )
            analysis, _created = Analysis.objects.get_or_create(
                municipality=municipality, round=current
            )
            if analysis.is_demo and analysis.status != AnalysisStatus.NOT_STARTED:
                continue  # already seeded; keep whatever people changed since
            self._fill(
                analysis,
                scores,
                status,
                users[planner],
                adviser,
                complete=status in {AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED},
                previous=previous,
            )
        if earlier is not None:
            self._plan(Municipality.objects.get(number="1841"), earlier, current, users)
            self._decision(
                Analysis.objects.select_related("municipality", "round").get(
                    municipality__number="1841", round=current
                ),
                users["planlegger"],
            )
        self.stdout.write(
            _("Demo data ready. Users: %(users)s; password: %(password)s")
            % {"users": ", ".join(DEMO_USERS), "password": settings.DEMO_PASSWORD}
        )

    def _round(self, year: int, questionnaire: Questionnaire) -> Round | None:
        """The round for the year, opened for the whole calendar year if it is missing. An
        earlier round that would overlap one opened by hand is left out (None)."""
        existing = Round.objects.filter(year=year).first()
        if existing is not None:
            return existing
        try:
            return open_round(
                year=year,
                title=_("Pre-analysis %(year)s") % {"year": year},
                questionnaire=questionnaire,
                opens_on=datetime.date(year, 1, 1),
                closes_on=datetime.date(year, 12, 31),
            )
        except ValidationError as error:
            if year == timezone.localdate().year:
                raise CommandError(error.messages[0]) from error
            self.stderr.write(error.messages[0])
            return None

    def _users(self) -> dict[str, User]:
        nordland = Region.objects.get(name="Statsforvalteren i Nordland")
        users = {}
        for username, (first, last, role, number) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": f"{last} (demo)"}
            )
            if created:
                user.set_password(settings.DEMO_PASSWORD)
                if username == "admin":
                    user.is_staff = user.is_superuser = True
                user.save()
            if not user.email:
                # The demo's e-mail goes to the console under `make run` (README, E-mail).
                user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
                user.save(update_fields=["email"])
            if role is not None:
                municipality = Municipality.objects.get(number=number) if number else None
                Membership.objects.get_or_create(
                    user=user,
                    role=role,
                    municipality=municipality,
                    region=None if municipality else nordland,
                    # Fauske's planner manages Fauske's people (Personer in the menu).
                    defaults={"is_municipality_admin": username in DEMO_MUNICIPALITY_ADMINS},
                )
            users[username] = user
        return users

    def _fill(
        self,
        analysis: Analysis,
        scores: list[int],
        status: str,
        planner: User,
        adviser: User,
        *,
        complete: bool,
        previous: Analysis | None = None,
    ) -> None:
        """Invented content for one demo analysis. A submitted or approved analysis is
        complete, as the submission rules demand; one in progress leaves gaps."""
        municipality = analysis.municipality
        units = {
            name: Unit.objects.get_or_create(municipality=municipality, name=name)[0]
            for name in DEMO_UNITS
        }
        questions = {
            q.key: q
            for q in Question.objects.filter(section__questionnaire=analysis.round.questionnaire)
        }
        texts = {**DEMO_ANSWERS, **(DEMO_COMPLETE_ANSWERS if complete else {})}
        Answer.objects.bulk_create(
            [
                Answer(analysis=analysis, question=questions[key], value=value, updated_by=planner)
                for key, value in texts.items()
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
                updated_by=planner,
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
        if complete:
            owners = [owner or "Plan og utvikling" for owner in owners]
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
        instruments = Instrument.objects.all()
        if not complete:
            instruments = instruments.filter(key__in=["startlan", "kommunal-bolig"])
        for instrument in instruments:
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
                # Running through every demo round, whichever round creates it.
                starts_on=datetime.date(timezone.localdate().year - 2, 8, 1),
                ends_on=datetime.date(timezone.localdate().year + 1, 7, 31),
                status=ProjectStatus.ACTIVE,
                results="Demo: 12 husstander fulgt opp første år.",
                updated_by=planner,
            )
            project.target_groups.set(TargetGroup.objects.filter(key__in=["rus-psykisk-helse"]))
            project.funding_sources.set(FundingSource.objects.filter(key__in=["husbanken"]))
            project.factors.set(SuccessFactor.objects.filter(number__in=[3, 5]))
        self._record_steps(analysis, status, planner, adviser)
        analysis.is_demo = True
        analysis.previous = previous
        analysis.save()

    def _plan(self, municipality: Municipality, earlier: Round, current: Round, users) -> None:
        """Fauske's action plan (invented): measures planned last round, one done since, one
        under way with this round's update, one still waiting for a word on what happened
        (so the analysis page shows what a new round asks for), and one planned this round."""
        if municipality.measures.exists():
            return
        planner = users["planlegger"]
        units = {u.name: u for u in municipality.units.all()}
        budget = FundingSource.objects.filter(key="kommunebudsjett").first()
        husbanken = FundingSource.objects.filter(key="husbanken").first()
        last, this = earlier.year, current.year
        last_autumn = timezone.make_aware(datetime.datetime(last, 10, 20, 10, 0))
        this_spring = min(
            timezone.make_aware(datetime.datetime(this, 3, 10, 10, 0)), timezone.now()
        )
        plan = [
            # round planned in, title, description, recommendation, factors, unit,
            # owner (name, role, user), deadline, priority, cost, funding,
            # changes [(round, from, to, note, when)]
            (
                earlier,
                "Utarbeide en boligsosial handlingsplan (demo)",
                "En plan med operative mål som kan følges opp, forankret i kommuneplanen.",
                "boligpolitisk-plan",
                [2],
                "Plan og utvikling",
                ("", "", planner),
                datetime.date(this, 11, 30),
                MeasurePriority.HIGH,
                350000,
                budget,
                [
                    (earlier, "planned", "started", "Arbeidsgruppe satt ned (demo).", last_autumn),
                    (current, "started", "started", "Utkast på høring (demo).", this_spring),
                ],
            ),
            (
                earlier,
                "Opprette et boligsosialt samarbeidsforum med mandat (demo)",
                "Et fast forum for NAV, helse og omsorg og eiendom, med mandat fra rådmannen.",
                "samarbeidsorgan",
                [3],
                "Helse og omsorg",
                ("Kari Nordmann (demo)", "kommunalsjef helse og omsorg", None),
                datetime.date(last, 12, 1),
                MeasurePriority.HIGH,
                50000,
                budget,
                [(earlier, "planned", "done", "Forumet møtes hver måned (demo).", last_autumn)],
            ),
            (
                earlier,
                "Skriftlige kriterier for tildeling av kommunale boliger (demo)",
                "Kriteriene skrives ned og gjøres kjent for søkerne.",
                "",
                [3, 6],
                "Eiendom",
                ("Ola Hansen (demo)", "leder tildelingsteamet", None),
                datetime.date(this, 3, 1),
                MeasurePriority.MEDIUM,
                None,
                None,
                [],
            ),
            (
                current,
                "Forankre arbeidet i økonomiplanen (demo)",
                "Boligsosiale tiltak får egne linjer i budsjett og økonomiplan.",
                "okonomiplan",
                [4],
                "Plan og utvikling",
                ("", "økonomisjef", planner),
                datetime.date(this + 1, 10, 1),
                MeasurePriority.MEDIUM,
                None,
                husbanken,
                [],
            ),
        ]
        for (
            planned_in,
            title,
            description,
            recommendation,
            factors,
            unit,
            (owner_name, owner_role, owner_user),
            deadline,
            priority,
            cost,
            funding,
            changes,
        ) in plan:
            status = changes[-1][2] if changes else MeasureStatus.PLANNED
            measure = Measure.objects.create(
                municipality=municipality,
                planned_in=planned_in,
                title=title,
                description=description,
                recommendation_keys=[recommendation] if recommendation else [],
                responsible_unit=units.get(unit),
                owner_name=owner_name,
                owner_role=owner_role,
                owner_user=owner_user,
                deadline=deadline,
                priority=priority,
                status=status,
                estimated_cost=cost,
                funding_source=funding,
                updated_by=planner,
            )
            measure.factors.set(SuccessFactor.objects.filter(number__in=factors))
            planned_at = (
                timezone.make_aware(datetime.datetime(last, 9, 15, 10, 0))
                if planned_in == earlier
                else this_spring
            )
            MeasureStatusChange.objects.create(
                measure=measure,
                round=planned_in,
                from_status="",
                to_status=MeasureStatus.PLANNED,
                changed_by=planner,
                changed_at=planned_at,
            )
            for round_, before, after, note, when in changes:
                MeasureStatusChange.objects.create(
                    measure=measure,
                    round=round_,
                    from_status=before,
                    to_status=after,
                    note=note,
                    changed_by=planner,
                    changed_at=when,
                )

    def _decision(self, analysis: Analysis, planner: User) -> None:
        """Fauske's proposed decision for the council: the draft generated from its plan,
        accepted as a planner would, so its report and PDF end with one."""
        if DecisionProposal.objects.filter(analysis=analysis).exists():
            return
        DecisionProposal.objects.create(
            analysis=analysis,
            text=decision_draft(analysis),
            updated_by=planner,
            updated_at=analysis.last_activity_at or timezone.now(),
        )

    def _record_steps(self, analysis: Analysis, status: str, planner: User, adviser: User):
        """The status log a real analysis would have: started and submitted by the
        municipality's planner, approved by the adviser; last activity by whoever acted
        last. Last year's steps lie in last autumn, this year's in the past weeks."""
        steps = [(AnalysisStatus.NOT_STARTED, AnalysisStatus.IN_PROGRESS, planner, "")]
        if status in {AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED}:
            steps.append((AnalysisStatus.IN_PROGRESS, AnalysisStatus.SUBMITTED, planner, ""))
        if status == AnalysisStatus.APPROVED:
            steps.append(
                (
                    AnalysisStatus.SUBMITTED,
                    AnalysisStatus.APPROVED,
                    adviser,
                    "Godkjent. Godt arbeid med ansvarskartet (demo).",
                )
            )
        now = timezone.now()
        if analysis.round.year < timezone.localdate().year:
            start = timezone.make_aware(datetime.datetime(analysis.round.year, 10, 1, 9, 0))
            gap = datetime.timedelta(days=14)
        else:
            # A few days apart per municipality, so sorting by last activity means something.
            offset = int(analysis.municipality.number) % 7
            start = now - datetime.timedelta(days=20 + offset, hours=offset)
            gap = datetime.timedelta(days=6)
        moment = start
        for n, (before, after, who, message) in enumerate(steps):
            moment = min(start + n * gap, now)
            StatusChange.objects.create(
                analysis=analysis,
                from_status=before,
                to_status=after,
                changed_by=who,
                changed_at=moment,
                message=message,
            )
        if status == AnalysisStatus.IN_PROGRESS:
            moment = min(moment + datetime.timedelta(days=9), now)  # still editing since
        analysis.status = status
        analysis.last_activity_at = moment
        analysis.last_activity_by = steps[-1][2]
        if status in {AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED}:
            analysis.submitted_at = start + gap
        if status == AnalysisStatus.APPROVED:
            analysis.approved_at = moment
