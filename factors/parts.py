"""The six-factor self-assessment as a part of the analysis (analysis/parts.py): its progress,
what a new round copies, what can be confirmed unchanged, and its blocks on the analysis page
and the review page. Registered when Django starts (factors/apps.py)."""

from __future__ import annotations

from django.db.models import Exists, Expression, OuterRef
from django.utils.translation import ngettext

from analysis import parts
from analysis.models import Analysis, Revision, RevisionKind
from factors import selectors
from factors.models import FactorAssessment
from factors.services.assessments import snapshot
from reference.models import SectionKind, SuccessFactor


def _confirmation(row: FactorAssessment) -> tuple[str, int, str, dict]:
    return RevisionKind.ASSESSMENT, row.pk, "", snapshot(row)


class FactorsPart(parts.Part):
    """Done for each factor with a score and a text saying where the municipality stands."""

    kind = SectionKind.FACTORS
    url_name = "factors:assessments"
    confirmable = {
        "assessment": parts.Confirmable(
            rows=lambda analysis: FactorAssessment.objects.filter(analysis=analysis),
            revision=_confirmation,
            page="factors:assessments",
        )
    }

    def total(self) -> int:
        return SuccessFactor.objects.count()

    def describe_missing(self, progress: parts.Progress) -> str:
        missing = progress.total - progress.done
        if missing <= 0:
            return ""
        return ngettext(
            "%(missing)s of %(total)s factors has no score and status",
            "%(missing)s of %(total)s factors have no score and status",
            missing,
        ) % {"missing": missing, "total": progress.total}

    def progress(self, analysis: Analysis) -> parts.Progress:
        rows = selectors.assessments_of(analysis)
        complete = sum(1 for row in rows if row.score is not None and row.status)
        return parts.Progress(
            complete,
            len(selectors.success_factors(analysis)),
            sum(row.carried_over for row in rows),
        )

    def total_expression(self) -> Expression:
        return parts.count_of(SuccessFactor.objects.all())

    def done(self) -> Expression:
        return parts.count_of(
            FactorAssessment.objects.filter(analysis=OuterRef("pk"), score__isnull=False).exclude(
                status=""
            )
        )

    def has_content(self) -> Exists:
        return Exists(FactorAssessment.objects.filter(analysis=OuterRef("pk")))

    def carry_over(self, *, source, target, by, note) -> None:
        for old in FactorAssessment.objects.filter(analysis=source):
            values = snapshot(old)
            assessment = FactorAssessment.objects.create(
                analysis=target, factor_id=old.factor_id, carried_over=True, updated_by=by, **values
            )
            Revision.objects.create(
                analysis=target,
                kind=RevisionKind.ASSESSMENT,
                object_id=assessment.pk,
                old_value=None,
                new_value=values,
                changed_by=by,
                note=note,
            )

    def page_panel(self, analysis: Analysis, previous: Analysis | None) -> parts.Panel:
        return parts.Panel(
            "factors/_analysis_panel.html",
            {"analysis": analysis, **selectors.profile(analysis, previous)},
            for_everyone=True,
        )

    def review_panel(self, analysis: Analysis, previous: Analysis | None) -> parts.Panel:
        return parts.Panel("factors/_review_panel.html", selectors.review(analysis, previous))
