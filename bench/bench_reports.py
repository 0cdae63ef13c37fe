"""Report benchmarks: Fauske's full PDF from the database, WeasyPrint alone on exactly the HTML
the full path handed it, their ratio (Fauske with three rounds of scores and a plan of twelve
measures), the report cache's miss and hit, the time per chart with
plotly-print (the exporter in use) and with kaleido driving Debian's Chromium, and the region
batch for the 41 Nordland municipalities filled with generated answers, cold and warm.

Prints `name: value unit` lines, medians of BENCH_REPEAT runs (default 7); the full path and
WeasyPrint alone are run in turn, so load from other processes falls on both alike. Runs in a
throwaway SQLite database and media folder.
"""

from __future__ import annotations

import datetime
import gc
import io
import os
import random
import statistics
import tempfile
import time
import warnings
from io import StringIO
from pathlib import Path

from pypdf import PdfReader


def _median(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _fill_region(year: int) -> None:
    """Generated answers for every Nordland municipality: scores, answers, a responsibility map
    with gaps, cooperation, allocation and a few projects each."""
    from analysis.models import (
        ActorKind,
        AllocationPractice,
        Analysis,
        Answer,
        CooperationBody,
        ExternalActor,
        Project,
        ProjectStatus,
        Responsibility,
        ResponsibilityRole,
        Unit,
    )
    from factors.models import FactorAssessment
    from reference.models import Instrument, Question, SuccessFactor, TaskArea

    rng = random.Random(1841)  # noqa: S311 – generated test answers, not secrets
    factors = list(SuccessFactor.objects.order_by("number"))
    areas = list(TaskArea.objects.order_by("order"))
    instruments = list(Instrument.objects.all())
    analyses = Analysis.objects.filter(
        round__year=year, municipality__county__region__name="Statsforvalteren i Nordland"
    ).select_related("municipality", "round")
    # Filled in means started: the region batch takes only the started analyses.
    analyses.filter(status="not_started").update(status="in_progress")
    questions = list(Question.objects.filter(section__questionnaire__rounds__year=year))
    for analysis in analyses:
        m = analysis.municipality
        units = [
            Unit.objects.create(municipality=m, name=name)
            for name in ["NAV-kontoret", "Helse og omsorg", "Eiendom", "Plan og utvikling"]
        ]
        answers = []
        for q in questions:
            if q.kind == "yes_no":
                value = rng.choice(["yes", "no"])
            elif q.kind == "choice":
                value = rng.choice(q.choices)["value"]
            else:
                value = f"Generert svar for {m.name} på «{q.key}». " * rng.randint(1, 8)
            answers.append(Answer(analysis=analysis, question=q, value=value))
        Answer.objects.bulk_create(answers)
        FactorAssessment.objects.bulk_create(
            [
                FactorAssessment(
                    analysis=analysis,
                    factor=f,
                    score=rng.randint(1, 5),
                    status=f"{m.name} står slik på {f.name_nb}. " * 3,
                    challenges="Utskifting av ledere og medarbeidere. " * 2,
                    evidence="Drøftet i arbeidsgruppen.",
                )
                for f in factors
            ]
        )
        Responsibility.objects.bulk_create(
            [
                Responsibility(
                    analysis=analysis,
                    task_area=area,
                    unit=rng.choice(units),
                    role=ResponsibilityRole.RESPONSIBLE,
                )
                for area in areas
                if rng.random() > 0.2
            ]
        )
        CooperationBody.objects.create(analysis=analysis, name="Boligforum", is_formal=False)
        ExternalActor.objects.create(analysis=analysis, kind=ActorKind.NAV, name="NAV")
        AllocationPractice.objects.bulk_create(
            [
                AllocationPractice(
                    analysis=analysis, instrument=i, decided_by="Tildelingsteamet", criteria="Behov"
                )
                for i in instruments
            ]
        )
        for n in range(3):
            project = Project.objects.create(
                municipality=m,
                name=f"Prosjekt {n + 1} i {m.name}",
                description="Generert prosjekt. " * 5,
                responsible_unit=units[n],
                starts_on=datetime.date(year - 1, 1, 1),
                ends_on=datetime.date(year + 1, 12, 31),
                status=ProjectStatus.ACTIVE,
            )
            project.factors.set(rng.sample(factors, 2))


def _give_fauske_history_and_a_plan(year: int) -> None:
    """Fauske as issue 12 measures it: scores in the two rounds before this one (three rounds of
    trend) and a plan of twelve measures with owners, deadlines, costs and status changes."""
    from analysis.models import Analysis, Unit
    from analysis.services.rounds import open_round
    from factors.models import FactorAssessment
    from plans.models import Measure, MeasurePriority, MeasureStatus, MeasureStatusChange
    from reference.models import Questionnaire, SuccessFactor

    rng = random.Random(2024)  # noqa: S311 – generated test answers, not secrets
    factors = list(SuccessFactor.objects.order_by("number"))
    for past in (year - 2, year - 1):
        open_round(
            year=past,
            title=f"Foranalyse {past}",
            questionnaire=Questionnaire.objects.get(edition=1),
            opens_on=datetime.date(past, 1, 1),
            closes_on=datetime.date(past, 12, 31),
        )
        analysis = Analysis.objects.get(round__year=past, municipality__number="1841")
        FactorAssessment.objects.bulk_create(
            [
                FactorAssessment(analysis=analysis, factor=f, score=rng.randint(1, 5))
                for f in factors
            ]
        )
    analysis = Analysis.objects.select_related("municipality", "round").get(
        round__year=year, municipality__number="1841"
    )
    units = list(Unit.objects.filter(municipality=analysis.municipality))
    statuses = [MeasureStatus.PLANNED, MeasureStatus.STARTED, MeasureStatus.DONE]
    for n in range(12):
        measure = Measure.objects.create(
            municipality=analysis.municipality,
            planned_in=analysis.round,
            title=f"Tiltak {n + 1}: generert tiltak for Fauske",
            description="Generert beskrivelse av tiltaket. " * 4,
            responsible_unit=units[n % len(units)],
            owner_name=f"Eier {n + 1}",
            owner_role="Enhetsleder",
            deadline=datetime.date(year + 1, 1 + n % 12, 1),
            priority=rng.choice(list(MeasurePriority)),
            status=statuses[n % 3],
            estimated_cost=100_000 * (n + 1),
        )
        measure.factors.set(rng.sample(factors, 2))
        MeasureStatusChange.objects.create(
            measure=measure, round=analysis.round, from_status="", to_status=MeasureStatus.PLANNED
        )


def _kaleido_per_chart(fig, repeat: int) -> tuple[float, float] | str:
    try:
        import kaleido
        import plotly.io as pio
    except ImportError:
        return "kaleido is not installed"
    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The first chart includes starting Chromium; later ones reuse the kept server.
            t0 = time.perf_counter()
            kaleido.start_sync_server(mathjax=False)
            pio.to_image(fig, format="svg")
            first = time.perf_counter() - t0
            each = _median(lambda: pio.to_image(fig, format="svg"), repeat)
            kaleido.stop_sync_server()
        return first, each
    except Exception as error:  # noqa: BLE001 – any failure means "kaleido cannot work here"
        return f"kaleido failed: {type(error).__name__}: {error}"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "boligsosial.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("ALLOW_DEV_SECRET_KEY", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import translation

    from analysis.services.rounds import open_round
    from boligsosial.charts import figure_to_svg
    from reference.models import Questionnaire
    from reference.services.loading import load_reference_data
    from reports import cache, services
    from reports.management.commands.load_recommendation_rules import (
        load_recommendation_rules,
    )
    from reports.selectors import analysis_for_report, report_context

    call_command("migrate", verbosity=0)
    load_reference_data()
    load_recommendation_rules()
    year = 2026
    open_round(
        year=year,
        title="Foranalyse 2026",
        questionnaire=Questionnaire.objects.get(edition=1),
        opens_on=datetime.date(year, 1, 1),
        closes_on=datetime.date(year, 12, 31),
    )
    with transaction.atomic():
        _fill_region(year)
        _give_fauske_history_and_a_plan(year)

    translation.activate("nb")
    repeat = int(os.environ.get("BENCH_REPEAT", "7"))
    print(f"# medians of {repeat} runs; full path and WeasyPrint alone are interleaved")

    t0 = time.perf_counter()
    services.render_report_pdf(analysis_for_report("1841", year))  # imports, QuickJS start
    print(f"report_pdf_fauske_first_in_process: {time.perf_counter() - t0:.2f} s")

    # The full path from the database, capturing the exact HTML it hands to WeasyPrint; then
    # WeasyPrint alone on that same string, alternating so load on the machine hits both.
    layout = services.html_to_pdf
    seen: list[str] = []

    def capturing(html: str) -> bytes:
        seen.append(html)
        return layout(html)

    full_wall, full_cpu, weasy_wall, weasy_cpu = [], [], [], []
    services.html_to_pdf = capturing
    try:
        for _ in range(repeat):
            gc.collect()
            w0, c0 = time.perf_counter(), time.process_time()
            pdf = services.render_report_pdf(analysis_for_report("1841", year))
            full_wall.append(time.perf_counter() - w0)
            full_cpu.append(time.process_time() - c0)
            html = seen[-1]
            gc.collect()
            w0, c0 = time.perf_counter(), time.process_time()
            layout(html)
            weasy_wall.append(time.perf_counter() - w0)
            weasy_cpu.append(time.process_time() - c0)
    finally:
        services.html_to_pdf = layout
    median = statistics.median
    # Wall-clock time is what a person waits; CPU time of this process is what the work
    # costs, and does not grow when other processes share the machine (both paths run in
    # this one process: no browser, no subprocess), so the ratio is taken from it.
    print(f"report_pdf_fauske_from_db: {median(full_wall):.2f} s")
    print(f"report_pdf_weasyprint_alone_same_html: {median(weasy_wall):.2f} s")
    print(f"report_pdf_fauske_from_db_cpu: {median(full_cpu):.2f} s")
    print(f"report_pdf_weasyprint_alone_same_html_cpu: {median(weasy_cpu):.2f} s")
    print(f"report_pdf_weasyprint_share_cpu: {median(weasy_cpu) / median(full_cpu):.2f} ratio")
    print(f"report_pdf_weasyprint_share_wall: {median(weasy_wall) / median(full_wall):.2f} ratio")
    # Issue 12's target: the report with measures and three rounds of trends within 1.3× of
    # WeasyPrint alone on the same HTML.
    print(f"report_pdf_vs_weasyprint_alone_cpu: {median(full_cpu) / median(weasy_cpu):.2f} ratio")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"report_pdf_fauske_pages: {pages} pages")

    fauske = analysis_for_report("1841", year)
    t0 = time.perf_counter()
    services.report_pdf(fauske)
    cold = time.perf_counter() - t0
    warm = _median(lambda: services.report_pdf(analysis_for_report("1841", year)), repeat)
    print(f"report_pdf_fauske_cache_miss: {cold:.2f} s")
    print(f"report_pdf_fauske_cache_hit: {warm:.3f} s")

    fig = services.profile_chart(report_context(fauske))
    from plotly_print.engine import _ENGINE_THREAD_LOCAL

    _ENGINE_THREAD_LOCAL.__dict__.clear()  # a fresh QuickJS engine, as in a new process
    t0 = time.perf_counter()
    figure_to_svg(fig, title="profil")
    print(f"chart_plotly_print_first: {time.perf_counter() - t0:.3f} s")
    each = _median(lambda: figure_to_svg(fig, title="profil"), max(repeat, 15))
    print(f"chart_plotly_print_each: {each:.3f} s")
    kaleido_result = _kaleido_per_chart(fig, repeat)
    if isinstance(kaleido_result, str):
        print(f"# {kaleido_result}")
    else:
        print(f"chart_kaleido_chromium_first: {kaleido_result[0]:.3f} s")
        print(f"chart_kaleido_chromium_each: {kaleido_result[1]:.3f} s")

    # The adviser's batch: cold (nothing cached), then warm (nothing changed since).
    cache.clear()
    for label in ("cold", "warm"):
        out = tmp / f"nordland-{label}.zip"
        t0, c0 = time.perf_counter(), time.process_time()
        call_command(
            "render_region_reports", region="Nordland", round=year, output=out, stdout=StringIO()
        )
        batch, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"region_batch_nordland_41_{label}: {batch:.1f} s")
        print(f"region_batch_nordland_41_{label}_cpu: {cpu:.1f} s")
        print(f"region_batch_per_municipality_{label}: {batch / 41:.2f} s")


if __name__ == "__main__":
    main()
