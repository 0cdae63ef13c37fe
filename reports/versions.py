"""The report page kept rendered, under tokens that change with everything it shows.

Reading what the report shows takes some thirty queries and rendering it most of the rest of
the page's time (issue 16). The page's report is therefore kept in Django's cache
(`{% cached_fragment %}`, boligsosial/templatetags/fragments.py) under a key made of:

- a token per municipality, which changes with every write of anything of that
  municipality the report reads: its analyses (of every round: the previous scores, the
  trend and the plan's history come from earlier rounds), the answers, scores, responsibility
  map, units, cooperation, allocation, projects, user organisations' views, measures, the
  proposed decision, its own figures, the municipality row;
- a global token, for what every report reads: the questionnaire and its questions, the
  success factors, maturity levels, task areas, instruments, target groups, funding sources,
  recommendation rules, rounds, regions and counties, and the names of users (who approved);
- the key figures' own token (keyfigures/versions.py);
- the analysis row as the page read it (version, status, dates), the language, the day (the
  cover's date), whether the person may act on it, and the code (boligsosial/fragments.py).

All three tokens are read in one query on every request, so every process sees a change at
once, whatever cache it has. A token changes inside the writing transaction (it commits with
the data or not at all), once per transaction and scope, through signals: every save, delete
and many-to-many change of those models, so no writer has to remember it. The few bulk writes
(`bulk_create` of the rows carried over from the previous round, of a user organisation's
ratings, of a new edition's questions, of a new round's analyses, of the demo's answers) are
each in a transaction that also saves a row of the same scope (the analysis, the user
organisation's input, the section, the round, the demo's units), and a token changes for the
whole transaction. Only raw SQL or a queryset `update` would go unseen; the one `update` of
what a report shows, of the analysis row (`touch_analysis`), changes its version, which is in
the key. Tokens are random, never counted up, so a token restored by a rolled-back
transaction can never name other data.

The PDF does not use this: it is rendered from the data each time and cached by a fingerprint
of its HTML (reports/cache.py).
"""

from __future__ import annotations

import hashlib
import uuid

from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.db.models import Value
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

GLOBAL = "all"
# A municipality's scope is "m<pk>".
FIGURES = "figures"


def municipality_scope(municipality_id: int) -> str:
    return f"m{municipality_id}"


def page_key(analysis, *, can_act: bool) -> str:
    """The key of the report page's content: the tokens, the analysis row as read, the day,
    and whether the person may act on the analysis (the report's buttons)."""
    everywhere, municipality, figures = tokens_for(analysis.municipality_id)
    row = (
        analysis.version,
        analysis.status,
        analysis.last_activity_at,
        analysis.submitted_at,
        analysis.approved_at,
        analysis.is_demo,
        analysis.previous_id,
    )
    return ":".join(
        [
            "report",
            str(analysis.pk),
            hashlib.sha256(repr(row).encode()).hexdigest()[:16],
            timezone.localdate().isoformat(),
            "act" if can_act else "read",
            everywhere,
            municipality,
            figures,
        ]
    )


def tokens_for(municipality_id: int) -> tuple[str, str, str]:
    """(global, municipality, key figures) tokens now, in one query; "" for one never
    written."""
    from keyfigures.models import FiguresVersion
    from reports.models import ReportVersion

    scope = municipality_scope(municipality_id)
    for marker in _markers(connections["default"]):
        marker.spent = True
    rows = dict(
        ReportVersion.objects.filter(scope__in=[GLOBAL, scope])
        .values_list("scope", "token")
        .union(
            FiguresVersion.objects.filter(pk=1)
            .annotate(scope=Value(FIGURES))
            .values_list("scope", "token")
        )
    )
    return rows.get(GLOBAL, ""), rows.get(scope, ""), rows.get(FIGURES, "")


class _Bumped:
    """An on-commit callback that does nothing: its presence in the transaction's list says
    this scope's token has changed in it already, and needs no change for the transaction's
    next writes. Django drops it with the savepoint it was registered in when that is rolled
    back, and with the transaction, so a later write changes the token again. Reading the
    tokens in the same transaction spends it: what was read may be kept under that token, so
    the next write must change it again."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.spent = False

    def __call__(self) -> None:
        pass


def _markers(connection):
    if not connection.in_atomic_block:
        return []
    return [entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _Bumped)]


def _changed_in_this_transaction(connection, scope: str) -> bool:
    return any(m.scope == scope and not m.spent for m in _markers(connection))


def change(scope: str, *, using: str = "default") -> None:
    """A new token for the scope (once per transaction)."""
    from reports.models import ReportVersion

    connection = connections[using]
    if _changed_in_this_transaction(connection, scope):
        return
    # One statement whether or not the row exists, safe when two writers create it at once.
    ReportVersion.objects.using(using).bulk_create(
        [ReportVersion(scope=scope, token=uuid.uuid4().hex)],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token"],
    )
    if connection.in_atomic_block:
        transaction.on_commit(_Bumped(scope), using=using)


def changed_for_municipality(municipality_id: int | None, *, using: str = "default") -> None:
    change(GLOBAL if municipality_id is None else municipality_scope(municipality_id), using=using)


def _municipality_of(instance, using: str) -> int | None:
    """The municipality of a row's analysis: from the analysis the row holds (what services
    write with), else one query."""
    from analysis.models import Analysis

    held = instance._state.fields_cache.get("analysis")
    if held is not None:
        return held.municipality_id
    if instance.analysis_id is None:
        return None
    return (
        Analysis.objects.using(using)
        .filter(pk=instance.analysis_id)
        .values_list("municipality_id", flat=True)
        .first()
    )


def _through(model, attribute: str, path: str):
    """The municipality of a row known by its parent: `attribute` names the parent's id on the
    row, `path` the municipality's id from the parent."""

    def municipality(instance, using: str) -> int | None:
        parent_id = getattr(instance, attribute)
        if parent_id is None:
            return None
        return model.objects.using(using).filter(pk=parent_id).values_list(path, flat=True).first()

    return municipality


def _scopes():
    """Each model the report reads, and how to find the municipality of one of its rows (None:
    every report reads it)."""
    from analysis import models as analysis
    from factors import models as factors
    from keyfigures.models import LocalFigure
    from plans import models as plans
    from reference import models as reference
    from reports.models import RecommendationRule

    def own(instance, using):
        return instance.municipality_id

    def by_analysis(instance, using):
        # A row deleted with its analysis finds none: then every report's token changes.
        return _municipality_of(instance, using)

    def itself(instance, using):
        return instance.pk

    by_municipality = {
        analysis.Analysis: own,
        analysis.Unit: own,
        analysis.Project: own,
        plans.Measure: own,
        LocalFigure: own,
        reference.Municipality: itself,
        analysis.SectionAssignment: by_analysis,
        analysis.Answer: by_analysis,
        analysis.Responsibility: by_analysis,
        analysis.TaskAreaGap: by_analysis,
        analysis.CooperationBody: by_analysis,
        analysis.ExternalActor: by_analysis,
        analysis.AllocationPractice: by_analysis,
        analysis.StatusChange: by_analysis,
        factors.FactorAssessment: by_analysis,
        factors.Invitation: by_analysis,
        plans.DecisionProposal: by_analysis,
        factors.UserOrganisationInput: _through(
            factors.Invitation, "invitation_id", "analysis__municipality_id"
        ),
        factors.UserFactorRating: _through(
            factors.UserOrganisationInput, "input_id", "invitation__analysis__municipality_id"
        ),
        plans.MeasureStatusChange: _through(plans.Measure, "measure_id", "municipality_id"),
    }
    everywhere = [
        analysis.Round,
        reference.Region,
        reference.County,
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
        RecommendationRule,
    ]
    return by_municipality, everywhere


# What a user's save may change that a report shows: the name (who submitted, who approved).
_USER_NAME_FIELDS = {"first_name", "last_name", "username"}


def connect() -> None:
    by_municipality, everywhere = _scopes()

    def on_change(sender, instance, using=None, **_signal):
        using = using or router.db_for_write(sender)
        municipality = by_municipality.get(sender)
        if municipality is None:
            change(GLOBAL, using=using)
        else:
            changed_for_municipality(municipality(instance, using), using=using)

    def on_m2m(sender, instance, action, using=None, **_signal):
        if action.startswith("post_"):
            on_change(type(instance), instance, using=using)

    def on_user(sender, instance, update_fields=None, using=None, **_signal):
        # A login saves the user too (last_login); that changes no report.
        if update_fields is None or set(update_fields) & _USER_NAME_FIELDS:
            change(GLOBAL, using=using or "default")

    for model in [*by_municipality, *everywhere]:
        uid = f"reports.version.{model._meta.label}"
        post_save.connect(on_change, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(on_change, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                on_m2m,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}",
                weak=False,
            )
    post_save.connect(on_user, sender=User, dispatch_uid="reports.version.user", weak=False)
    # A user's delete empties "changed by" of their status changes without a signal per row.
    post_delete.connect(
        on_user, sender=User, dispatch_uid="reports.version.user.delete", weak=False
    )
