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
        # The report page kept rendered follows every change of what it shows.
        from reports import versions

        versions.connect()
