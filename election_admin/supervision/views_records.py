"""Pages of one election's record sheet (选举纪实表) and handover (工作移交), composition targets, the reserve
pool (后备人才库) and the weekly reports (选举工作周报)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body
from election_admin.models import Election, Region
from election_admin.services.jobs import job_create
from election_admin.views_cycles import apply_validation_error

from .choices import TargetKind
from .forms import HandoverForm, OutgoingMembersForm, ReserveForm, ReserveRemoveForm
from .models import Complaint, Reserve, WeeklyReport
from .selectors import responsible_for
from .services import handover as handover_services
from .services import records as record_services
from .services import reports as report_services
from .services import targets as target_services
from .services.common import may_set_cycle_rules, may_supervise
from .views import area_of, cycle_or_404


def _election_or_404(user, election_id: int) -> Election:
    """The election if the user may see it (else 404), for township staff and above (else 403: the sheet
    counts the complaints about the village, which its own committee's clerk does not see)."""
    election = get_object_or_404(
        Election.objects.visible_to(user).select_related("cycle__rule_set", "region__parent"), pk=election_id
    )
    if not may_supervise(user):
        raise PermissionDenied(_("Township staff and above keep the supervision records."))
    return election


@login_required
def election_supervision(request, election_id: int):
    """One election: the record sheet's steps (print to PDF), targets on the candidate list and the result,
    who is responsible, complaints about it, the handover."""
    election = _election_or_404(request.user, election_id)
    today = timezone.localdate()
    steps = record_services.election_record_steps(election, today=today)
    complaints = list(
        Complaint.objects.visible_to(request.user)
        .filter(cycle_id=election.cycle_id, region_id=election.region_id)
        .filter(Q(election=election) | Q(election__isnull=True))
    )
    responsible = responsible_for({(election.cycle_id, election.region_id)})[
        (election.cycle_id, election.region_id)
    ]
    return render(
        request,
        "supervision/election.html",
        {
            "election": election,
            "steps": steps,
            "missing": sum(1 for step in steps if step.is_missing),
            "exceptions": record_services.exceptions_rows(election),
            "candidate_targets": target_services.targets_on_candidates(election, today=today),
            "result_targets": target_services.targets_on_results(election, today=today),
            "responsible": responsible.line(request.user),
            "complaints": complaints,
            "today": today,
            "may_handover": handover_services.may_record_handover(request.user),
        },
    )


@login_required
@require_POST
def election_record(request, election_id: int):
    """Print the record sheet: stored once per version of the data, then downloaded."""
    election = _election_or_404(request.user, election_id)
    document = record_services.election_record_make(actor=request.user, election=election)
    return redirect("document_download", pk=document.pk)


@login_required
def handover_edit(request, election_id: int):
    """工作移交 — departure audit, the four items with their dates, outgoing members, departure certificates."""
    election = _election_or_404(request.user, election_id)
    today = timezone.localdate()
    handover = handover_services.handover_for(election)
    if handover is not None:
        handover.election = election
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not handover_services.may_record_handover(request.user):
        raise PermissionDenied(_("Township staff and county bureaus record the handover."))
    initial = {}
    if handover is not None:
        initial = {
            field: getattr(handover, field) for field in HandoverForm.base_fields if field != "late_reason"
        }
        initial["late_reason"] = handover.late_reason
    form = HandoverForm(request.POST if action == "handover" else None, initial=initial)
    members_form = OutgoingMembersForm(
        request.POST if action == "members" else None,
        initial={
            "members": "\n".join(f"{m.name}，{m.post}" for m in handover.outgoing_members.all())
            if handover
            else ""
        },
    )
    if action == "handover" and form.is_valid():
        try:
            handover_services.handover_record(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Handover saved."))
            return redirect("supervision_handover", election_id=election.pk)
    elif action == "members" and members_form.is_valid():
        try:
            handover_services.outgoing_members_set(
                actor=request.user, election=election, members=members_form.member_list()
            )
        except ValidationError as error:
            apply_validation_error(members_form, error)
        else:
            messages.success(request, _("Outgoing members saved."))
            return redirect("supervision_handover", election_id=election.pk)
    elif action == "certificates":
        try:
            with transaction.atomic():
                members = handover_services.departure_certificates_make(actor=request.user, election=election)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s departure certificates ready.") % {"n": len(members)})
        return redirect("supervision_handover", election_id=election.pk)
    items = []
    if handover is not None:
        for item, done in handover.item_dates().items():
            items.append(
                {
                    "item": item,
                    "done": done,
                    "due": handover.item_due_on(item),
                    "late": handover.item_days_late(item, today),
                }
            )
    return render(
        request,
        "supervision/handover.html",
        {
            "election": election,
            "handover": handover,
            "items": items,
            "due_on": handover.due_on() if handover else None,
            "days_late": handover.days_late(today) if handover else 0,
            "form": form,
            "members_form": members_form,
            "members": list(handover.outgoing_members.select_related("certificate")) if handover else [],
            "may_edit": handover_services.may_record_handover(request.user),
            "seal_same_day": election.cycle.rule_set.seal_same_day,
        },
    )


@login_required
def targets(request, cycle_id: int):
    """结构目标 — the targets per body (editable by the cycle's bureau) and how many elections meet each."""
    cycle = cycle_or_404(request.user, cycle_id)
    today = timezone.localdate()
    may_edit = may_set_cycle_rules(request.user, cycle)
    bodies = [b for b in Body.values if b in cycle.bodies]
    errors: list[str] = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the bureau of the cycle's area sets this for a cycle."))
        body = request.POST.get("body", "")
        if body not in bodies:
            raise Http404
        specs = []
        for spec in target_services.targets_for(cycle, body):
            prefix = f"{body}-{spec.kind}"
            try:
                minimum = int(request.POST.get(f"{prefix}-minimum", spec.minimum))
                age_max = int(request.POST.get(f"{prefix}-age_max", spec.age_max))
            except ValueError:
                errors.append(_("Enter whole numbers."))
                break
            specs.append(
                target_services.TargetSpec(
                    kind=spec.kind,
                    is_active=request.POST.get(f"{prefix}-active") == "on",
                    minimum=minimum,
                    age_max=age_max,
                )
            )
        if not errors:
            try:
                target_services.targets_set(actor=request.user, cycle=cycle, body=body, specs=specs)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Targets saved."))
                return redirect("supervision_targets", cycle_id=cycle.pk)
    area = area_of(request.user, cycle)
    return render(
        request,
        "supervision/targets.html",
        {
            "cycle": cycle,
            "bodies": [(body, Body(body).label, target_services.targets_for(cycle, body)) for body in bodies],
            "counts": target_services.targets_county_counts(request.user, cycle, area_code=area, today=today),
            "may_edit": may_edit,
            "errors": errors,
            "young": TargetKind.YOUNG,
        },
    )


@login_required
def reserves(request, code: str):
    """后备人才库 — the reserves of an area, the count per post, and the form to add one."""
    area = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    if not may_supervise(request.user):
        raise PermissionDenied(_("Township staff and above keep the supervision records."))
    today = timezone.localdate()
    form = ReserveForm(request.POST or None, user=request.user, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            target_services.reserve_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Added to the reserve pool."))
            return redirect("supervision_reserves", code=area.code)
    pool = list(
        Reserve.objects.visible_to(request.user)
        .in_area(area.code)
        .filter(is_active=True)
        .select_related("region__parent")[:500]
    )
    for reserve in pool:
        reserve.current_age = reserve.age_on(today)
    return render(
        request,
        "supervision/reserves.html",
        {
            "area": area,
            "pool": pool,
            "counts": target_services.reserve_counts(request.user, area_code=area.code, today=today),
            "form": form,
            "remove_form": ReserveRemoveForm(),
        },
    )


@login_required
@require_POST
def reserve_remove(request, reserve_id: int):
    reserve = get_object_or_404(Reserve.objects.visible_to(request.user), pk=reserve_id)
    form = ReserveRemoveForm(request.POST)
    if not may_supervise(request.user):
        raise PermissionDenied(_("Township staff and above keep the supervision records."))
    if form.is_valid():
        try:
            target_services.reserve_remove(
                actor=request.user, reserve=reserve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Removed from the reserve pool."))
    else:
        messages.error(request, _("Say why the person leaves the pool."))
    return redirect("supervision_reserves", code=reserve.region_id[:9])


@login_required
def report_list(request, code: str):
    """The weekly reports of a county or city, and of the units directly below it (a city sees its
    counties'). A county or city bureau makes this week's report on demand here."""
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    if region.level not in report_services.REPORT_LEVELS:
        raise Http404
    if request.method == "POST":
        if not report_services.weekly_report_may_make(request.user, region):
            raise PermissionDenied(_("County bureaus and above make the weekly report of their area."))
        from ..health import task_enqueue
        from .tasks import weekly_report_task

        today = timezone.localdate()
        with transaction.atomic():
            job = job_create(actor=request.user, kind="weekly_report", region=region, total=1)
            transaction.on_commit(
                lambda: task_enqueue(
                    weekly_report_task, region.code, today.isoformat(), job.pk, job_id=job.pk
                )
            )
        return redirect("job_detail", pk=job.pk)
    reports = (
        WeeklyReport.objects.visible_to(request.user)
        .filter(Q(region=region) | Q(region__parent=region))
        .select_related("region", "pdf", "workbook")
        .order_by("-week", "region_id")[:200]
    )
    this_week = report_services.iso_week(timezone.localdate())
    return render(
        request,
        "supervision/report_list.html",
        {
            "region": region,
            "reports": reports,
            "this_week": this_week,
            "has_this_week": any(r.week == this_week and r.region_id == region.code for r in reports),
            "may_make": report_services.weekly_report_may_make(request.user, region),
            "children": list(
                Region.objects.visible_to(request.user).filter(parent=region, level=RegionLevel.COUNTY)
            ),
        },
    )
