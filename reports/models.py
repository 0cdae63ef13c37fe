"""Archived report files and the recommendation rules the report applies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.models import Analysis
from reference.models import CitedMixin, TranslatedFieldsMixin


def archive_path(instance: ArchivedReport, filename: str) -> str:
    return (
        f"reports/{instance.analysis.municipality.number}/{instance.analysis.round.year}/{filename}"
    )


class ArchivedReport(models.Model):
    """A PDF sent to political leadership: kept as a file, unchanged, with who made it, when,
    its checksum and the analysis version it came from."""

    analysis = models.ForeignKey(
        Analysis, on_delete=models.PROTECT, related_name="archived_reports"
    )
    file = models.FileField(_("file"), upload_to=archive_path)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    analysis_version = models.PositiveIntegerField(_("analysis version"))
    language = models.CharField(_("language"), max_length=5, default="nb")
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("archived report")
        verbose_name_plural = _("archived reports")

    @property
    def language_name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


class RecommendationRule(CitedMixin, TranslatedFieldsMixin, models.Model):
    """A recommendation and the rule that makes it appear; the rule's condition is a small
    function in `reports/recommendations.py` named by `key`, so an administrator can read
    here why each recommendation appears and where it comes from. `order` is the priority:
    the report lists the recommendations that apply by it, and its summary names the first
    three."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    is_active = models.BooleanField(_("active"), default=True)
    title_nb = models.CharField(_("title (bokmål)"), max_length=200)
    title_nn = models.CharField(_("title (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_nb = models.TextField(_("recommendation (bokmål)"))
    body_nn = models.TextField(_("recommendation (nynorsk)"), blank=True)
    body_en = models.TextField(_("recommendation (English)"), blank=True)
    condition_nb = models.TextField(_("when it applies (bokmål)"))
    condition_nn = models.TextField(_("when it applies (nynorsk)"), blank=True)
    condition_en = models.TextField(_("when it applies (English)"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_nn = models.CharField(_("source (nynorsk)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("recommendation rule")
        verbose_name_plural = _("recommendation rules")

    def __str__(self) -> str:
        return self.localized("title")

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def body(self) -> str:
        return self.localized("body")


class ReportVersion(models.Model):
    """A token that changes with every change of what a report shows: one row for what every
    report reads ("all") and one per municipality ("m<pk>"). The rendered report page is kept
    in the cache under them (reports/versions.py)."""

    scope = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"
