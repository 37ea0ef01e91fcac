"""Progress dashboards (换届进度): drill-down from the country to a village, projector view, Excel export."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from audit.services import audit_record

from .choices import RegionLevel
from .choices_cycles import DEADLINE_LABELS, Body, RiskClass, Stage
from .exports import workbook_bytes
from .selectors import region_breadcrumbs, region_get_visible
from .selectors_dashboard import (
    at_risk_elections,
    dashboard_extensions_apply,
    funnel,
    overdue_elections,
    progress_for_region,
)

COUNTRY = "cn"
STRIP_MAX_DAYS = 120


def _region_or_country(user, code: str):
    """The region of ``code`` if the user may see it; ``cn`` is the whole country (system administrators)."""
    if code == COUNTRY:
        if user.area_code != "":
            raise Http404
        return None
    return region_get_visible(user=user, code=code)


def election_day_strip(days: list, today) -> list[dict]:
    """Consecutive days from the first to the last election day, each with its count and a heat level 0–4."""
    if not days:
        return []
    counts = dict(days)
    first, last = days[0][0], days[-1][0]
    if (last - first).days > STRIP_MAX_DAYS:
        last = first + timedelta(days=STRIP_MAX_DAYS)
    peak = max(counts.values()) or 1
    strip = []
    day = first
    while day <= last:
        n = counts.get(day, 0)
        strip.append(
            {
                "day": day,
                "n": n,
                "level": 0 if n == 0 else min(4, 1 + (n * 4 - 1) // peak),
                "is_today": day == today,
            }
        )
        day += timedelta(days=1)
    return strip


def _number(value) -> str:
    return "—" if value is None else f"{value:,}"


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def table_rows(progress) -> list[dict]:
    """The drill-down rows as plain strings, built once in Python: a township of 300 villages renders
    3,000 cells, and Django's template engine is slow at resolving properties and choice labels."""
    stage_labels = {value: str(label) for value, label in Stage.choices}
    body_labels = {value: str(label)[:2] for value, label in Body.choices}
    region_url = reverse("progress_region", args=["0"]).removesuffix("0/")
    rows = []
    for row in progress.rows:
        region = row.region
        rows.append(
            {
                "code": region.code,
                "name": region.name,
                "url": f"{region_url}{region.code}/" if region.level < RegionLevel.VILLAGE_LEVEL else "",
                "total": _number(row.total),
                "is_empty": row.total == 0,
                "is_idle": row.is_idle,
                "cells": [(_number(n), n == 0) for n in row.stage_cells()],
                "percent": _percent(row.percent_complete),
                "overdue": _number(row.overdue),
                "has_overdue": row.overdue > 0,
                "week": _number(row.due_this_week),
                "turnout": _percent(row.turnout),
                "first_round": _percent(row.first_round_success),
                "elections": [
                    (e.url, e.stage, f"{body_labels[e.body]} · {stage_labels[e.stage]}")
                    for e in row.elections
                ],
            }
        )
    return rows


def list_rows(elections) -> list[dict]:
    """Overdue / at-risk elections as plain strings for the lists (labels looked up once)."""
    stage_labels = {value: str(label) for value, label in Stage.choices}
    body_labels = {value: str(label) for value, label in Body.choices}
    risk_labels = {value: str(label) for value, label in RiskClass.choices}
    deadline_labels = {key: str(label) for key, label in DEADLINE_LABELS.items()}
    url_prefix = reverse("election_detail", args=[0]).removesuffix("0/")
    return [
        {
            "url": f"{url_prefix}{e.pk}/",
            "village": e.village_name,
            "township": e.township_name,
            "body": body_labels[e.body],
            "stage": stage_labels[e.stage],
            "deadline": deadline_labels.get(e.next_deadline_key, ""),
            "due": e.next_deadline_on.isoformat() if e.next_deadline_on else "",
            "days_late": getattr(e, "days_late", 0),
            "days_left": getattr(e, "days_left", None),
            "difficult": risk_labels[e.risk_class] if e.risk_class == RiskClass.DIFFICULT else "",
            "responsible": getattr(e, "responsible", ""),
            "flags": getattr(e, "flags", ()),
        }
        for e in elections
    ]


def table_body_html(rows: list[dict]) -> str:
    """The <tbody> rows of the drill-down table, escaped and joined in Python (one string instead of
    thousands of template nodes: the largest townships have 300+ villages)."""
    no_elections, not_started = escape(_("no elections")), escape(_("not started"))
    parts = []
    for row in rows:
        name = escape(row["name"])
        name = f'<a href="{escape(row["url"])}">{name}</a>' if row["url"] else name
        if row["is_empty"]:
            name += f' <span class="badge text-bg-danger">{no_elections}</span>'
        elif row["is_idle"]:
            name += f' <span class="badge text-bg-warning">{not_started}</span>'
        for url, stage, label in row["elections"]:
            name += f' <a class="badge stage-{escape(stage)} text-decoration-none" href="{escape(url)}">{escape(label)}</a>'
        cells = "".join(
            f'<td class="num{" text-muted" if is_zero else ""}">{text}</td>' for text, is_zero in row["cells"]
        )
        parts.append(
            f'<tr class="{"row-idle" if row["is_idle"] else ""}" data-code="{escape(row["code"])}">'
            f'<td class="text-muted small">{escape(row["code"])}</td><td>{name}</td>'
            f'<td class="num{" zero" if row["is_empty"] else ""}">{row["total"]}</td>{cells}'
            f'<td class="num">{row["percent"]}</td>'
            f'<td class="num{" zero" if row["has_overdue"] else ""}">{row["overdue"]}</td>'
            f'<td class="num">{row["week"]}</td><td class="num">{row["turnout"]}</td>'
            f'<td class="num">{row["first_round"]}</td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or a number we formatted


@login_required
def progress_home(request):
    code = request.user.region_id or COUNTRY
    return redirect("progress_region", code=code)


def _context(request, code: str, *, with_lists: bool = True) -> dict:
    user = request.user
    region = _region_or_country(user, code)
    today = timezone.localdate()
    progress = progress_for_region(user=user, region=region, today=today)
    context = {
        "region": region,
        "code": code,
        "progress": progress,
        "rows_html": table_body_html(table_rows(progress)),
        "stages": Stage.choices,
        "funnel_data": {
            "labels": [label for _stage, label, _n in funnel(progress)],
            "values": [n for _stage, _label, n in funnel(progress)],
            "title": _("Elections that reached the stage"),
        },
        "strip": election_day_strip(progress.election_days, today),
        "today": today,
        "breadcrumbs": region_breadcrumbs(user=user, region=region) if region else [],
    }
    if with_lists:
        overdue = overdue_elections(user=user, region=region, today=today)
        at_risk = at_risk_elections(user=user, region=region, today=today)
        # Registered extensions (supervision) name who is responsible, flag, and add their panels.
        context["panels"] = dashboard_extensions_apply(
            user=user, region=region, today=today, elections=overdue + at_risk
        )
        context["overdue"] = list_rows(overdue)
        context["at_risk"] = list_rows(at_risk)
    return context


@login_required
def progress_region(request, code: str):
    """The drill-down page of one region: table, funnel, election-day strip, overdue and at-risk lists."""
    return render(request, "election_admin/dashboard/progress.html", _context(request, code))


@login_required
def progress_projector(request, code: str):
    """Read-only, large type, refreshes itself: for the bureau's meeting-room projector. No personal data."""
    context = _context(request, code, with_lists=False)
    context["refresh_seconds"] = 60
    return render(request, "election_admin/dashboard/projector.html", context)


@login_required
def progress_export(request, code: str):
    """The drill-down table as an Excel file; the export is audited with its SHA-256."""
    context = _context(request, code, with_lists=False)
    progress, region = context["progress"], context["region"]
    header = [
        _("Code"),
        _("Name"),
        _("Number of elections"),
        *[str(label) for _value, label in Stage.choices],
        _("Completion rate"),
        _("Overdue"),
        _("Due this week"),
        _("Turnout (percent)"),
        _("First-round success (percent)"),
    ]
    rows = []
    for row in [*progress.rows, progress.totals]:
        rows.append(
            [
                row.region.code if row.region else "",
                row.region.name if row is not progress.totals else _("Total"),
                row.total,
                *row.stage_cells(),
                row.percent_complete,
                row.overdue,
                row.due_this_week,
                row.turnout,
                row.first_round_success,
            ]
        )
    name = region.name if region else _("The whole country")
    now = timezone.localtime()
    meta = [
        _("Election progress: %(name)s") % {"name": name},
        _("Exported by %(user)s on %(time)s")
        % {"user": request.user.get_username(), "time": now.strftime("%Y-%m-%d %H:%M")},
    ]
    data, digest = workbook_bytes(title=_("Progress"), header=header, rows=rows, meta=meta)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            event_type="progress.exported",
            region_code=region.code if region else "",
            object_type="election_admin.region",
            object_id=region.code if region else "",
            object_repr=name,
            after={"rows": len(rows), "sha256": digest},
        )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"progress-{code}-{now:%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
