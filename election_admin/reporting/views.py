"""Statistics pages: pick a cycle, a region's figures with the previous term and the units below, the
villages and people behind any number, the people elected of one election (party posts), the workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body
from election_admin.models import Cycle, Document, DocumentKind, Election, Region
from election_admin.scoping import region_in_area

from . import arithmetic as ar
from . import selectors
from .figures import FIGURE_LABELS, GROUP_LABELS, MEMBER_KEYS, ROUND_KEYS
from .forms import DayFiguresForm, PartyPostsForm
from .models import EDUCATION_BANDS, ElectedMember, ElectionDayFigures
from .services import RECORDING_ROLES, day_figures_set, party_posts_set

PAGE_SIZE = 100
# Figures of the region page, in order (round figures by group; member figures for one group).
ROUND_ROWS = [k for k in ROUND_KEYS]
MEMBER_ROWS = [k for k in MEMBER_KEYS]
# Which member figure a share links to (its count's people).
PEOPLE_FIGURE = {
    **{f"{name}_pct": name for name in selectors.MEMBER_FIGURES},
    "avg_age": "count",
    "dual_role_villages": "dual_role",
    "dual_role_pct": "dual_role",
}
# Which round figure a share or total links to (the villages behind it).
VILLAGE_FIGURE = {
    "elected_pct": "elected",
    "on_time_pct": "on_time",
    "first_round_success_pct": "first_round_success",
    "registered": "with_turnout",
    "voted": "with_turnout",
    "turnout_pct": "with_turnout",
    **{name: "elected" for name in selectors.DAY_FIGURES},
}


def _cycles(user):
    return Cycle.objects.visible_to(user).select_related("region").order_by("-window_start", "region_id")


def _cycles_for_list(user) -> list:
    """The user's cycles, those of their own area first (a city bureau's city cycle before a county's)."""
    area = user.area_code or ""
    return sorted(
        _cycles(user), key=lambda c: (c.region_id != area, -c.window_start.toordinal(), c.region_id)
    )


def _scope(request, cycle_id: int, code: str) -> tuple[Cycle, Region]:
    """The cycle (visible to the user) and a region inside the user's area overlapping the cycle; else 404."""
    cycle = get_object_or_404(_cycles(request.user), pk=cycle_id)
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    if not (region.code.startswith(cycle.region_id) or cycle.region_id.startswith(region.code)):
        raise Http404
    if region.level == RegionLevel.VILLAGE_LEVEL:
        raise Http404
    return cycle, region


@login_required
def statistics_home(request):
    """Pick a cycle; the region defaults to the user's own area (the cycle's area for the whole country)."""
    cycles = _cycles_for_list(request.user)
    chosen = request.GET.get("cycle")
    if chosen and chosen.isdigit():
        cycle = next((c for c in cycles if c.pk == int(chosen)), None)
        if cycle is None:
            raise Http404
        area = request.user.area_code or ""
        code = area if len(area) >= len(cycle.region_id) else cycle.region_id
        if area and not code.startswith(area):
            code = area
        if len(code) == 12:
            code = code[:9]
        return redirect("statistics_region", cycle_id=cycle.pk, code=code)
    return render(request, "reporting/home.html", {"cycles": cycles})


def _member_table(current: dict, previous: dict, changes: dict, group: str) -> list[dict]:
    rows = []
    for key in MEMBER_ROWS:
        rows.append(
            {
                "key": key,
                "label": FIGURE_LABELS[key],
                "value": current[group].get(key),
                "previous": previous.get(group, {}).get(key) if previous else None,
                "change": changes.get(group, {}).get(key) if changes else None,
                "people": PEOPLE_FIGURE.get(key, key)
                if PEOPLE_FIGURE.get(key, key) in selectors.MEMBER_FIGURES
                else None,
                "is_share": key.endswith("_pct"),
                "is_avg": key == "avg_age",
            }
        )
    return rows


def _round_table(rounds: dict, groups: list[str]) -> list[dict]:
    rows = []
    for key in ROUND_ROWS:
        cells = []
        for group in groups:
            figure = VILLAGE_FIGURE.get(key, key)
            cells.append({"group": group, "value": rounds[group].get(key), "villages": figure})
        rows.append(
            {"key": key, "label": FIGURE_LABELS[key], "cells": cells, "is_share": key.endswith("_pct")}
        )
    return rows


def _age_pyramid(stats: dict) -> dict:
    bands = [key for key, _low, _high in ar.AGE_BANDS]
    return {
        "labels": [str(FIGURE_LABELS[b]) for b in bands],
        "men": [stats[b] - stats[f"women_{b}"] for b in bands],
        "women": [-stats[f"women_{b}"] for b in bands],
        "men_label": _("Men"),
        "women_label": _("Women"),
    }


@login_required
def statistics_region(request, cycle_id: int, code: str):
    """A region's statistics: the round by body, the people elected by group with the previous term and
    the change, the units below, four charts; every number links to the villages or people behind it."""
    cycle, region = _scope(request, cycle_id, code)
    group = request.GET.get("group", "both")
    if group not in selectors.MEMBER_GROUPS:
        group = "both"
    rounds, child_round_rows = selectors.round_overview(region, cycle)
    round_groups = [g for g in selectors.ROUND_GROUPS if rounds[g]["due"]] or ["committee"]
    current = selectors.member_statistics(region, cycle)
    has_previous = selectors.has_previous(region, cycle)
    previous = selectors.member_statistics(region, cycle, previous=True) if has_previous else {}
    changes = selectors.member_comparison(current, previous) if has_previous else {}
    child_rounds = child_round_rows["committee"]
    child_party = {row["code"]: row for row in child_round_rows["party_branch"]}
    child_members = {row["code"]: row for row in selectors.member_breakdown(region, cycle, group)}
    children = []
    codes = sorted({row["code"] for row in child_rounds} | set(child_members))
    by_code = {row["code"]: row for row in child_rounds}
    for child in codes:
        r = by_code.get(child) or {}
        m = child_members.get(child) or {}
        children.append(
            {
                "code": child,
                "name": r.get("name") or m.get("name") or child,
                "round": r,
                "party": child_party.get(child, {}),
                "members": m,
                "is_region": len(child) < 12,
            }
        )
    edu_keys = list(EDUCATION_BANDS)
    charts = {
        "pyramid": _age_pyramid(current[group]),
        "education": {
            "labels": [str(FIGURE_LABELS[k]) for k in edu_keys],
            "values": [current[group][k] for k in edu_keys],
            "title": str(GROUP_LABELS[group]),
        },
        "women": {
            "labels": [c["name"] for c in children],
            "values": [c["members"].get("women_pct") for c in children],
            "title": _("Women, %"),
        },
        "first_round": {
            "labels": [c["name"] for c in children],
            "values": [c["round"].get("first_round_success_pct") for c in children],
            "title": _("First-round success rate, %"),
        },
    }
    up = None
    if region.parent_id and region_in_area(region.parent_id, request.user.area_code):
        if region.parent_id.startswith(cycle.region_id) or cycle.region_id.startswith(region.parent_id):
            up = region.parent
    workbooks = (
        Document.objects.visible_to(request.user)
        .filter(
            kind=DocumentKind.STATISTICS_WORKBOOK,
            region=region,
            subject_type="election_admin.cycle",
            subject_id=str(cycle.pk),
        )
        .order_by("-created_at")[:5]
    )
    return render(
        request,
        "reporting/region.html",
        {
            "cycle": cycle,
            "region": region,
            "up": up,
            "cycles": _cycles(request.user),
            "group": group,
            "group_label": GROUP_LABELS[group],
            "groups": [(g, GROUP_LABELS[g]) for g in selectors.MEMBER_GROUPS],
            "round_groups": [(g, GROUP_LABELS[g]) for g in round_groups],
            "round_rows": _round_table(rounds, round_groups),
            "member_rows": _member_table(current, previous, changes, group),
            "overview": [
                {
                    "group": g,
                    "label": GROUP_LABELS[g],
                    **current[g],
                    "change_age": changes.get(g, {}).get("avg_age"),
                }
                for g in selectors.MEMBER_GROUPS
                if g == "both" or current[g]["count"]
            ],
            "has_previous": has_previous,
            "previous_cycle": selectors.previous_cycle(cycle),
            "children": children,
            "child_level": selectors.region_level_label(codes[0]) if codes else "",
            "occupations": selectors.occupations(region, cycle, group)[:15],
            "charts": charts,
            "workbooks": workbooks,
            "figure_labels": FIGURE_LABELS,
        },
    )


@login_required
def statistics_villages(request, cycle_id: int, code: str, group: str, figure: str):
    """The villages (elections) behind a round figure."""
    cycle, region = _scope(request, cycle_id, code)
    rows = selectors.villages_behind(request.user, cycle, region.code, group, figure)
    if rows is None:
        raise Http404
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = {
        f.election_id: f
        for f in ElectionDayFigures.objects.filter(election_id__in=[e.pk for e in page.object_list])
    }
    for election in page.object_list:
        election.day_figures = figures.get(election.pk)
        election.turnout = ar.share(election.voted_count, election.registered_count)
    label = FIGURE_LABELS.get(figure) or {
        "with_turnout": _("Elections with certified voter figures"),
        "late": _("Not on time"),
    }.get(figure, figure)
    return render(
        request,
        "reporting/villages.html",
        {
            "cycle": cycle,
            "region": region,
            "group_label": GROUP_LABELS[group],
            "figure_label": label,
            "page": page,
            "total": page.paginator.count,
            "figure_labels": FIGURE_LABELS,
        },
    )


@login_required
def statistics_people(request, cycle_id: int, code: str, group: str, figure: str):
    """The people behind a member figure (name, village, body, post, gender, age, education — no ID)."""
    cycle, region = _scope(request, cycle_id, code)
    previous = request.GET.get("previous") == "1"
    rows = selectors.people_behind(request.user, cycle, region.code, group, figure, previous=previous)
    if rows is None:
        raise Http404
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/people.html",
        {
            "cycle": cycle,
            "region": region,
            "group": group,
            "group_label": GROUP_LABELS[group],
            "figure_label": FIGURE_LABELS.get(figure, _("People elected")),
            "previous": previous,
            "page": page,
            "total": page.paginator.count,
        },
    )


@login_required
def election_members(request, pk: int):
    """当选人 of one election; for a party branch, township staff record the party posts chosen by the new
    committee; the hand-kept election-day figures (ballot writers, booths)."""
    election = get_object_or_404(
        Election.objects.visible_to(request.user).select_related("region", "cycle"), pk=pk
    )
    members = list(ElectedMember.objects.filter(election=election).order_by("post", "name"))
    may_record = request.user.role in RECORDING_ROLES
    day = ElectionDayFigures.objects.filter(election=election).first()
    is_party = election.body == Body.PARTY_BRANCH
    posts_form = PartyPostsForm(members=members) if is_party else None
    day_form = DayFiguresForm(instance_values=day) if day else None
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(_("Township staff or a bureau records this."))
        try:
            if request.POST.get("action") == "posts" and is_party:
                posts_form = PartyPostsForm(request.POST, members=members)
                if posts_form.is_valid():
                    party_posts_set(actor=request.user, election=election, posts=posts_form.posts())
                    messages.success(request, _("Party posts saved."))
                    return redirect("statistics_election_members", pk=election.pk)
            elif request.POST.get("action") == "day" and day is not None:
                day_form = DayFiguresForm(request.POST, instance_values=day)
                if day_form.is_valid():
                    day_figures_set(
                        actor=request.user,
                        election=election,
                        ballot_writer_voters=day_form.cleaned_data["ballot_writer_voters"],
                        booths=day_form.cleaned_data["booths"],
                    )
                    messages.success(request, _("Figures saved."))
                    return redirect("statistics_election_members", pk=election.pk)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return render(
        request,
        "reporting/election_members.html",
        {
            "election": election,
            "members": members,
            "may_record": may_record,
            "posts_form": posts_form,
            "day_form": day_form,
            "day": day,
        },
    )


@login_required
def statistics_workbook(request, cycle_id: int, code: str):
    """POST: make the workbook of the region as a background job (the job page shows the download)."""
    cycle, region = _scope(request, cycle_id, code)
    if request.method != "POST":
        return redirect("statistics_region", cycle_id=cycle.pk, code=region.code)
    from election_admin.health import task_enqueue
    from election_admin.services.jobs import job_create

    from .tasks import statistics_workbook_task

    with transaction.atomic():
        job = job_create(
            actor=request.user,
            kind="statistics_workbook",
            region=region,
            total=1,
            params={"cycle": cycle.pk},
        )
        transaction.on_commit(
            lambda: task_enqueue(statistics_workbook_task, cycle.pk, region.code, job.pk, job_id=job.pk)
        )
    return redirect(reverse("job_detail", args=[job.pk]))


MAX_UPLOAD = 10 * 1024 * 1024


@login_required
def previous_template(request):
    """The empty Excel template of the previous term's list."""
    from django.http import HttpResponse

    from .importing import template_bytes

    response = HttpResponse(
        template_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="previous-term-template.xlsx"'
    return response


@login_required
def previous_import(request, cycle_id: int):
    """上届当选人名单 — upload the previous term's list for villages of the user's area (all or nothing)."""
    from datetime import date

    from .importing import read_rows
    from .services import previous_members_import

    cycle = get_object_or_404(_cycles(request.user), pk=cycle_id)
    may_import = request.user.role in RECORDING_ROLES
    errors: list[str] = []
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied(_("Township staff or a bureau records this."))
        upload = request.FILES.get("file")
        try:
            day = date.fromisoformat(request.POST.get("election_day", ""))
        except ValueError:
            day = None
            errors.append(_("Election day of the previous term: enter a date (YYYY-MM-DD)."))
        if upload is None or upload.size > MAX_UPLOAD:
            errors.append(_("Choose the filled-in template (.xlsx, at most 10 MB)."))
        if not errors:
            try:
                rows, errors = read_rows(upload.read())
            except Exception:  # not a workbook at all
                rows, errors = [], [_("The file is not an Excel workbook (.xlsx). Use the template.")]
            if not errors:
                try:
                    count = previous_members_import(
                        actor=request.user, cycle=cycle, rows=rows, election_day=day
                    )
                except ValidationError as error:
                    errors = error.messages
                else:
                    messages.success(
                        request, _("%(count)s people of the previous term imported.") % {"count": count}
                    )
                    return redirect("statistics_previous_import", cycle_id=cycle.pk)
    area = request.user.area_code or ""
    imported = ElectedMember.objects.filter(previous_of=cycle).visible_to(request.user)
    return render(
        request,
        "reporting/previous_import.html",
        {
            "cycle": cycle,
            "may_import": may_import,
            "errors": errors,
            "imported": imported.count(),
            "villages": imported.values("region_id").distinct().count(),
            "area": area,
        },
    )
