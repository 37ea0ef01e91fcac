"""Pages for rule sets, cycles, elections and background jobs. Thin: permission → form → service → message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import legal_calendar as cal
from .choices import RegionLevel
from .choices_cycles import DEADLINE_LABELS, CycleStatus, Stage
from .forms_cycles import (
    BulkElectionDayForm,
    CommitteeMemberForm,
    CycleCloseForm,
    CycleOpenForm,
    ElectionDayForm,
    ElectionEditForm,
    RuleSetForm,
    StageAdvanceForm,
)
from .models import Cycle, Election, Job, Region, RuleSet
from .models.rulesets import RULE_FIELDS
from .reporting.models import ElectedMember
from .services import cycles as cycle_services
from .services import elections as election_services
from .services import rulesets as ruleset_services
from .services import stages as stage_services

MAX_WARNINGS_SHOWN = 15


def apply_validation_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _show_warnings(request, warnings: list[str]) -> None:
    for warning in warnings[:MAX_WARNINGS_SHOWN]:
        messages.warning(request, warning)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        messages.warning(
            request,
            _("…and %(count)s more missed deadlines.") % {"count": len(warnings) - MAX_WARNINGS_SHOWN},
        )


# --- Rule sets --------------------------------------------------------------------------------------


@login_required
def ruleset_list(request):
    rule_sets = RuleSet.objects.visible_to(request.user).order_by(
        "province_code", "-effective_on", "-revision"
    )
    return render(request, "election_admin/cycles/ruleset_list.html", {"rule_sets": rule_sets})


@login_required
def ruleset_detail(request, pk: int):
    rule_set = get_object_or_404(RuleSet.objects.visible_to(request.user), pk=pk)
    rows = [
        (
            RuleSet._meta.get_field(name).verbose_name,
            getattr(rule_set, f"get_{name}_display", lambda n=name: getattr(rule_set, n))(),
            rule_set.citations.get(name, ""),
        )
        for name in RULE_FIELDS
    ]
    may_edit = ruleset_services.ruleset_may_edit(request.user, rule_set) or (
        rule_set.is_national and ruleset_services.ruleset_may_create_for_province(request.user)
    )
    return render(
        request,
        "election_admin/cycles/ruleset_detail.html",
        {
            "rule_set": rule_set,
            "rows": rows,
            "may_edit": may_edit,
            "cycles_using": rule_set.cycles.visible_to(request.user)[:20],
        },
    )


@login_required
def ruleset_edit(request, pk: int):
    rule_set = get_object_or_404(RuleSet.objects.visible_to(request.user), pk=pk)
    if not (
        ruleset_services.ruleset_may_edit(request.user, rule_set)
        or (rule_set.is_national and ruleset_services.ruleset_may_create_for_province(request.user))
    ):
        raise PermissionDenied(_("Only the province bureau edits its province's rule set."))
    form = RuleSetForm(request.POST or None, rule_set=rule_set)
    if request.method == "POST" and form.is_valid():
        try:
            new = ruleset_services.ruleset_revise(
                actor=request.user,
                rule_set=rule_set,
                effective_on=form.cleaned_data["effective_on"],
                values=form.values(),
                citations=form.citations(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved as a new version; cycles opened earlier keep the old one."))
            return redirect("ruleset_detail", pk=new.pk)
    return render(request, "election_admin/cycles/ruleset_form.html", {"form": form, "rule_set": rule_set})


# --- Cycles -----------------------------------------------------------------------------------------


@login_required
def cycle_list(request):
    cycles = Cycle.objects.visible_to(request.user).select_related("region", "rule_set")
    return render(
        request,
        "election_admin/cycles/cycle_list.html",
        {"cycles": cycles, "may_open": cycle_services.cycle_may_open(request.user)},
    )


@login_required
def cycle_create(request):
    if not cycle_services.cycle_may_open(request.user):
        raise PermissionDenied(_("Only county, city and province bureaus open election cycles."))
    initial = {}
    if request.user.region_id and request.user.region.level <= RegionLevel.COUNTY:
        initial["region"] = request.user.region
        today = timezone.localdate()
        rule_set = ruleset_services.ruleset_applicable(province_code=request.user.region_id[:2], on=today)
        initial["rule_set"] = rule_set
    form = CycleOpenForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_services.cycle_open(
                actor=request.user,
                region=data["region"],
                name=data["name"],
                rule_set=data["rule_set"],
                term_start=data["term_start"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                optional_bodies=data["optional_bodies"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if cycle.job_id:
                messages.info(request, _("The elections are being created; this page shows the progress."))
                return redirect("job_detail", pk=cycle.job_id)
            messages.success(
                request, _("Cycle opened with %(count)s elections.") % {"count": cycle.election_count}
            )
            return redirect("cycle_detail", pk=cycle.pk)
    return render(request, "election_admin/cycles/cycle_form.html", {"form": form})


@login_required
def cycle_detail(request, pk: int):
    cycle = get_object_or_404(
        Cycle.objects.visible_to(request.user).select_related("region", "rule_set"), pk=pk
    )
    elections = Election.objects.visible_to(request.user).filter(cycle=cycle)
    townships = list(
        Region.objects.visible_to(request.user)
        .filter(level=RegionLevel.TOWNSHIP, code__startswith=cycle.region_id)
        .order_by("code")
    )
    counts: dict[str, dict[str, int]] = {t.code: {} for t in townships}
    for row in (
        elections.annotate(township=Substr("region_id", 1, 9))
        .values("township", "stage")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if row["township"] in counts:
            counts[row["township"]][row["stage"]] = row["n"]
    day_counts: dict[str, int] = {}
    for row in (
        elections.filter(election_day__isnull=True)
        .annotate(township=Substr("region_id", 1, 9))
        .values("township")
        .annotate(n=Count("id"))
        .order_by()
    ):
        day_counts[row["township"]] = row["n"]
    township_rows = [
        {
            "region": t,
            "cells": [counts[t.code].get(s, 0) for s in Stage.values],
            "total": sum(counts[t.code].values()),
            "without_day": day_counts.get(t.code, 0),
        }
        for t in townships
    ]
    selected = request.GET.get("township", "")
    listed = elections.select_related("region").order_by("region_id", "body")
    if selected:
        listed = listed.filter(region__code__startswith=selected)
    page = Paginator(listed, 100).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for election in page:
        election.days_late = cal.days_late(election.next_deadline_on, today)
    return render(
        request,
        "election_admin/cycles/cycle_detail.html",
        {
            "cycle": cycle,
            "township_rows": township_rows,
            "stages": Stage.choices,
            "page": page,
            "selected": selected,
            "may_edit": cycle_services.elections_may_edit(request.user),
            "may_close": cycle.status == CycleStatus.OPEN
            and cycle_services.cycle_may_close(request.user, cycle),
            "unfinished": cycle_services.cycle_unfinished(cycle) if cycle.status == CycleStatus.OPEN else 0,
            "close_form": CycleCloseForm(),
        },
    )


@login_required
@require_POST
def cycle_close(request, pk: int):
    """结束换届 — the cycle leaves the progress dashboards; its figures stay in the statistics."""
    cycle = get_object_or_404(Cycle.objects.visible_to(request.user).select_related("region"), pk=pk)
    form = CycleCloseForm(request.POST)
    form.is_valid()
    try:
        cycle_services.cycle_close(
            actor=request.user, cycle=cycle, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The cycle is closed: it no longer shows on the progress dashboards."))
    return redirect("cycle_detail", cycle.pk)


@login_required
def cycle_set_days(request, pk: int):
    """Set the election day of a whole township at once."""
    cycle = get_object_or_404(Cycle.objects.visible_to(request.user), pk=pk)
    if not cycle_services.elections_may_edit(request.user):
        raise PermissionDenied(
            _("Only township staff and above change election days, seats and risk classes.")
        )
    form = BulkElectionDayForm(
        request.POST or None, user=request.user, cycle=cycle, initial=request.GET or None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count, warnings = election_services.election_days_set_bulk(
                actor=request.user,
                cycle=cycle,
                area_code=data["township"].code,
                election_day=data["election_day"],
                bodies=data["bodies"] or None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Election day %(day)s set for %(count)s elections in %(township)s.")
                % {
                    "day": data["election_day"].isoformat(),
                    "count": count,
                    "township": data["township"].name,
                },
            )
            _show_warnings(request, warnings)
            return redirect(f"{cycle.get_absolute_url()}?township={data['township'].code}")
    return render(request, "election_admin/cycles/cycle_set_days.html", {"form": form, "cycle": cycle})


# --- Elections --------------------------------------------------------------------------------------


def _deadline_rows(election: Election, today):
    rows = []
    reached = election.reached_dates()
    for key, due in election.deadline_dates().items():
        meeting_stage = cal.ACTION_DEADLINES.get(key)
        done_on = reached.get(meeting_stage) if meeting_stage else None
        met = meeting_stage is not None and cal.stage_reached(election.stage, meeting_stage)
        status = (
            "done"
            if met
            else ("overdue" if meeting_stage and due < today else ("info" if not meeting_stage else "open"))
        )
        rows.append(
            {
                "key": key,
                "label": DEADLINE_LABELS[key],
                "due": due,
                "done_on": done_on,
                "status": status,
                "is_next": key == election.next_deadline_key,
                "days": (due - today).days,
            }
        )
    return rows


@login_required
def election_detail(request, pk: int):
    election = get_object_or_404(
        Election.objects.visible_to(request.user).select_related("cycle__rule_set", "region__parent"), pk=pk
    )
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if request.method == "POST" else None
    day_form = ElectionDayForm(
        post if action == "day" else None, initial={"election_day": election.election_day}
    )
    edit_form = ElectionEditForm(
        post if action == "edit" else None,
        initial={
            "seats_vice_chair": election.seats_vice_chair,
            "seats_member": election.seats_member,
            "seats_women_member": election.seats_women_member,
            "risk_class": election.risk_class,
            "risk_reason": election.risk_reason,
        },
    )
    stage_form = StageAdvanceForm(post if action == "stage" else None, election=election)
    member_form = CommitteeMemberForm(post if action == "member" else None)
    if action:
        if action in ("day", "edit", "member") and not cycle_services.elections_may_edit(request.user):
            raise PermissionDenied(
                _("Only township staff and above change election days, seats and risk classes.")
            )
        if action == "stage" and not stage_services.stage_may_advance(request.user):
            raise PermissionDenied(_("City and province bureaus follow progress; they do not move stages."))
        form = {"day": day_form, "edit": edit_form, "stage": stage_form, "member": member_form}.get(action)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "day":
                    warnings = election_services.election_day_set(
                        actor=request.user, election=election, election_day=data["election_day"]
                    )
                    messages.success(request, _("Election day saved; the deadlines are recomputed."))
                    _show_warnings(request, warnings)
                elif action == "edit":
                    election_services.election_update(actor=request.user, election=election, **data)
                    messages.success(request, _("Seats and risk class saved."))
                elif action == "stage":
                    election = stage_services.election_stage_advance(
                        actor=request.user,
                        election=election,
                        to_stage=data["to_stage"],
                        exception_reason=data["exception_reason"],
                    )
                    messages.success(
                        request, _("Stage now: %(stage)s.") % {"stage": election.get_stage_display()}
                    )
                elif action == "member":
                    election_services.committee_member_add(
                        actor=request.user, election=election, name=data["name"], role=data["role"]
                    )
                    messages.success(request, _("Committee member added."))
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("election_detail", pk=election.pk)
    return render(
        request,
        "election_admin/cycles/election_detail.html",
        {
            "election": election,
            "deadline_rows": _deadline_rows(election, today),
            "committee": election.committee.all(),
            "day_form": day_form,
            "edit_form": edit_form,
            "stage_form": stage_form,
            "member_form": member_form,
            "may_edit": cycle_services.elections_may_edit(request.user),
            "may_advance": stage_services.stage_may_advance(request.user)
            and bool(stage_form.fields["to_stage"].choices),
            "days_late": cal.days_late(election.next_deadline_on, today),
            "has_elected": _has_elected(election),
        },
    )


def _has_elected(election) -> bool:
    """Whether the statistics hold people elected for ``election`` (its result certified)."""
    return ElectedMember.objects.filter(election=election).exists()


# --- Jobs -------------------------------------------------------------------------------------------


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    template = (
        "election_admin/cycles/_job_progress.html"
        if request.headers.get("HX-Request")
        else "election_admin/cycles/job_detail.html"
    )
    return render(request, template, {"job": job})
