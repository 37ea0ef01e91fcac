"""Supervision pages: the hub, a cycle's overview, the assignment tables (bulk), and a leader's own page.
Thin: scope (404) → permission (403) → form → service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from election_admin.choices import RegionLevel
from election_admin.choices_cycles import CycleStatus
from election_admin.models import Cycle, Region
from election_admin.views_cycles import apply_validation_error

from .choices import ASSIGNMENT_SHORT_LABELS, AssignmentKind
from .forms import LeaderLinkForm
from .models import Leader
from .selectors import assignment_table, complaint_counts, complaint_register, leader_villages, visit_coverage
from .services import assignments as assignment_services
from .services.common import (
    may_assign_county_leaders,
    may_assign_village_leaders,
    may_see_phones,
    may_set_cycle_rules,
    may_supervise,
    phone_shown,
)
from .services.targets import reserve_counts, targets_county_counts


def cycle_or_404(user, cycle_id: int) -> Cycle:
    return get_object_or_404(Cycle.objects.visible_to(user).select_related("region", "rule_set"), pk=cycle_id)


def area_of(user, cycle: Cycle) -> str:
    """The part of the cycle the user looks at: their own area inside it, or the whole cycle."""
    area = user.area_code or ""
    return area if area.startswith(cycle.region_id) else cycle.region_id


@login_required
def home(request):
    """督导 — the cycles of the user's area, and the user's own responsibilities if they have any."""
    cycles = Cycle.objects.visible_to(request.user).select_related("region").filter(status=CycleStatus.OPEN)
    own = Leader.objects.visible_to(request.user).filter(user=request.user).first()
    report_region = None
    if request.user.region_id and request.user.region.level in (RegionLevel.COUNTY, RegionLevel.CITY):
        report_region = request.user.region
    return render(
        request,
        "supervision/home.html",
        {
            "cycles": cycles,
            "own_leader": own,
            "report_region": report_region,
            "may_supervise": may_supervise(request.user),
        },
    )


@login_required
def cycle_overview(request, cycle_id: int):
    """One cycle's supervision: assignment tables, visit coverage, complaints, targets and reserves."""
    user = request.user
    cycle = cycle_or_404(user, cycle_id)
    today = timezone.localdate()
    area = area_of(user, cycle)
    area_region = get_object_or_404(Region.objects.visible_to(user), code=area)
    townships = []
    if area_region.level <= RegionLevel.TOWNSHIP:
        townships = list(
            Region.objects.visible_to(user)
            .filter(level=RegionLevel.TOWNSHIP, code__startswith=area)
            .order_by("code")
        )
    entries = complaint_register(user, cycle, today, area_code=area) if may_supervise(user) else []
    return render(
        request,
        "supervision/cycle_overview.html",
        {
            "cycle": cycle,
            "area": area_region,
            "townships": townships,
            "coverage": visit_coverage(user, cycle, area_code=area),
            "complaints": complaint_counts(entries),
            "targets": targets_county_counts(user, cycle, area_code=area, today=today),
            "reserves": reserve_counts(user, area_code=area, today=today),
            "may_supervise": may_supervise(user),
            "may_assign_county": may_assign_county_leaders(user) and area_region.level <= RegionLevel.COUNTY,
            "may_assign_villages": may_assign_village_leaders(user),
            "may_set_rules": may_set_cycle_rules(user, cycle),
        },
    )


def _row_values(request, kinds, rows):
    """Values of the table as posted (to show them back with the errors) or as stored."""
    table = []
    for row in rows:
        cells = []
        for kind in kinds:
            leader = row.current.get(kind)
            prefix = f"{kind}-{row.region.code}"
            if request.method == "POST":
                values = {f: request.POST.get(f"{prefix}-{f}", "") for f in ("name", "title", "phone")}
            else:
                values = {
                    "name": leader.name if leader else "",
                    "title": leader.title if leader else "",
                    "phone": phone_shown(request.user, leader.phone) if leader else "",
                }
            cells.append({"kind": kind, "prefix": prefix, **values})
        table.append({"region": row.region, "cells": cells})
    return table


@login_required
def assign(request, cycle_id: int, code: str):
    """包保责任分工 — the bulk table: a county's townships × county leader, or a township's villages ×
    township leader and resident cadre; one submit, all or nothing, errors named by row."""
    user = request.user
    cycle = cycle_or_404(user, cycle_id)
    region = get_object_or_404(Region.objects.visible_to(user), code=code)
    if not region.code.startswith(cycle.region_id) or region.level not in (
        RegionLevel.COUNTY,
        RegionLevel.TOWNSHIP,
    ):
        raise Http404
    if region.level == RegionLevel.COUNTY:
        kinds = [AssignmentKind.COUNTY_LEADER]
        may_edit = may_assign_county_leaders(user)
    else:
        kinds = [AssignmentKind.TOWNSHIP_LEADER, AssignmentKind.RESIDENT_CADRE]
        may_edit = may_assign_village_leaders(user)
    rows = assignment_table(user, cycle, region, kinds)
    errors: list[str] = []
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(
                _("Township staff and the county bureau assign leaders and resident cadres to villages.")
            )
        posted = [
            assignment_services.AssignmentRow(
                region_code=row.region.code,
                kind=kind,
                name=request.POST.get(f"{kind}-{row.region.code}-name", ""),
                title=request.POST.get(f"{kind}-{row.region.code}-title", ""),
                phone=request.POST.get(f"{kind}-{row.region.code}-phone", ""),
            )
            for row in rows
            for kind in kinds
        ]
        try:
            result = assignment_services.assignments_set_bulk(actor=user, cycle=cycle, rows=posted)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Saved: %(assigned)s assigned, %(removed)s removed, %(unchanged)s unchanged.")
                % {"assigned": result.assigned, "removed": result.removed, "unchanged": result.unchanged},
            )
            return redirect("supervision_assign", cycle_id=cycle.pk, code=region.code)
    return render(
        request,
        "supervision/assign.html",
        {
            "cycle": cycle,
            "region": region,
            "kinds": [(kind, ASSIGNMENT_SHORT_LABELS[kind]) for kind in kinds],
            "table": _row_values(request, kinds, rows),
            "errors": errors,
            "may_edit": may_edit,
            "phones_masked": not may_see_phones(user),
            "townships": list(Region.objects.visible_to(user).filter(parent=region).order_by("code"))
            if region.level == RegionLevel.COUNTY
            else [],
        },
    )


def _leader_page(request, leader: Leader, *, own: bool):
    today = timezone.localdate()
    form = None
    if not own and may_assign_village_leaders(request.user):
        form = LeaderLinkForm(request.POST or None, actor=request.user, initial={"user": leader.user_id})
        if request.method == "POST" and form.is_valid():
            try:
                assignment_services.leader_link_user(
                    actor=request.user, leader=leader, user=form.cleaned_data["user"]
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Staff account linked."))
                return redirect("supervision_leader_detail", leader_id=leader.pk)
    elif request.method == "POST":
        raise PermissionDenied(
            _("Township staff and the county bureau assign leaders and resident cadres to villages.")
        )
    villages = leader_villages(request.user, leader, today)
    return render(
        request,
        "supervision/leader_detail.html",
        {
            "leader": leader,
            "phone": phone_shown(request.user, leader.phone),
            "villages": villages,
            "attention": [v for v in villages if v.needs_attention],
            "today": today,
            "own": own,
            "form": form,
        },
    )


@login_required
def leader_detail(request, leader_id: int):
    """A leader's page: the villages they answer for and what is due there this week."""
    leader = get_object_or_404(
        Leader.objects.visible_to(request.user).select_related("region", "user"), pk=leader_id
    )
    return _leader_page(request, leader, own=False)


@login_required
def my_responsibilities(request):
    """我的包保 — the signed-in person's own page, when their staff account is linked to a leader record."""
    leader = (
        Leader.objects.visible_to(request.user).filter(user=request.user).select_related("region").first()
    )
    if leader is None:
        return render(request, "supervision/leader_detail.html", {"leader": None, "own": True})
    return _leader_page(request, leader, own=True)
