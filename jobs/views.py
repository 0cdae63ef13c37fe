"""A job's page: how far it has come, and its result to download when it is done. A job
belongs to the person who started it; anyone else gets 404, like everything out of reach."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobs import services
from jobs.models import Job, JobStatus


def get_job_for_user(user, pk) -> Job:
    job = Job.objects.filter(pk=pk, owner_id=user.pk).first() if user.is_authenticated else None
    if job is None:
        raise Http404
    return job


@require_GET
def detail(request: HttpRequest, pk) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return render(
        request,
        "jobs/detail.html",
        {"job": job, "progress": services.progress(job), "items": job.items.order_by("position")},
    )


@require_GET
def progress(request: HttpRequest, pk) -> JsonResponse:
    job = get_job_for_user(request.user, pk)
    return JsonResponse(services.progress(job).as_dict())


@require_GET
def download(request: HttpRequest, pk) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if job.status != JobStatus.DONE or not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
