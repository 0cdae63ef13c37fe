from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Pre-analysis")

    def ready(self) -> None:
        from analysis import parts

        parts.register_own_parts()
