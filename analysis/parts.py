"""The parts of an analysis and what the analysis needs to know of each, wherever it is
edited (DESIGN.md capability 2).

Every section of the questionnaire has a kind (`SectionKind`). A section of kind "questions"
is its questions and nothing more; every other kind is a part with rows of its own besides
any questions the section carries: the responsibility map, cooperation, allocation and the
project inventory live in this app, the six-factor self-assessment lives in `factors`, which
builds on this app and registers its part when Django starts (factors/apps.py). The analysis
page, submission, the adviser's progress column and "start from the previous round" ask this
registry, so they need not know each part by name and `analysis` never imports `factors`.

A part answers, for one analysis or many:
- how far it has come (`progress`; and `done()`, an expression that the overview's progress
  column reads in the same query as the analyses), out of `total()` (`total_expression()`);
- what a new round copies from the previous one (`carry_over`) and which copied rows a
  planner can confirm unchanged (`confirmable`);
- whether an earlier analysis holds anything of it (`has_content`), so a skipped round is
  not copied;
- what it adds to the analysis page and the review page (`page_panel`, `review_panel`);
- what still holds back submission (`submission_refusals`), beyond its progress.

A part need not be a section of the questionnaire: the action plan (`plans`) has no section
and no progress, but adds its block to the analysis page and refuses submission while a
measure carried over from an earlier round has no word on what happened since.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analysis.merge import snapshot
from analysis.models import (
    AllocationPractice,
    Analysis,
    CooperationBody,
    ExternalActor,
    Project,
    Responsibility,
    ResponsibilityRole,
    RevisionKind,
    TaskAreaGap,
)
from analysis.selectors import reads
from reference.models import Instrument, SectionKind, TaskArea

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    # Rows carried over from the previous round that nobody has confirmed or edited yet.
    unconfirmed: int = 0


@dataclass(frozen=True)
class Panel:
    """A block a part adds to a page: the template to include and its context. A panel whose
    template reads nothing but its context (no form, nothing of the person looking) says so
    with `for_everyone`: a page that keeps what it computed may keep it as HTML (`html`)."""

    template: str
    context: dict[str, Any]
    for_everyone: bool = False
    html: str = ""


@dataclass(frozen=True)
class Confirmable:
    """Carried-over rows of one kind that a planner can confirm unchanged.

    `rows(analysis)`: the part's rows of this kind; `revision(row)`: what the history records
    for a confirmation, as (revision kind, object id, label, value); `page`: the URL name of
    the page showing them, where the planner goes back to."""

    rows: Callable[[Analysis], QuerySet]
    revision: Callable[[Any], tuple[str, int, str, dict]]
    page: str


class Part:
    """The analysis's view of one kind of section. Subclasses set `kind` and `url_name` and
    override what applies; the defaults describe a part with nothing of its own."""

    kind: str = ""
    # Where the part is edited: reversed with the analysis's primary key.
    url_name: str = ""
    # A part that may legitimately stay empty (projects) never blocks submission.
    required: bool = True
    # Where a part that is no section shows its block on the analysis page, lowest first.
    order: int = 0
    confirmable: dict[str, Confirmable] = {}

    def total(self) -> int:
        return 0

    def progress(self, analysis: Analysis) -> Progress:
        return Progress(0, self.total())

    def total_expression(self) -> Expression:
        """`total()` as an expression, so that the query reading `done()` for many analyses
        reads the total with it instead of a query of its own."""
        return Value(self.total(), output_field=IntegerField())

    def done(self) -> Expression | None:
        """An expression on an Analysis queryset: how much of this part each analysis has
        done (the `done` of `progress`), so that one query reads it for any number of
        analyses; None when the part counts nothing."""
        return None

    def bulk_done(self, analyses: QuerySet[Analysis]) -> dict[int, int]:
        """How much is done in each of many analyses, in one query: analysis id → done
        (missing means none)."""
        expression = self.done()
        if expression is None:
            return {}
        rows = analyses.order_by().annotate(part_done=expression).values_list("pk", "part_done")
        return {pk: done for pk, done in rows if done}

    def describe_missing(self, progress: Progress) -> str:
        """What is still missing, in words a planner can act on ("2 of 9 task areas have no
        answer"), or "" when nothing is."""
        missing = progress.total - progress.done
        if missing <= 0:
            return ""
        return ngettext(
            "%(missing)s of %(total)s is missing",
            "%(missing)s of %(total)s are missing",
            missing,
        ) % {"missing": missing, "total": progress.total}

    def has_content(self) -> Exists | None:
        """An expression on an Analysis queryset: true where this part holds anything."""
        return None

    def carry_over(self, *, source: Analysis, target: Analysis, by: User, note: str) -> None:
        return None

    def page_panel(self, analysis: Analysis, previous: Analysis | None) -> Panel | None:
        return None

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> Panel | None:
        """The part read-only on the adviser's review page, each row marked where it differs
        from `previous` (the municipality's previous round's analysis, or None)."""
        return None

    def submission_refusals(self, analysis: Analysis) -> list[str]:
        """Why the analysis cannot be submitted yet, for reasons other than progress; each a
        sentence the planner reads."""
        return []


_PARTS: dict[str, Part] = {}


def register(part: Part) -> None:
    """Make a part known; called when Django starts (each app's AppConfig.ready)."""
    _PARTS[part.kind] = part


def get(kind: str) -> Part | None:
    return _PARTS.get(kind)


def all_parts() -> Iterable[Part]:
    """The registered parts in the order of SectionKind, then those that are no section
    (they count nothing towards progress: their `total()` is 0)."""
    return [_PARTS[kind] for kind in SectionKind.values if kind in _PARTS] + sorted(
        (part for kind, part in _PARTS.items() if kind not in SectionKind.values),
        key=lambda part: part.order,
    )


def confirmable(kind: str) -> Confirmable | None:
    for part in _PARTS.values():
        if kind in part.confirmable:
            return part.confirmable[kind]
    return None


def count_of(rows: QuerySet) -> Subquery:
    """How many rows, as an expression: with OuterRef("pk") in `rows`, per analysis of the
    query it is annotated on; without, the same number for all (the database reads it once)."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def one_if(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# --- The parts this app edits ----------------------------------------------------------------


class ResponsibilityMapPart(Part):
    """Who does what: done when a task area has a unit responsible for it, or the honest
    answer that nobody is responsible today or that it is not relevant (issue 15)."""

    kind = SectionKind.RESPONSIBILITY_MAP
    url_name = "analysis:responsibility_map"

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> Panel:
        from analysis.selectors import review

        return Panel("analysis/review/_map_panel.html", review.map_review(analysis, previous))

    def total(self) -> int:
        return TaskArea.objects.count()

    def describe_missing(self, progress: Progress) -> str:
        missing = progress.total - progress.done
        if missing <= 0:
            return ""
        return ngettext(
            "%(missing)s of %(total)s task areas has no answer",
            "%(missing)s of %(total)s task areas have no answer",
            missing,
        ) % {"missing": missing, "total": progress.total}

    def progress(self, analysis: Analysis) -> Progress:
        cells = reads.responsibility_cells(analysis)
        gaps = reads.task_area_gaps(analysis)
        answered = {
            area for area, _u, role, _pk, _c in cells if role == ResponsibilityRole.RESPONSIBLE
        }
        answered |= {area for area, _g, _pk, _c in gaps}
        return Progress(
            len(answered),
            len(reads.task_areas(analysis)),
            sum(c for *_rest, c in cells) + sum(c for *_rest, c in gaps),
        )

    def total_expression(self) -> Expression:
        return count_of(TaskArea.objects.all())

    def done(self) -> Expression:
        # The task areas with a unit responsible or an honest gap, each counted once.
        analysis = OuterRef(OuterRef("pk"))
        owned = Responsibility.objects.filter(
            analysis=analysis, task_area=OuterRef("pk"), role=ResponsibilityRole.RESPONSIBLE
        )
        gaps = TaskAreaGap.objects.filter(analysis=analysis, task_area=OuterRef("pk"))
        return count_of(TaskArea.objects.filter(Q(Exists(owned)) | Q(Exists(gaps))))

    def carry_over(self, *, source, target, by, note) -> None:
        # Cells of units retired since are left behind: the map shows working units only.
        Responsibility.objects.bulk_create(
            Responsibility(
                analysis=target,
                task_area_id=r.task_area_id,
                unit_id=r.unit_id,
                role=r.role,
                carried_over=True,
            )
            for r in Responsibility.objects.filter(analysis=source, unit__is_active=True)
        )
        TaskAreaGap.objects.bulk_create(
            TaskAreaGap(analysis=target, task_area_id=g.task_area_id, gap=g.gap, carried_over=True)
            for g in TaskAreaGap.objects.filter(analysis=source)
        )

    confirmable = {
        "responsibility": Confirmable(
            rows=lambda analysis: Responsibility.objects.filter(analysis=analysis).select_related(
                "task_area", "unit"
            ),
            revision=lambda row: (
                RevisionKind.RESPONSIBILITY_MAP,
                row.task_area_id,
                f"{row.task_area.name} – {row.unit.name}",
                {"task_area": row.task_area_id, "unit": row.unit_id, "role": row.role},
            ),
            page="analysis:responsibility_map",
        ),
        "responsibility_gap": Confirmable(
            rows=lambda analysis: TaskAreaGap.objects.filter(analysis=analysis).select_related(
                "task_area"
            ),
            revision=lambda row: (
                RevisionKind.RESPONSIBILITY_MAP,
                row.task_area_id,
                row.task_area.name,
                {"task_area": row.task_area_id, "gap": row.gap},
            ),
            page="analysis:responsibility_map",
        ),
    }


class CooperationPart(Part):
    """Cooperation: done when at least one body or external actor is recorded."""

    kind = SectionKind.COOPERATION
    url_name = "analysis:cooperation"

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> Panel:
        from analysis.selectors import review

        return Panel(
            "analysis/review/_cooperation_panel.html", review.cooperation_review(analysis, previous)
        )

    def total(self) -> int:
        return 1

    def describe_missing(self, progress: Progress) -> str:
        if progress.done >= progress.total:
            return ""
        return _("No cooperation body or external actor is registered")

    def progress(self, analysis: Analysis) -> Progress:
        counts = Analysis.objects.filter(pk=analysis.pk).aggregate(
            bodies=Count("cooperation_bodies", distinct=True),
            actors=Count("external_actors", distinct=True),
            carried_bodies=Count(
                "cooperation_bodies",
                filter=Q(cooperation_bodies__carried_over=True),
                distinct=True,
            ),
            carried_actors=Count(
                "external_actors", filter=Q(external_actors__carried_over=True), distinct=True
            ),
        )
        return Progress(
            int(bool(counts["bodies"] or counts["actors"])),
            1,
            counts["carried_bodies"] + counts["carried_actors"],
        )

    def done(self) -> Expression:
        return one_if(
            Q(Exists(CooperationBody.objects.filter(analysis=OuterRef("pk"))))
            | Q(Exists(ExternalActor.objects.filter(analysis=OuterRef("pk"))))
        )

    def carry_over(self, *, source, target, by, note) -> None:
        for model in (CooperationBody, ExternalActor):
            model.objects.bulk_create(
                model(
                    analysis=target,
                    carried_over=True,
                    **{f: getattr(row, f) for f in model.EDITABLE},
                )
                for row in model.objects.filter(analysis=source)
            )

    confirmable = {
        "cooperation_body": Confirmable(
            rows=lambda analysis: CooperationBody.objects.filter(analysis=analysis),
            revision=lambda row: (
                RevisionKind.COOPERATION_BODY,
                row.pk,
                row.name,
                snapshot(row, CooperationBody.EDITABLE),
            ),
            page="analysis:cooperation",
        ),
        "external_actor": Confirmable(
            rows=lambda analysis: ExternalActor.objects.filter(analysis=analysis),
            revision=lambda row: (
                RevisionKind.EXTERNAL_ACTOR,
                row.pk,
                row.name,
                snapshot(row, ExternalActor.EDITABLE),
            ),
            page="analysis:cooperation",
        ),
    }


class AllocationPart(Part):
    """Allocation: done for each instrument whose decision-maker is named, or answered as
    nobody deciding today or not relevant (issue 15)."""

    kind = SectionKind.ALLOCATION
    url_name = "analysis:allocation"

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> Panel:
        from analysis.selectors import review

        return Panel(
            "analysis/review/_allocation_panel.html", review.allocation_review(analysis, previous)
        )

    def total(self) -> int:
        return Instrument.objects.count()

    def describe_missing(self, progress: Progress) -> str:
        missing = progress.total - progress.done
        if missing <= 0:
            return ""
        return ngettext(
            "%(missing)s of %(total)s instruments does not say who decides",
            "%(missing)s of %(total)s instruments do not say who decides",
            missing,
        ) % {"missing": missing, "total": progress.total}

    def progress(self, analysis: Analysis) -> Progress:
        rows = reads.allocation_practices(analysis)
        described = sum(1 for row in rows if row.decided_by or row.gap)
        return Progress(
            described, len(reads.instruments(analysis)), sum(row.carried_over for row in rows)
        )

    def total_expression(self) -> Expression:
        return count_of(Instrument.objects.all())

    def done(self) -> Expression:
        return count_of(
            AllocationPractice.objects.filter(analysis=OuterRef("pk")).exclude(
                decided_by="", gap=""
            )
        )

    def carry_over(self, *, source, target, by, note) -> None:
        AllocationPractice.objects.bulk_create(
            AllocationPractice(
                analysis=target,
                instrument_id=row.instrument_id,
                carried_over=True,
                **{f: getattr(row, f) for f in AllocationPractice.EDITABLE},
            )
            for row in AllocationPractice.objects.filter(analysis=source)
        )

    confirmable = {
        "allocation": Confirmable(
            rows=lambda analysis: AllocationPractice.objects.filter(
                analysis=analysis
            ).select_related("instrument"),
            revision=lambda row: (
                RevisionKind.ALLOCATION,
                row.instrument_id,
                row.instrument.name,
                snapshot(row, AllocationPractice.EDITABLE),
            ),
            page="analysis:allocation",
        )
    }


class ProjectsPart(Part):
    """The project inventory: projects belong to the municipality and outlive rounds, so they
    need no copying; an empty inventory never blocks submission."""

    kind = SectionKind.PROJECTS
    url_name = "analysis:projects"
    required = False

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> Panel:
        from analysis.selectors import review

        return Panel(
            "analysis/review/_projects_panel.html", review.projects_review(analysis, previous)
        )

    def total(self) -> int:
        return 1

    def describe_missing(self, progress: Progress) -> str:
        if progress.done >= progress.total:
            return ""
        return _("No project is registered yet (optional)")

    def progress(self, analysis: Analysis) -> Progress:
        return Progress(int(analysis.municipality.projects.exists()), 1)

    def done(self) -> Expression:
        return one_if(Exists(Project.objects.filter(municipality=OuterRef("municipality"))))


def register_own_parts() -> None:
    for part in (ResponsibilityMapPart(), CooperationPart(), AllocationPart(), ProjectsPart()):
        register(part)
