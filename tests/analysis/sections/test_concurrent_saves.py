"""Two people press Save on the same section at the same moment, from the same copy. The
saves run in two threads against the real database (SQLite or PostgreSQL): exactly one wins,
the other gets the conflict page with both versions, and nothing is lost. Saves of different
answers both go through."""

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role
from analysis.models import Answer, Revision
from analysis.services import answers as answer_services
from reference.models import Question
from tests.form_data import form_data

# Transactional: the two threads use their own connections and must see committed rows. The
# conftest sorts these tests last, since they empty the database when they finish.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editors(analysis, django_user_model):
    users = []
    for name in ("kari", "ola"):
        user = django_user_model.objects.create_user(name, password="x-y-z-123456")
        Membership.objects.create(user=user, role=Role.EDITOR, municipality=analysis.municipality)
        users.append(user)
    return users


# Long enough for the other thread to reach the meeting point if nothing holds it back.
MEETING_TIMEOUT = 1.0


@pytest.fixture
def meeting_point(monkeypatch):
    """Each save, right after it has read the saved answers and before it decides, waits for
    the other save to have read them too. Without the row lock both read the same old state,
    meet here and both write: the tests below would see two winners. With the lock the other
    save cannot read until the first commits, so the first waits out the timeout alone and
    the second finds the barrier broken. The page loads before the race run in the main
    thread and never wait."""
    barrier = threading.Barrier(2, timeout=MEETING_TIMEOUT)
    original = answer_services.answers_by_question

    def read_then_meet(analysis, section):
        existing = original(analysis, section)
        if threading.current_thread() is not threading.main_thread():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return existing

    monkeypatch.setattr(answer_services, "answers_by_question", read_then_meet)
    return barrier


def run_together(*posts):
    """Run the posts in threads that start at the same moment; return their responses."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)
    errors = []

    def run(i, client, url, data):
        try:
            barrier.wait()
            responses[i] = client.post(url, data)
        except Exception as error:  # noqa: BLE001 - reported below, with the thread's error
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return responses


def loaded(user, url, **answers):
    client = Client()
    client.force_login(user)
    form = client.get(url).context["form"]
    return client, url, form_data(form, **{f"q-{k}": v for k, v in answers.items()})


@pytest.mark.parametrize("saved_before", [False, True], ids=["new answer", "saved answer"])
def test_two_simultaneous_saves_of_the_same_answer_one_wins_one_sees_the_conflict(
    analysis, editors, meeting_point, saved_before
):
    url = reverse("analysis:section", args=[analysis.pk, "forarbeid"])
    kari, ola = editors
    section = analysis.round.questionnaire.sections.get(key="forarbeid")
    if saved_before:
        # Both load version 1: two overlapping saves would each write version 2 silently.
        answer_services.save_section_answers(
            analysis=analysis,
            section=section,
            values={"eksisterende-planer": "Første tekst"},
            versions={},
            by=kari,
        )
    responses = run_together(
        loaded(kari, url, **{"eksisterende-planer": "Karis tekst"}),
        loaded(ola, url, **{"eksisterende-planer": "Olas tekst"}),
    )
    assert sorted(r.status_code for r in responses) == [302, 409]
    # The second save could not read before the first had committed: they were serialised.
    assert meeting_point.broken
    winner, loser = sorted(responses, key=lambda r: r.status_code)
    answer = Answer.objects.get(question__key="eksisterende-planer")
    assert answer.version == 1 + saved_before
    assert Revision.objects.filter(answer=answer).count() == 1 + saved_before
    assert answer.value in {"Karis tekst", "Olas tekst"}
    # The loser's page shows both texts, and the form still holds the loser's own text.
    mine = "Karis tekst" if answer.value == "Olas tekst" else "Olas tekst"
    conflict = loser.content.decode()
    conflict = conflict[conflict.index('id="conflict"') :]
    assert answer.value in conflict and mine in conflict
    assert form_data(loser.context["form"])["q-eksisterende-planer"] == mine
    assert winner.status_code == 302


def test_two_simultaneous_saves_of_different_answers_are_both_kept(
    analysis, editors, meeting_point
):
    url = reverse("analysis:section", args=[analysis.pk, "forarbeid"])
    kari, ola = editors
    responses = run_together(
        loaded(kari, url, **{"eksisterende-planer": "Karis tekst"}),
        loaded(ola, url, **{"kunnskapsgrunnlag": "Olas tekst"}),
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert meeting_point.broken
    values = dict(Answer.objects.values_list("question__key", "value"))
    assert values == {"eksisterende-planer": "Karis tekst", "kunnskapsgrunnlag": "Olas tekst"}
    assert Question.objects.filter(key__in=values).count() == 2
