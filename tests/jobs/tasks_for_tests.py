"""Tasks the job tests start (tasks must live at a module's top level)."""

from django.tasks import task

from jobs import services as jobs


@task(takes_context=True)
def count_to(context, job_id: str, n: int) -> None:
    for i in range(1, n + 1):
        jobs.report_progress(job_id, done=i, total=n, message=f"{i} av {n}")
    jobs.complete(job_id, name="tall.txt", content=" ".join(map(str, range(1, n + 1))).encode())


@task(takes_context=True)
def break_down(context, job_id: str) -> None:
    raise RuntimeError("stopped")
