"""Questionnaire editions. A round is tied to one edition, so answers from different rounds
stay comparable; administrators change texts by publishing a new edition, copied from the
last one and edited before it is published."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reference.models import Question, Questionnaire


@transaction.atomic
def copy_questionnaire_edition(*, source: Questionnaire) -> Questionnaire:
    """A draft edition (unpublished) with every section and question of `source`."""
    next_edition = (Questionnaire.objects.aggregate(m=Max("edition"))["m"] or 0) + 1
    titles = {}
    for language in ("nb", "nn", "en"):
        title = getattr(source, f"title_{language}")
        with translation.override(language):
            titles[f"title_{language}"] = (
                _("%(title)s (edition %(edition)s)")
                % {"title": title.split(" (")[0], "edition": next_edition}
                if title
                else ""
            )
    draft = Questionnaire.objects.create(edition=next_edition, source=source.source, **titles)
    for section in source.sections.prefetch_related("questions"):
        questions = list(section.questions.all())
        section.pk = None
        section.questionnaire = draft
        section.save()
        for question in questions:
            question.pk = None
            question.section = section
        Question.objects.bulk_create(questions)
    return draft


def edition_is_frozen(questionnaire: Questionnaire) -> bool:
    """A published edition, or one a round uses, keeps its texts: answers were given to them.
    Changing a question means copying the edition and publishing the copy."""
    return questionnaire.published_at is not None or questionnaire.rounds.exists()


def publish_questionnaire_edition(*, questionnaire: Questionnaire) -> None:
    if questionnaire.published_at is None:
        questionnaire.published_at = timezone.now()
        questionnaire.save(update_fields=["published_at"])


__all__ = [
    "copy_questionnaire_edition",
    "edition_is_frozen",
    "publish_questionnaire_edition",
]
