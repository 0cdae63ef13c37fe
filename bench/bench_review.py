"""The national view's response time with 36 and with 357 municipalities filled in (two rounds
of data), and their ratio, measured in one run through Django's test client against /healthz
as a trivial baseline on the same stack. The query count is pinned in the tests; this shows
that the time does not grow with the data either."""

from __future__ import annotations

import datetime
import random
import statistics
import time

from bench._setup import setup_django


def _median_ms(client, url: str, repeat: int = 7) -> float:
    client.get(url)  # warm up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def _fill(analyses, rng) -> None:
    from analysis.models import Answer, Question
    from factors.models import FactorAssessment, SuccessFactor

    factors = list(SuccessFactor.objects.all())
    questions = list(Question.objects.filter(kind="text"))
    FactorAssessment.objects.bulk_create(
        FactorAssessment(analysis=a, factor=f, score=rng.randint(1, 5), status="Generert")
        for a in analyses
        for f in factors
    )
    Answer.objects.bulk_create(
        Answer(analysis=a, question=q, value="Generert svar") for a in analyses for q in questions
    )


def main() -> None:
    setup_django()
    from django.contrib.auth.models import User
    from django.test import Client

    from analysis.models import Analysis, Questionnaire, Region
    from analysis.services.rounds import open_round

    rng = random.Random(36)
    questionnaire = Questionnaire.objects.get(edition=1)
    first = open_round(
        year=2025,
        title="Runde 2025",
        questionnaire=questionnaire,
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 12, 31),
    )
    second = open_round(
        year=2026,
        title="Runde 2026",
        questionnaire=questionnaire,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 12, 31),
    )
    admin = User.objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(admin)
    national = "/analyse/landet/?runde=2026"
    region = Region.objects.get(name="Statsforvalteren i Nordland")
    regional = f"/analyse/region/{region.pk}/?runde=2026"

    order = list(
        Analysis.objects.filter(round=second).order_by("?").values_list("municipality", flat=True)
    )
    filled_36 = order[:36]
    for round_ in (first, second):
        _fill(list(Analysis.objects.filter(round=round_, municipality__in=filled_36)), rng)
    healthz_ms = _median_ms(client, "/healthz")
    national_36 = _median_ms(client, national)
    regional_36 = _median_ms(client, regional)

    for round_ in (first, second):
        _fill(list(Analysis.objects.filter(round=round_).exclude(municipality__in=filled_36)), rng)
    national_357 = _median_ms(client, national)
    regional_357 = _median_ms(client, regional)
    healthz_again = _median_ms(client, "/healthz")

    print(f"healthz: {statistics.mean([healthz_ms, healthz_again]):.1f} ms")
    print(f"national_view_36_filled: {national_36:.0f} ms")
    print(f"national_view_357_filled: {national_357:.0f} ms")
    print(f"national_view_357_to_36_ratio: {national_357 / national_36:.2f} x")
    print(f"national_view_357_to_healthz_ratio: {national_357 / healthz_again:.0f} x")
    print(f"region_overview_nordland_357_filled: {regional_357:.0f} ms")
    print(f"region_overview_36_to_357_ratio: {regional_357 / regional_36:.2f} x")
