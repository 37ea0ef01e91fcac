"""Progress dashboards (换届进度): drill-down from the country to a village, projector view, Excel export."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

from .choices_cycles import Stage
from .exports import workbook_bytes
from .selectors import region_breadcrumbs, region_get_visible
from .selectors_dashboard import at_risk_elections, funnel, overdue_elections, progress_for_region

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
        context["overdue"] = overdue_elections(user=user, region=region, today=today)
        context["at_risk"] = at_risk_elections(user=user, region=region, today=today)
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
