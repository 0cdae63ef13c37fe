"""The national view's response time with 36 and with 357 municipalities filled in (each
with a previous round of data, so the change since the previous round is computed too), their
ratio, and both against /healthz as a trivial view on the same stack, measured in one run
through Django's test client. The region overview for Nordland likewise.

The two data sets live side by side in one database: rounds 2025 → 2026 have 36
municipalities filled in, rounds 2027 → 2028 all 357. The views are timed in turns (36, 357,
healthz, 36, 357, healthz …), so a busy machine slows every figure alike and the ratios hold.
The query count is pinned in the tests; this shows the time does not grow with the data
either.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from bench._setup import setup_django

ROUNDS = 25


def _fill(analyses, rng) -> None:
    from analysis.models import Answer
    from factors.models import FactorAssessment
    from reference.models import Question, SuccessFactor

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


def _key_figures(rng) -> None:
    """Five years of the overview's key figures for every municipality, some counts under 3."""
    from keyfigures.models import Indicator, IndicatorValue
    from overview.selectors.table import OVERVIEW_INDICATORS
    from reference.models import Municipality

    indicators = list(Indicator.objects.filter(code__in=OVERVIEW_INDICATORS))
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=i, municipality=m, year=year, value=rng.randint(0, 60), source_file="bench"
        )
        for i in indicators
        for m in Municipality.objects.all()
        for year in range(2019, 2024)
    )


def _timed_in_turns(client, urls: dict[str, str]) -> dict[str, float]:
    """Median milliseconds per URL, the URLs requested in turns."""
    for url in urls.values():
        assert client.get(url).status_code == 200, url  # warm up
    times: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(ROUNDS):
        for name, url in urls.items():
            t0 = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    setup_django()
    from django.contrib.auth.models import User
    from django.test import Client

    from analysis.models import Analysis
    from analysis.services.rounds import open_round
    from reference.models import Questionnaire, Region

    rng = random.Random(36)
    questionnaire = Questionnaire.objects.get(edition=1)
    rounds = {
        year: open_round(
            year=year,
            title=f"Runde {year}",
            questionnaire=questionnaire,
            opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year, 12, 31),
        )
        for year in (2025, 2026, 2027, 2028)
    }
    _key_figures(rng)
    order = list(
        Analysis.objects.filter(round=rounds[2026])
        .order_by("?")
        .values_list("municipality", flat=True)
    )
    for year in (2025, 2026):
        _fill(list(Analysis.objects.filter(round=rounds[year], municipality__in=order[:36])), rng)
    for year in (2027, 2028):
        _fill(list(Analysis.objects.filter(round=rounds[year])), rng)

    admin = User.objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(admin)
    nordland = Region.objects.get(name="Statsforvalteren i Nordland")
    ms = _timed_in_turns(
        client,
        {
            "national_36": "/analyse/landet/?runde=2026",
            "national_357": "/analyse/landet/?runde=2028",
            "region_36": f"/analyse/region/{nordland.pk}/?runde=2026",
            "region_357": f"/analyse/region/{nordland.pk}/?runde=2028",
            "healthz": "/healthz",
        },
    )
    healthz = ms["healthz"]
    print(f"healthz: {healthz:.1f} ms")
    print(f"national_view_36_filled: {ms['national_36']:.0f} ms")
    print(f"national_view_357_filled: {ms['national_357']:.0f} ms")
    print(f"national_view_357_to_36_ratio: {ms['national_357'] / ms['national_36']:.2f} x")
    print(f"national_view_36_to_healthz_ratio: {ms['national_36'] / healthz:.0f} x")
    print(f"national_view_357_to_healthz_ratio: {ms['national_357'] / healthz:.0f} x")
    print(f"region_overview_nordland_36_filled: {ms['region_36']:.0f} ms")
    print(f"region_overview_nordland_357_filled: {ms['region_357']:.0f} ms")
    print(f"region_overview_357_to_36_ratio: {ms['region_357'] / ms['region_36']:.2f} x")
