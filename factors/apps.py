from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactorsConfig(AppConfig):
    name = "factors"
    verbose_name = _("Success factors")

    def ready(self) -> None:
        from analysis import parts
        from factors.parts import FactorsPart

        # The self-assessment is a part of every analysis (analysis/parts.py).
        parts.register(FactorsPart())
        # What the analysis and review pages keep shows a change of these at once.
        from analysis import versions
        from factors import models

        versions.watch(models.FactorAssessment, lambda row: ("analysis", row.analysis_id))
        versions.watch(models.Invitation, lambda row: ("analysis", row.analysis_id))
        versions.watch(
            models.UserOrganisationInput, lambda row: ("analysis", row.invitation.analysis_id)
        )
        versions.watch(
            models.UserFactorRating, lambda row: ("analysis", row.input.invitation.analysis_id)
        )
