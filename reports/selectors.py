"""Everything the report shows, read in a fixed number of queries.

`report_context(analysis)` runs the same queries whether the analysis has one project or a
hundred, and none per factor or per project (pinned in tests/reports/test_queries.py). The
template then only reads what is here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from analysis.models import (
    AllocationPractice,
    Analysis,
    AnalysisStatus,
    Answer,
    Project,
    ResponsibilityRole,
    Round,
    SectionAssignment,
    StatusChange,
)
from analysis.selectors import reads
from analysis.selectors.structures import ResponsibilityMatrix, responsibility_matrix
from factors.models import FactorAssessment, Invitation
from factors.selectors import Trend, UserView, assessments_of, success_factors, user_views
from factors.selectors import trend as factor_trend
from keyfigures.models import Indicator
from keyfigures.selectors import key_figures as shared_key_figures
from keyfigures.selectors import local_figures
from plans.models import DecisionProposal
from plans.selectors import PlanEntry, decision_proposal_of, plan_for_report
from reference.models import (
    Instrument,
    MaturityLevel,
    Municipality,
    Question,
    Region,
    Section,
    SuccessFactor,
)
from reports.models import ArchivedReport, RecommendationRule
from reports.recommendations import (
    MAIN_RECOMMENDATIONS,
    Facts,
    Recommendation,
    recommendations_for,
)

# An edition named at the end of a questionnaire's title: ", 1. utgave", " – 1. utgåve",
# " (2nd edition)".
_EDITION_SUFFIX = re.compile(
    r"\s*[,–-]?\s*\(?\d+\s*(?:\.|st|nd|rd|th)?\s*(?:utgave|utgåve|edition)\)?\s*$", re.IGNORECASE
)


@dataclass
class FactorRow:
    factor: SuccessFactor
    assessment: FactorAssessment | None
    users_score: int | None = None
    users_comment: str = ""
    level_description: str = ""
    previous_score: int | None = None

    @property
    def score(self) -> int | None:
        return self.assessment.score if self.assessment else None

    @property
    def change(self) -> str:
        """Since the previous round, as a person reads it: "+1", "−1", "0", or "" when
        either round has no score."""
        if self.score is None or self.previous_score is None:
            return ""
        delta = self.score - self.previous_score
        return f"+{delta}" if delta > 0 else f"−{-delta}" if delta < 0 else "0"

    @property
    def gap(self) -> int | None:
        return None if self.score is None else 5 - self.score

    @property
    def has_text(self) -> bool:
        a = self.assessment
        return bool(a and (a.status.strip() or a.challenges.strip() or a.evidence.strip()))


@dataclass
class AnswerRow:
    question: Question
    value: str  # as shown: a choice's label, yes/no in words, free text as typed

    @property
    def is_answered(self) -> bool:
        return bool(self.value.strip())


@dataclass
class SectionAnswers:
    section: Section
    rows: list[AnswerRow]

    @property
    def has_answers(self) -> bool:
        return any(row.is_answered for row in self.rows)


@dataclass
class AllocationRow:
    instrument: Instrument
    practice: AllocationPractice | None


@dataclass
class KeyFigure:
    indicator: Indicator
    year: int
    municipality: str
    county: str
    country: str
    group: str = "–"  # the municipality's KOSTRA group, where its group is known
    source: str = ""
    source_url: str = ""


@dataclass
class ResponsibilityRow:
    task_area: object
    responsible: list[str]
    contributing: list[str]
    without_owner: bool
    several_owners: bool
    # An answer without a unit, in words ("Nobody is responsible today"), or "".
    gap: str = ""


@dataclass
class ReportContext:
    analysis: Analysis
    factors: list[FactorRow]
    gaps: list[FactorRow]
    key_figures: list[KeyFigure]
    # The municipality's own figures, shown apart and marked as its own.
    local_figures: list
    matrix: ResponsibilityMatrix
    cooperation_bodies: list
    external_actors: list
    allocation: list[AllocationRow]
    projects: list[Project]
    user_views: list[UserView]
    recommendations: list[Recommendation]
    sections: list[SectionAnswers]
    # The action plan: measures by priority, with what happened to each in the round.
    plan: list[PlanEntry] = field(default_factory=list)
    # The factor scores of every round up to this one (shown from three rounds on).
    trend: Trend | None = None
    # The round the previous scores come from; None when there is no earlier self-assessment.
    previous_round: Round | None = None
    # The proposed decision for the council (None: none has been saved).
    decision: DecisionProposal | None = None
    # Who submitted and who approved the analysis, and when, while it is in that state.
    submission: StatusChange | None = None
    approval: StatusChange | None = None
    # Method and background: the units that took part (named in the responsibility map or
    # given a section to answer), and the user organisations invited (name, answered).
    participating_units: list[str] = field(default_factory=list)
    invited_organisations: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def municipality(self):
        return self.analysis.municipality

    @property
    def round(self):
        return self.analysis.round

    @property
    def municipality_full_name(self) -> str:
        """The official name with its Sami or Kven form, as SSB writes it, with a proper dash:
        "Fauske – Fuossko", "Guovdageaidnu – Kautokeino"."""
        municipality = self.analysis.municipality
        return (municipality.ssb_name or municipality.name).replace(" - ", " – ")

    @property
    def questionnaire_label(self) -> str:
        """The questionnaire's title with its edition, said once and in the report's language:
        "…, 1. utgåve" in a nynorsk report. A title may name its edition itself ("…, 1.
        utgave", "…, 1st edition"), in any language; that is taken off and the edition said
        in the report's, so a nynorsk cover never reads "1. utgave, 1. utgåve"."""
        questionnaire = self.analysis.round.questionnaire
        title = _EDITION_SUFFIX.sub("", str(questionnaire.title).strip())
        edition = _("%(number)s. edition") % {"number": questionnaire.edition}
        return f"{title}, {edition}"

    @property
    def question_sources(self) -> list[tuple[str, int]]:
        """What the questions rest on: each source once, in the order of the questionnaire,
        with how many questions cite it. Stored with each question (reference data) and shown
        nowhere else."""
        counts: dict[str, int] = {}
        for block in self.sections:
            for row in block.rows:
                source = row.question.localized_source.strip()
                if source:
                    counts[source] = counts.get(source, 0) + 1
        return list(counts.items())

    @property
    def factor_sources(self) -> list[str]:
        """What the six success factors rest on (NOU 2011:15, «Bolig for velferd»), once."""
        return list(
            dict.fromkeys(
                row.factor.localized_source for row in self.factors if row.factor.localized_source
            )
        )

    @property
    def recommendation_sources(self) -> list[str]:
        return list(dict.fromkeys(rec.source for rec in self.recommendations if rec.source))

    @property
    def answering_organisations(self) -> list[str]:
        return [name for name, answered in self.invited_organisations if answered]

    @property
    def silent_organisations(self) -> list[str]:
        """Invited, and did not answer (yet)."""
        return [name for name, answered in self.invited_organisations if not answered]

    @property
    def main_recommendations(self) -> list[Recommendation]:
        """The summary's recommendations: the first by priority (RecommendationRule.order)."""
        return self.recommendations[:MAIN_RECOMMENDATIONS]

    @property
    def main_findings(self) -> list[str]:
        """The first page's prose (reports/findings.py)."""
        from reports.findings import main_findings

        return main_findings(self)

    @property
    def recommendation_rows(self) -> list[tuple[Recommendation, list]]:
        """Each recommendation with the plan's open or done measures that answer it, so the
        report says so instead of repeating itself."""
        answering: dict[str, list] = {}
        for entry in self.plan:
            if entry.measure.status != "stopped":
                for key in entry.measure.recommendation_keys:
                    answering.setdefault(key, []).append(entry.measure)
        return [(rec, answering.get(rec.rule.key, [])) for rec in self.recommendations]

    @property
    def more_recommendations(self) -> int:
        return max(0, len(self.recommendations) - MAIN_RECOMMENDATIONS)

    @property
    def has_scores(self) -> bool:
        return any(row.score is not None for row in self.factors)

    @property
    def has_factor_text(self) -> bool:
        return any(row.has_text for row in self.factors)

    @property
    def has_answers(self) -> bool:
        return any(row.is_answered for s in self.sections for row in s.rows)

    @property
    def unanswered_sections(self) -> list[str]:
        """Parts of the questionnaire with questions but no answer: named in one line at the
        top of the appendix instead of a heading and "Not answered" for each question."""
        return [s.section.title for s in self.sections if s.rows and not s.has_answers]

    @property
    def has_allocation(self) -> bool:
        return any(row.practice for row in self.allocation)

    @property
    def matrix_filled(self) -> bool:
        return any(row.roles or row.gap for row in self.matrix.rows)

    @property
    def responsibility_rows(self) -> list[ResponsibilityRow]:
        return [
            ResponsibilityRow(
                task_area=row.task_area,
                responsible=self.matrix.unit_names(row, ResponsibilityRole.RESPONSIBLE),
                contributing=self.matrix.unit_names(row, ResponsibilityRole.CONTRIBUTING),
                without_owner=row.has_no_owner,
                several_owners=row.has_several_owners,
                gap=row.gap_label,
            )
            for row in self.matrix.rows
        ]


class KeyFigureRows(list):
    """The report's key-figure rows; `fictitious` when any comes from the demo file."""

    fictitious: bool = False
    kostra_group: str = ""  # the group's name labels its column (empty: no column)

    @property
    def sources(self) -> list[tuple[str, str]]:
        """Each source (text, link) once, in the order of the rows (a rate and its count share
        a table)."""
        return list(dict.fromkeys((row.source, row.source_url) for row in self))


def key_figures(analysis: Analysis) -> KeyFigureRows:
    """Each indicator's latest year for the municipality, beside the county and the country,
    from the one implementation the pages use (analysis.selectors.indicators.key_figures):
    the same official figures, weighting, coverage rule and "under 3"."""
    figures = shared_key_figures(analysis.municipality)
    rows = KeyFigureRows(
        KeyFigure(
            indicator=f.indicator,
            year=f.year,
            municipality=f.display,
            county=f.county_display,
            country=f.country_display,
            group=f.group_display,
            source=f.source,
            source_url=f.source_url,
        )
        for f in figures.with_values
    )
    rows.fictitious = figures.fictitious
    rows.kostra_group = figures.kostra_group
    return rows


def report_context(analysis: Analysis) -> ReportContext:
    """Queries (analysis, municipality, county, round and edition come with `analysis`):
    1 success factors, 2 assessments, 3 maturity levels, 4 sections, 5 questions, 6 answers,
    7–9 responsibility map (task areas, cells, units), 10 cooperation bodies,
    11 external actors, 12 instruments, 13 allocation practices, 14 projects active in the
    round's period (with their unit), 15–17 their target groups, funding and factors,
    18 user-organisation inputs (with invitation), 19 their ratings, 20 recommendation rules,
    21–25 key figures (indicators, the municipality's values; when there are any: the
    official county and country figures, every municipality's values for those
    indicator-years, the number of municipalities per county), 26 the previous round's
    assessments (with their round), 27 the measures of the plan, 28 their status changes,
    29 the scores of every round (the trend), 30 the submission and approval (with who),
    31 the units given a section, 32 the user organisations invited, 33 the proposed
    decision.
    """
    round_ = analysis.round
    factors = list(SuccessFactor.objects.order_by("number"))
    assessments = {a.factor_id: a for a in FactorAssessment.objects.filter(analysis=analysis)}
    factor_rows = [FactorRow(f, assessments.get(f.pk)) for f in factors]
    levels = {(m.factor_id, m.level): m.description for m in MaturityLevel.objects.all()}
    for row in factor_rows:
        if row.score is not None:
            row.level_description = levels.get((row.factor.pk, row.score), "")
    previous_round = _add_previous_scores(analysis, factor_rows)

    sections = list(Section.objects.filter(questionnaire_id=round_.questionnaire_id))
    questions = list(
        Question.objects.filter(section__questionnaire_id=round_.questionnaire_id).order_by(
            "section__order", "order"
        )
    )
    answers = dict(Answer.objects.filter(analysis=analysis).values_list("question_id", "value"))
    by_section: dict[int, list[AnswerRow]] = {}
    answers_by_key: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.pk, "").strip()
        answers_by_key[question.key] = value
        display = question.display_answer(value)
        by_section.setdefault(question.section_id, []).append(AnswerRow(question, display))
    section_answers = [SectionAnswers(s, by_section.get(s.pk, [])) for s in sections]

    matrix = responsibility_matrix(analysis)
    bodies = list(analysis.cooperation_bodies.all())
    actors = list(analysis.external_actors.all())
    instruments = list(Instrument.objects.order_by("order"))
    practices = {p.instrument_id: p for p in AllocationPractice.objects.filter(analysis=analysis)}
    allocation = [AllocationRow(i, practices.get(i.pk)) for i in instruments]

    projects = list(
        Project.objects.filter(municipality_id=analysis.municipality_id)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=round_.closes_on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=round_.opens_on))
        .select_related("responsible_unit")
        .prefetch_related("target_groups", "funding_sources", "factors")
        .order_by("name")
    )

    views = user_views(analysis, factors)
    if views:
        latest_view = views[-1]
        for row in factor_rows:
            row.users_score = latest_view.scores.get(row.factor.number)
            row.users_comment = latest_view.comments.get(row.factor.number, "")

    facts = Facts(
        answers=answers_by_key,
        scores={row.factor.number: row.score for row in factor_rows},
        factor_names={row.factor.number: row.factor.name for row in factor_rows},
        tasks_without_owner=[area.name for area in matrix.without_owner],
        responsibility_map_filled=any(row.roles or row.gap for row in matrix.rows),
        cooperation_bodies=len(bodies),
        formal_cooperation_bodies=sum(1 for b in bodies if b.is_formal),
        formal_bodies_with_mandate=sum(1 for b in bodies if b.is_formal and b.mandate.strip()),
        unwritten_criteria=[
            row.instrument.name
            for row in allocation
            if row.practice and row.practice.decided_by and row.practice.criteria_written is False
        ],
    )
    recommendations = recommendations_for(facts, RecommendationRule.objects.order_by("order"))

    scored = [row for row in factor_rows if row.score is not None and row.score < 5]
    gaps = sorted(scored, key=lambda row: (row.score, row.factor.number))[:3]

    submission, approval = _submission_and_approval(analysis)
    assigned_units = SectionAssignment.objects.filter(
        analysis=analysis, unit__isnull=False
    ).values_list("unit__name", flat=True)
    mapped_units = [u.name for u in matrix.units if any(u.pk in row.roles for row in matrix.rows)]
    # An organisation invited twice (a new link after the first expired) is named once; it
    # answered if any of its links was used or its view is in the report.
    answered = {view.organisation for view in views}
    invited: dict[str, bool] = {}
    for name, used_at in (
        Invitation.objects.filter(analysis=analysis)
        .exclude(revoked_at__isnull=False, used_at__isnull=True)
        .order_by("organisation_name")
        .values_list("organisation_name", "used_at")
    ):
        invited[name] = invited.get(name, False) or used_at is not None or name in answered

    return ReportContext(
        analysis=analysis,
        factors=factor_rows,
        gaps=gaps,
        key_figures=key_figures(analysis),
        local_figures=local_figures(analysis.municipality),
        matrix=matrix,
        cooperation_bodies=bodies,
        external_actors=actors,
        allocation=allocation,
        projects=projects,
        user_views=views,
        recommendations=recommendations,
        sections=section_answers,
        previous_round=previous_round,
        plan=plan_for_report(analysis),
        trend=factor_trend(analysis, factors),
        decision=decision_proposal_of(analysis),
        submission=submission,
        approval=approval,
        participating_units=sorted(set(mapped_units) | set(assigned_units), key=str.lower),
        invited_organisations=list(invited.items()),
    )


def _submission_and_approval(analysis: Analysis) -> tuple[StatusChange | None, StatusChange | None]:
    """The latest submission while the analysis is submitted or approved, and the latest
    approval while it is approved (an analysis sent back is neither): one query, with who."""
    changes = list(
        StatusChange.objects.filter(
            analysis=analysis,
            to_status__in=[AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED],
        )
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )
    latest = {change.to_status: change for change in changes}
    submission = (
        latest.get(AnalysisStatus.SUBMITTED)
        if analysis.status in (AnalysisStatus.SUBMITTED, AnalysisStatus.APPROVED)
        else None
    )
    approval = (
        latest.get(AnalysisStatus.APPROVED) if analysis.status == AnalysisStatus.APPROVED else None
    )
    return submission, approval


def recommendations_of(analysis: Analysis) -> list[Recommendation]:
    """The recommendations that apply to the analysis now, for the analysis page: the same
    facts and rules as the report, read without the rest of it.

    Queries: 1 answers by question key, 2 scores by factor, 3 factor names, 4–6 the
    responsibility map (task areas, cells, units), 7 cooperation bodies, 8 the allocation
    practices (with their instrument), 9 the rules."""
    answers = {key: value for _q, key, value, _c in reads.answer_rows(analysis)}
    factors = success_factors(analysis)
    number_of = {f.pk: f.number for f in factors}
    scores = {number_of[a.factor_id]: a.score for a in assessments_of(analysis)}
    names = {f.number: f.name for f in factors}
    matrix = responsibility_matrix(analysis)
    bodies = list(analysis.cooperation_bodies.values_list("is_formal", "mandate"))
    practices = [
        p
        for p in reads.allocation_practices(analysis)
        if p.criteria_written is False and p.decided_by != ""
    ]
    facts = Facts(
        answers={key: value.strip() for key, value in answers.items()},
        scores=scores,
        factor_names=names,
        tasks_without_owner=[area.name for area in matrix.without_owner],
        responsibility_map_filled=any(row.roles for row in matrix.rows),
        cooperation_bodies=len(bodies),
        formal_cooperation_bodies=sum(1 for formal, _m in bodies if formal),
        formal_bodies_with_mandate=sum(
            1 for formal, mandate in bodies if formal and mandate.strip()
        ),
        unwritten_criteria=[practice.instrument.name for practice in practices],
    )
    return recommendations_for(facts, RecommendationRule.objects.order_by("order"))


def _add_previous_scores(analysis: Analysis, rows: list[FactorRow]) -> Round | None:
    """The previous round's score beside each factor, in one query: from the analysis this
    one was carried over from, or else the municipality's latest earlier self-assessment.
    Returns that round (None when there is none)."""
    if analysis.previous_id:
        earlier = FactorAssessment.objects.filter(analysis_id=analysis.previous_id)
    else:
        earlier = FactorAssessment.objects.filter(
            analysis__municipality_id=analysis.municipality_id,
            analysis__round__year__lt=analysis.round.year,
        )
    assessments = list(earlier.select_related("analysis__round").order_by("-analysis__round__year"))
    if not assessments:
        return None
    newest = assessments[0].analysis
    scores = {a.factor_id: a.score for a in assessments if a.analysis_id == newest.pk}
    for row in rows:
        row.previous_score = scores.get(row.factor.pk)
    return newest.round


def archived_reports(analysis: Analysis) -> list[ArchivedReport]:
    """One query: the analysis's archived PDFs, newest first, with who made them."""
    return list(analysis.archived_reports.select_related("created_by"))


def analysis_for_report(municipality_number: str, year: int) -> Analysis | None:
    """For commands (no user): the analysis with what the report header reads."""
    return (
        Analysis.objects.select_related("municipality__county__region", "round__questionnaire")
        .filter(municipality__number=municipality_number, round__year=year)
        .first()
    )


@dataclass
class RegionBatch:
    """A region's reports for one round: the analyses that have been started, and the
    municipalities left out because theirs has not (an empty report says nothing)."""

    region: Region
    round: Round
    analyses: list[Analysis]
    not_started: list[Municipality]


def region_batch(region: Region, round_: Round) -> RegionBatch:
    """Two queries: the region's analyses for the round, and its current municipalities."""
    analyses = list(
        Analysis.objects.filter(
            municipality__county__region=region,
            municipality__valid_to__isnull=True,
            round=round_,
        )
        .exclude(status=AnalysisStatus.NOT_STARTED)
        .select_related("municipality__county__region", "round__questionnaire")
        .order_by("municipality__number")
    )
    started = {a.municipality_id for a in analyses}
    not_started = [
        m
        for m in Municipality.objects.current().in_region(region).order_by("number")
        if m.pk not in started
    ]
    return RegionBatch(region=region, round=round_, analyses=analyses, not_started=not_started)
