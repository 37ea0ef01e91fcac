"""Pages for a whole area in one cycle (summary workbook, batch of result notices) and the results page's
"request the notice again" action. Thin: scope (404 out of area) → service or job → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.health import broker_is_reachable, task_enqueue
from election_admin.models import Cycle
from election_admin.services.jobs import job_create

from .models import RoundResult
from .services import area_documents as area_services
from .services.notices import result_notice_request


def _cycle_and_area(request, cycle_id: int, code: str):
    cycle = get_object_or_404(Cycle.objects.visible_to(request.user).select_related("region"), pk=cycle_id)
    area = area_services.area_for(request.user, cycle, code)
    if area is None:
        raise Http404
    return cycle, area


@login_required
def area_documents(request, cycle_id: int, code: str):
    """汇总表与批量公告 — the area's figures at a glance and its documents, made in the background."""
    cycle, area = _cycle_and_area(request, cycle_id, code)
    context = {
        "cycle": cycle,
        "area": area,
        "may_request": area_services.area_may_request(request.user),
        **area_services.area_overview(request.user, cycle, area),
    }
    return render(request, "ballots/area_documents.html", context)


@login_required
def area_documents_latest(request, code: str):
    """From the dashboard: the area's documents in the newest cycle covering it."""
    cycle = area_services.latest_cycle(request.user, code)
    if cycle is None or area_services.area_for(request.user, cycle, code) is None:
        raise Http404
    return redirect("ballots_area_documents", cycle.pk, code)


def _start(request, cycle, area, *, kind: str, total: int, task, args: tuple):
    with transaction.atomic():
        job = job_create(
            actor=request.user, kind=kind, region=area, total=max(total, 1), params={"cycle": cycle.pk}
        )
        transaction.on_commit(lambda: task_enqueue(task, *args, job.pk, job_id=job.pk))
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def area_summary_request(request, cycle_id: int, code: str):
    from .tasks import summary_workbook_task

    cycle, area = _cycle_and_area(request, cycle_id, code)
    if not area_services.area_may_request(request.user):
        raise PermissionDenied
    total = area_services.area_elections(cycle, area).count()
    return _start(
        request,
        cycle,
        area,
        kind="summary_workbook",
        total=total,
        task=summary_workbook_task,
        args=(cycle.pk, area.code),
    )


@login_required
@require_POST
def area_notices_request(request, cycle_id: int, code: str):
    from .tasks import batch_notices_task

    cycle, area = _cycle_and_area(request, cycle_id, code)
    if not area_services.area_may_request(request.user):
        raise PermissionDenied
    if not area_services.batch_allowed(area):
        messages.error(request, _("Notices are put together for a township or a county."))
        return redirect("ballots_area_documents", cycle.pk, area.code)
    file_format = request.POST.get("file_format", "pdf")
    if file_format not in area_services.BATCH_FORMATS:
        messages.error(request, _("Choose PDF or zip."))
        return redirect("ballots_area_documents", cycle.pk, area.code)
    total = len(area_services.certified_results(cycle, area))
    if not total:
        messages.error(request, _("No result of this area is certified yet: there is no notice to print."))
        return redirect("ballots_area_documents", cycle.pk, area.code)
    return _start(
        request,
        cycle,
        area,
        kind="result_notice_batch",
        total=total,
        task=batch_notices_task,
        args=(cycle.pk, area.code, file_format),
    )


@login_required
@require_POST
def result_notice_again(request, result_id: int):
    """Request the result notice of a certified result again (the broker was down at certification)."""
    result = get_object_or_404(RoundResult.objects.visible_to(request.user), pk=result_id)
    try:
        document = result_notice_request(actor=request.user, result=result)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if document is not None:
            messages.info(request, _("The result notice is already made."))
        elif broker_is_reachable():
            messages.success(request, _("The result notice is being made."))
        else:
            messages.warning(
                request,
                _("The background-task service is unreachable: request the notice again once it is back."),
            )
    return redirect("ballots_results", result.election_id)
