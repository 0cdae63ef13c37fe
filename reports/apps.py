from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from analysis import parts
        from reports import receivers  # noqa: F401 (connects them)
        from reports.parts import RecommendationsPart

        # The recommendations, each a step from a measure, on the analysis page.
        parts.register(RecommendationsPart())
        # What the analysis page and the report page keep shows a change of these at once
        # (analysis/versions.py): the rules behind the recommendations, and the municipality's
        # own figures, which the report prints beside the key figures.
        from analysis import versions
        from keyfigures.models import LocalFigure
        from reports.models import RecommendationRule

        versions.watch(RecommendationRule, None)
        versions.watch(LocalFigure, lambda row: ("municipality", row.municipality_id))
