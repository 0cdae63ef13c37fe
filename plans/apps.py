from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from analysis import parts
        from plans.parts import MeasuresPart

        # The plan is shown on the analysis page and holds back submission until every
        # measure carried over from an earlier round has a word on what happened since.
        parts.register(MeasuresPart())
        # What the analysis and review pages keep shows a change of these at once.
        from analysis import versions
        from plans import models

        versions.watch(models.Measure, lambda row: ("municipality", row.municipality_id))
        versions.watch(
            models.MeasureStatusChange, lambda row: ("municipality", row.measure.municipality_id)
        )
        versions.watch(models.DecisionProposal, lambda row: ("analysis", row.analysis_id))
