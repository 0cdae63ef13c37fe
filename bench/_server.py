"""What the production benchmarks share: a throwaway database (PostgreSQL when its server
answers, SQLite otherwise), generated data at two scales, and the app served by gunicorn on
loopback as `make serve` serves it.

BENCH_PG_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres);
the benchmark creates a database of its own there and drops it afterwards.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def throwaway_database(tmp: Path) -> Iterator[str]:
    """A DATABASE_URL for a database nobody else uses, removed afterwards."""
    name = f"boligsosial_bench_{os.getpid()}"
    try:
        import psycopg

        admin = psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), autocommit=True)
    except Exception as error:  # noqa: BLE001 – any failure: no PostgreSQL here
        print(f"# PostgreSQL not available ({type(error).__name__}); SQLite instead")
        yield f"sqlite:///{tmp / 'bench.sqlite3'}"
        return
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            print(f"# PostgreSQL database {name}")
            yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            from django.db import connections

            connections.close_all()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_environment(tmp: Path, database_url: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "boligsosial.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "media"),
        "ALLOW_DEV_SECRET_KEY": "1",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DEBUG": "0",
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
        "ACCESS_LOG": "false",
        "BENCHMARK_PAGES": "1",
    }
    os.environ.update(env)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    return {**os.environ, **env}


def fill(analyses, rng: random.Random) -> None:
    """Generated answers like a planner's: scores, answers, a responsibility map with gaps,
    cooperation, allocation and a few projects each (analyses that have answers already, the
    demo ones, are left as they are)."""
    from analysis.models import (
        ActorKind,
        AllocationPractice,
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

    factors = list(SuccessFactor.objects.order_by("number"))
    areas = list(TaskArea.objects.order_by("order"))
    instruments = list(Instrument.objects.all())
    questions: dict[int, list] = {}
    units: dict[int, list] = {}
    for analysis in analyses:
        if analysis.answers.exists():
            continue
        m = analysis.municipality
        year = analysis.round.year
        if m.pk not in units:
            units[m.pk] = list(Unit.objects.filter(municipality=m)) or [
                Unit.objects.create(municipality=m, name=name)
                for name in ["NAV-kontoret", "Helse og omsorg", "Eiendom", "Plan og utvikling"]
            ]
            for n in range(3):
                project = Project.objects.create(
                    municipality=m,
                    name=f"Prosjekt {n + 1} i {m.name}",
                    description="Generert prosjekt. " * 5,
                    responsible_unit=units[m.pk][n],
                    starts_on=datetime.date(year - 3, 1, 1),
                    ends_on=datetime.date(year + 1, 12, 31),
                    status=ProjectStatus.ACTIVE,
                )
                project.factors.set(rng.sample(factors, 2))
        if analysis.round.questionnaire_id not in questions:
            questions[analysis.round.questionnaire_id] = list(
                Question.objects.filter(section__questionnaire=analysis.round.questionnaire_id)
            )
        answers = []
        for q in questions[analysis.round.questionnaire_id]:
            if q.kind == "yes_no":
                value = rng.choice(["yes", "no"])
            elif q.kind == "choice":
                value = rng.choice(q.choices)["value"]
            else:
                value = f"Generert svar for {m.name} på «{q.key}». " * rng.randint(1, 8)
            answers.append(Answer(analysis=analysis, question=q, value=value))
        Answer.objects.bulk_create(answers)
        FactorAssessment.objects.bulk_create(
            FactorAssessment(
                analysis=analysis,
                factor=f,
                score=rng.randint(1, 5),
                status=f"{m.name} står slik på {f.name_nb}. " * 3,
                challenges="Utskifting av ledere og medarbeidere. " * 2,
                evidence="Drøftet i arbeidsgruppen.",
            )
            for f in factors
        )
        Responsibility.objects.bulk_create(
            Responsibility(
                analysis=analysis,
                task_area=area,
                unit=rng.choice(units[m.pk]),
                role=ResponsibilityRole.RESPONSIBLE,
            )
            for area in areas
            if rng.random() > 0.2
        )
        CooperationBody.objects.create(analysis=analysis, name="Boligforum", is_formal=False)
        ExternalActor.objects.create(analysis=analysis, kind=ActorKind.NAV, name="NAV")
        AllocationPractice.objects.bulk_create(
            AllocationPractice(
                analysis=analysis, instrument=i, decided_by="Tildelingsteamet", criteria="Behov"
            )
            for i in instruments
        )
        analysis.status = "in_progress" if analysis.status == "not_started" else analysis.status
        analysis.save(update_fields=["status"])


def key_figures(rng: random.Random) -> int:
    """Five years of every catalogue indicator for every municipality."""
    from keyfigures.models import Indicator, IndicatorValue
    from reference.models import Municipality

    rows = [
        IndicatorValue(
            indicator=i, municipality=m, year=year, value=rng.randint(0, 60), source_file="bench"
        )
        for i in Indicator.objects.all()
        for m in Municipality.objects.all()
        for year in range(2020, 2025)
    ]
    IndicatorValue.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def load_data(scale: str) -> dict:
    """Reference and demo data (the personas are the demo users), generated key figures, and
    filled analyses: Nordland's 41 in the current and last year's round ("default"), or every
    municipality in three rounds ("large")."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from analysis.models import Analysis
    from analysis.services.rounds import open_round
    from reference.models import Questionnaire

    out = StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=out)
    call_command("load_recommendation_rules", stdout=out)
    call_command("seed_demo", stdout=out)
    rng = random.Random(16)
    year = timezone.localdate().year
    with transaction.atomic():
        values = key_figures(rng)
        if scale == "large":
            open_round(
                year=year - 2,
                title=f"Foranalyse {year - 2}",
                questionnaire=Questionnaire.objects.get(edition=1),
                opens_on=datetime.date(year - 2, 1, 1),
                closes_on=datetime.date(year - 2, 12, 31),
            )
            analyses = Analysis.objects.all()
        else:
            analyses = Analysis.objects.filter(
                municipality__county__region__name="Statsforvalteren i Nordland",
                round__year__in=[year - 1, year],
            )
        fill(analyses.select_related("municipality", "round").order_by("round__year"), rng)
    return {"year": year, "key_figure_values": values, "filled": analyses.count()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2) -> Iterator[str]:
    """The app as `make serve` runs it (gunicorn.conf.py), on a loopback port."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "boligsosial.wsgi"],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/healthz", timeout=2) as r,  # noqa: S310
            ):
                if r.status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def temporary_folder(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
