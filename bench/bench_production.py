"""Two figures of issue 16, each as whole processes, the way they run in production:

* the region's batch of PDFs (41 Nordland municipalities, generated answers, the report cache
  emptied before each run): `render_region_reports --workers 1`, one worker, as the batch ran
  before (sequential on one core), against `--workers 2`, the two workers sharing the batch's
  tasks (aim: at most 0.6 of the time);
* the command-line PDF: `manage.py render_report` for Fauske, against a bare WeasyPrint
  process on exactly the HTML the command lays out (`--format html`), with the same options
  (aim: within 1.3 times), the two interleaved, medians of BENCH_REPEAT (default 5).

On PostgreSQL when there is one (bench/_server.py), else SQLite. The project's modules are
compiled to bytecode first, as the image does (Dockerfile) and as pip did for WeasyPrint's:
where PYTHONDONTWRITEBYTECODE is set, no process would keep its own compilation.
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

from bench._server import ROOT, load_data, setup_environment, temporary_folder, throwaway_database

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BARE_WEASYPRINT = (
    "import sys; from weasyprint import HTML; "
    "HTML(filename=sys.argv[1], base_url=sys.argv[3]).write_pdf("
    "sys.argv[2], pdf_variant='pdf/ua-1', pdf_tags=True)"
)


def timed(command: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def compile_project() -> None:
    skip = re.compile(r"/(\.venv|\.git|node_modules|tests|bench|staticfiles|test-artifacts)/")
    compileall.compile_dir(ROOT, quiet=1, workers=0, rx=skip)


def main() -> None:
    compile_project()
    tmp = temporary_folder("bench-production-")
    with throwaway_database(tmp) as database_url:
        env = setup_environment(tmp, database_url)
        data = load_data("default")
        year = str(data["year"])
        manage = [sys.executable, "manage.py"]
        cache = tmp / "media" / "report-cache"

        # The command-line PDF against WeasyPrint alone on the same HTML, on a quiet machine.
        html, pdf = tmp / "fauske.html", tmp / "fauske.pdf"
        report = [*manage, "render_report", "--municipality", "1841", "--round", year]
        subprocess.run(
            [*report, "--output", str(html), "--format", "html"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        static = str(ROOT / "static" / "css")
        command, bare = [], []
        for _ in range(REPEAT):
            command.append(timed([*report, "--output", str(pdf)], env))
            bare.append(
                timed(
                    [
                        sys.executable,
                        "-c",
                        BARE_WEASYPRINT,
                        str(html),
                        str(tmp / "bare.pdf"),
                        static,
                    ],
                    env,
                )
            )
        print(f"# medians of {REPEAT}, interleaved")
        print(f"render_report_process: {statistics.median(command):.2f} s")
        print(f"weasyprint_process_same_html: {statistics.median(bare):.2f} s")
        print(
            "render_report_to_weasyprint: "
            f"{statistics.median(command) / statistics.median(bare):.2f} ratio"
        )

        # The batch, cold each time: one worker, then two. It comes after the PDF: measured
        # right after it, the command (which uses both cores) read 1.31 where it reads 1.17
        # before it, in runs minutes apart: what the batch leaves the machine doing (the
        # database's own work after its writes, the cache) took CPU the bare process,
        # on one core, hardly missed.
        batch = {}
        for workers in (1, 2):
            shutil.rmtree(cache, ignore_errors=True)
            batch[workers] = timed(
                [
                    *manage,
                    "render_region_reports",
                    "--region",
                    "Nordland",
                    "--round",
                    year,
                    "--output",
                    str(tmp / f"nordland-{workers}.zip"),
                    "--workers",
                    str(workers),
                ],
                env,
            )
        print(f"region_batch_nordland_41_one_worker: {batch[1]:.1f} s")
        print(f"region_batch_nordland_41_two_workers: {batch[2]:.1f} s")
        print(f"region_batch_two_to_one_worker: {batch[2] / batch[1]:.2f} ratio")


if __name__ == "__main__":
    main()
