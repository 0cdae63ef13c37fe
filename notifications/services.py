"""Who gets which message, in their own language, with a link to the exact page and one to
stop that kind of message. Everything here records messages in the outbox inside the
caller's transaction; nothing here talks to a mail server."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import editors_of
from accounts.models import Membership, Role
from accounts.selectors import advisers_of, languages_for
from analysis.models import Analysis, AnalysisStatus, Round
from notifications.models import Kind, OptOut, OverdueNotice, Reminder
from outbox import services as outbox
from plans.models import Measure

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps([user.pk, kind], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) from a message's link, or None for a link we did not make."""
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in Kind.values or not isinstance(user_id, int):
        return None
    return user_id, kind


def turn_off(*, user: User, kind: str) -> bool:
    """Returns whether it was on until now."""
    _row, created = OptOut.objects.get_or_create(user=user, kind=kind)
    return created


@transaction.atomic
def save_choices(*, user: User, enabled: set[str], offered: Iterable[str]) -> None:
    offered = set(offered)
    OptOut.objects.filter(user=user, kind__in=offered & enabled).delete()
    for kind in sorted(offered - enabled):
        OptOut.objects.get_or_create(user=user, kind=kind)


def wanting(*, kind: Kind, users: Iterable[User], exclude: User | None = None) -> list[User]:
    """The people among `users` who get this kind of message: active, with an e-mail
    address, not the one who caused it, and not turned off."""
    unique = {u.pk: u for u in users if u.is_active and u.email}
    if exclude is not None:
        unique.pop(exclude.pk, None)
    muted = set(
        OptOut.objects.filter(kind=kind, user_id__in=unique).values_list("user_id", flat=True)
    )
    return [u for pk, u in unique.items() if pk not in muted]


def submission_audience(analysis: Analysis) -> Iterable[User]:
    """Who hears that an analysis was submitted: the advisers of its region."""
    return advisers_of(analysis.municipality.county.region_id)


def submission_recipients(analysis: Analysis, by: User | None) -> list[User]:
    """Those the "analysis submitted" e-mail goes to (the receipt page names them)."""
    return wanting(kind=Kind.SUBMITTED, users=submission_audience(analysis), exclude=by)


def notify(
    *,
    kind: Kind,
    users: Iterable[User],
    template: str,
    context: dict,
    per_user: Callable[[User], dict] | None = None,
    exclude: User | None = None,
) -> int:
    """Record `template` for each person who wants this kind of message: active, with an
    e-mail address, not the one who caused it. Returns how many were recorded."""
    recipients = wanting(kind=kind, users=users, exclude=exclude)
    if not recipients:
        return 0
    languages = languages_for(recipients)
    settings_url = outbox.absolute_url(reverse("notifications:settings"))
    messages = []
    for user in recipients:
        unsubscribe = outbox.absolute_url(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)])
        )
        messages.append(
            outbox.render(
                template,
                {
                    **context,
                    **(per_user(user) if per_user else {}),
                    "recipient": user,
                    "kind": kind,
                    "unsubscribe_url": unsubscribe,
                    "settings_url": settings_url,
                },
                to=user.email,
                language=languages[user.pk],
                kind=kind,
                headers={
                    # RFC 8058: mail programs offer a one-click "unsubscribe".
                    "List-Unsubscribe": f"<{unsubscribe}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    outbox.enqueue(*messages)
    return len(messages)


def link(name: str, *args, fragment: str = "") -> str:
    return outbox.absolute_url(reverse(name, args=args)) + (f"#{fragment}" if fragment else "")


# --- Reminders before a round closes ---------------------------------------------------------

NOT_SUBMITTED = [AnalysisStatus.NOT_STARTED, AnalysisStatus.IN_PROGRESS, AnalysisStatus.SENT_BACK]


def reminder_stage(round_: Round, today: datetime.date) -> int | None:
    """The stage a round is at: the smallest REMINDER_DAYS_BEFORE_CLOSE the days left have
    reached. A run that comes late sends the stage it finds, not the ones it missed."""
    if not round_.opens_on <= today <= round_.closes_on:
        return None
    days_left = (round_.closes_on - today).days
    reached = [d for d in settings.REMINDER_DAYS_BEFORE_CLOSE if d >= days_left]
    return min(reached) if reached else None


def _claim_reminder(round_: Round, user: User, stage: int) -> bool:
    """Record that the person gets this reminder; False if someone already did (another run,
    even one running at this moment: the unique constraint decides)."""
    _row, created = Reminder.objects.get_or_create(round=round_, user=user, days_before=stage)
    return created


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the editors of every municipality that has not submitted, and the advisers of
    their regions with the list of those municipalities; each person once per stage."""
    today = today or timezone.localdate()
    sent = 0
    for round_ in Round.objects.filter(opens_on__lte=today, closes_on__gte=today):
        stage = reminder_stage(round_, today)
        if stage is None:
            continue
        pending = list(
            Analysis.objects.filter(
                round=round_, status__in=NOT_SUBMITTED, municipality__valid_to__isnull=True
            )
            .select_related("municipality__county__region")
            .order_by("municipality__number")
        )
        by_municipality = {a.municipality_id: a for a in pending}
        muted = set(OptOut.objects.filter(kind=Kind.REMINDER).values_list("user_id", flat=True))
        done = set(
            Reminder.objects.filter(round=round_, days_before=stage).values_list(
                "user_id", flat=True
            )
        )
        editors: dict[int, list[Analysis]] = {}
        users: dict[int, User] = {}
        for membership in Membership.objects.filter(
            role=Role.EDITOR, municipality_id__in=by_municipality, user__is_active=True
        ).select_related("user"):
            users[membership.user_id] = membership.user
            editors.setdefault(membership.user_id, []).append(
                by_municipality[membership.municipality_id]
            )
        context = {"round": round_, "days_left": (round_.closes_on - today).days}
        for user_id, analyses in editors.items():
            if user_id in muted or user_id in done:
                continue
            with transaction.atomic():
                if _claim_reminder(round_, users[user_id], stage):
                    sent += notify(
                        kind=Kind.REMINDER,
                        users=[users[user_id]],
                        template="emails/reminder_municipality",
                        context={
                            **context,
                            "analyses": [(a, link("analysis:detail", a.pk)) for a in analyses],
                        },
                    )
        regions: dict[int, list[Analysis]] = {}
        for analysis in pending:
            regions.setdefault(analysis.municipality.county.region_id, []).append(analysis)
        advisers: dict[int, list[tuple]] = {}
        for region_id, analyses in regions.items():
            for adviser in advisers_of(region_id):
                users[adviser.pk] = adviser
                advisers.setdefault(adviser.pk, []).append(
                    (
                        analyses[0].municipality.county.region,
                        analyses,
                        link("overview:region", region_id),
                    )
                )
        for user_id, regions_left in advisers.items():
            if user_id in muted or user_id in done:
                continue
            with transaction.atomic():
                if _claim_reminder(round_, users[user_id], stage):
                    sent += notify(
                        kind=Kind.REMINDER,
                        users=[users[user_id]],
                        template="emails/reminder_region",
                        context={**context, "regions": regions_left},
                    )
    return sent


# --- Measures past their deadline ----------------------------------------------------------


def send_overdue_measures(*, today: datetime.date | None = None) -> int:
    """Tell the owner of each open measure whose deadline has passed (the municipality's
    editors when no user owns it), once per deadline. Returns how many messages were
    recorded."""
    today = today or timezone.localdate()
    sent = 0
    measures = (
        Measure.objects.overdue(today)
        .filter(municipality__valid_to__isnull=True)
        .select_related("municipality", "owner_user", "responsible_unit")
        .order_by("deadline", "pk")
    )
    measures = list(measures)
    # The page each message links to: the municipality's latest analysis (one query for all).
    latest = {}
    for analysis_id, municipality_id in (
        Analysis.objects.filter(municipality_id__in={m.municipality_id for m in measures})
        .order_by("round__year")
        .values_list("pk", "municipality_id")
    ):
        latest[municipality_id] = analysis_id
    for measure in measures:
        with transaction.atomic():
            _notice, created = OverdueNotice.objects.get_or_create(
                measure=measure, deadline=measure.deadline
            )
            if not created:
                continue
            owner = measure.owner_user
            users = (
                [owner]
                if owner is not None and owner.is_active and owner.email
                else list(editors_of(measure.municipality))
            )
            analysis_id = latest.get(measure.municipality_id)
            sent += notify(
                kind=Kind.MEASURE_OVERDUE,
                users=users,
                template="emails/measure_overdue",
                context={
                    "measure": measure,
                    "days_over": (today - measure.deadline).days,
                    "url": link("plans:measure_edit", analysis_id, measure.pk)
                    if analysis_id is not None
                    else "",
                },
            )
    return sent
