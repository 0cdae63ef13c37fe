from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Pre-analysis")

    def ready(self) -> None:
        from analysis import parts

        parts.register_own_parts()
        watch_what_the_pages_show()


def watch_what_the_pages_show() -> None:
    """The rows of this app and the reference data that the analysis page and the review
    page keep in the cache: a change of any of them shows at once (analysis/versions.py)."""
    from django.contrib.auth.models import User

    from analysis import models, versions
    from reference import models as reference

    def own(row):
        return ("analysis", row.analysis_id)

    def municipality(row):
        return ("municipality", row.municipality_id)

    versions.watch(models.Analysis, municipality)
    versions.watch(models.Unit, municipality)
    versions.watch(models.Project, municipality)
    for model in (
        models.SectionAssignment,
        models.Answer,
        models.Responsibility,
        models.TaskAreaGap,
        models.CooperationBody,
        models.ExternalActor,
        models.AllocationPractice,
        models.StatusChange,
    ):
        versions.watch(model, own)
    # Read by every analysis: the rounds, the reference data, people's names.
    for model in (
        models.Round,
        reference.Region,
        reference.County,
        reference.Municipality,
        reference.MunicipalityClassification,
        reference.Questionnaire,
        reference.Section,
        reference.Question,
        reference.SuccessFactor,
        reference.Criterion,
        reference.MaturityLevel,
        reference.TaskArea,
        reference.Instrument,
        reference.TargetGroup,
        reference.FundingSource,
        User,
    ):
        versions.watch(model, None)
