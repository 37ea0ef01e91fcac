"""The weekly progress report (选举工作周报) of a county or city: the figures, the PDF and the Excel sheet.

A report belongs to an ISO week and is made once: on its Monday by Celery beat, or earlier on demand; a
second run in the same week returns the stored one (``document_store`` with ``data_version`` =
``<region>-<ISO week>``). "Last week" is the previous report stored for the region; the period of the week's
movements (complaints, visits) is the seven days before the report date."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin import legal_calendar as cal
from election_admin.choices import RegionLevel
from election_admin.choices_cycles import DEADLINE_LABELS, Body, CycleStatus, Stage
from election_admin.models import DocumentKind, Election, Region
from election_admin.services.documents import document_store
from voters.models import Objection

from ..choices import CYCLE_RULES_ROLES
from ..models import Complaint, SupervisionVisit, WeeklyReport
from ..selectors import responsible_for

OVERDUE_LISTED = 100
REPORT_LEVELS = (RegionLevel.COUNTY, RegionLevel.CITY)


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class OverdueVillage:
    village: str
    township: str
    body: str
    deadline: str
    due: str
    days_late: int
    responsible: str


@dataclass
class WeeklyFigures:
    """Everything a weekly report prints, as plain values (stored as JSON with the report)."""

    region_code: str
    region_name: str
    week: str
    report_on: str
    period_start: str
    period_end: str
    cycles: list[str] = field(default_factory=list)
    elections: int = 0
    stage_counts: dict[str, int] = field(default_factory=dict)
    previous_week: str = ""
    stage_changes: dict[str, int | None] = field(default_factory=dict)
    complete: int = 0
    overdue_total: int = 0
    overdue: list[dict] = field(default_factory=list)
    complaints_received: int = 0
    complaints_answered: int = 0
    complaints_open: int = 0
    complaints_open_late: int = 0
    complaints_answered_late: int = 0
    complaints_serious_open: int = 0
    objections_open: int = 0
    visits_in_week: int = 0
    villages: int = 0
    villages_visited: int = 0
    held: int = 0
    registered: int = 0
    voted: int = 0
    first_round_filled: int = 0
    late_handovers: int = 0
    units: list[dict] = field(default_factory=list)  # the county's townships or the city's counties

    @property
    def turnout(self) -> float | None:
        return round(self.voted * 100 / self.registered, 1) if self.registered else None

    @property
    def first_round_rate(self) -> float | None:
        return round(self.first_round_filled * 100 / self.held, 1) if self.held else None

    @property
    def coverage(self) -> float | None:
        return round(self.villages_visited * 100 / self.villages, 1) if self.villages else None

    @classmethod
    def from_data(cls, data: dict) -> WeeklyFigures:
        return cls(**data)


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def weekly_figures(*, region: Region, report_on: date) -> WeeklyFigures:
    """Build the figures of ``region`` (a county or city) as of ``report_on`` — reads everything under the
    region (the caller decides who may see the report)."""
    code = region.code
    week = iso_week(report_on)
    start, end = report_on - timedelta(days=7), report_on - timedelta(days=1)
    elections = Election.objects.filter(region__code__startswith=code, cycle__status=CycleStatus.OPEN)
    figures = WeeklyFigures(
        region_code=code,
        region_name=region.name,
        week=week,
        report_on=report_on.isoformat(),
        period_start=start.isoformat(),
        period_end=end.isoformat(),
    )
    figures.cycles = sorted(set(elections.values_list("cycle__name", flat=True)))
    by_stage = dict(elections.values("stage").annotate(n=Count("id")).order_by().values_list("stage", "n"))
    figures.stage_counts = {stage: by_stage.get(stage, 0) for stage in Stage.values}
    figures.elections = sum(by_stage.values())
    figures.complete = sum(by_stage.get(stage, 0) for stage in cal.COMPLETE_STAGES)
    results = elections.aggregate(
        held=Count("id", filter=Q(stage__in=cal.HELD_STAGES)),
        registered=Sum("registered_count", filter=Q(voted_count__isnull=False)),
        voted=Sum("voted_count", filter=Q(voted_count__isnull=False)),
        first=Count("id", filter=Q(filled_in_first_round=True)),
        overdue=Count("id", filter=Q(next_deadline_on__lt=report_on)),
        late_handovers=Count("id", filter=Q(stage=cal.RESULTS_CERTIFIED, next_deadline_on__lt=report_on)),
        villages=Count("region_id", distinct=True),
    )
    figures.held, figures.first_round_filled = results["held"], results["first"]
    figures.registered, figures.voted = results["registered"] or 0, results["voted"] or 0
    figures.overdue_total, figures.late_handovers = results["overdue"], results["late_handovers"]
    figures.villages = results["villages"]

    previous = WeeklyReport.objects.filter(region=region, week__lt=week).order_by("-week").first()
    if previous is not None:
        figures.previous_week = previous.week
        before = previous.figures.get("stage_counts", {})
        figures.stage_changes = {stage: n - before.get(stage, 0) for stage, n in figures.stage_counts.items()}
    else:
        figures.stage_changes = {stage: None for stage in figures.stage_counts}

    overdue = list(
        elections.filter(next_deadline_on__lt=report_on)
        .select_related("region__parent")
        .order_by("next_deadline_on", "region_id")[:OVERDUE_LISTED]
    )
    responsible = responsible_for({(e.cycle_id, e.region_id) for e in overdue})
    figures.overdue = [
        asdict(
            OverdueVillage(
                village=e.region.name,
                township=e.region.parent.name if e.region.parent_id else "",
                body=str(Body(e.body).label),
                deadline=str(DEADLINE_LABELS.get(e.next_deadline_key, "")),
                due=e.next_deadline_on.isoformat(),
                days_late=cal.days_late(e.next_deadline_on, report_on),
                responsible=responsible[(e.cycle_id, e.region_id)].names(),
            )
        )
        for e in overdue
    ]

    cycle_ids = list(elections.values_list("cycle_id", flat=True).distinct())
    complaints = Complaint.objects.filter(cycle_id__in=cycle_ids, region__code__startswith=code)
    counts = complaints.aggregate(
        received=Count("id", filter=Q(received_on__range=(start, end))),
        answered=Count("id", filter=Q(answered_on__range=(start, end))),
        answered_late=Count("id", filter=Q(answered_on__range=(start, end), answered_on__gt=F("due_on"))),
        open=Count("id", filter=Q(answered_on__isnull=True)),
        open_late=Count("id", filter=Q(answered_on__isnull=True, due_on__lt=report_on)),
        serious=Count("id", filter=Q(answered_on__isnull=True, is_serious=True)),
    )
    figures.complaints_received, figures.complaints_answered = counts["received"], counts["answered"]
    figures.complaints_answered_late = counts["answered_late"]
    figures.complaints_open, figures.complaints_open_late = counts["open"], counts["open_late"]
    figures.complaints_serious_open = counts["serious"]
    figures.objections_open = (
        Objection.objects.filter(cycle_id__in=cycle_ids, region__code__startswith=code).open().count()
    )
    visits = SupervisionVisit.objects.filter(cycle_id__in=cycle_ids, region__code__startswith=code)
    figures.visits_in_week = visits.filter(visited_on__range=(start, end)).count()
    figures.villages_visited = visits.values("region_id").distinct().count()

    child_length = len(code) + (3 if region.level == RegionLevel.COUNTY else 2)
    names = dict(Region.objects.filter(parent=region).values_list("code", "name"))
    units: dict[str, Counter] = {child: Counter() for child in names}
    for row in (
        elections.annotate(unit=Substr("region_id", 1, child_length))
        .values("unit")
        .annotate(
            n=Count("id"),
            complete=Count("id", filter=Q(stage__in=cal.COMPLETE_STAGES)),
            overdue=Count("id", filter=Q(next_deadline_on__lt=report_on)),
        )
        .order_by()
    ):
        units.setdefault(row["unit"], Counter()).update(
            {"elections": row["n"], "complete": row["complete"], "overdue": row["overdue"]}
        )
    figures.units = [
        {
            "code": unit,
            "name": names.get(unit, unit),
            **{k: counter.get(k, 0) for k in ("elections", "complete", "overdue")},
        }
        for unit, counter in sorted(units.items())
    ]
    return figures


def weekly_report_may_make(user, region: Region) -> bool:
    """County bureaus and above make a report for their own county or city (or one inside their area)."""
    return (
        user.is_authenticated
        and user.role in CYCLE_RULES_ROLES
        and region.level in REPORT_LEVELS
        and Region.objects.visible_to(user).filter(code=region.code).exists()
    )


@transaction.atomic
def weekly_report_make(*, actor, region: Region, report_on: date | None = None) -> WeeklyReport:
    """选举工作周报 — make (once per ISO week) the report of a county or city: figures, PDF and Excel, stored
    as evidence. ``actor`` None: Celery beat. Returns the week's stored report when there already is one."""
    from ..exports import weekly_report_workbook
    from ..pdf import weekly_report_pdf

    if actor is not None and not weekly_report_may_make(actor, region):
        raise PermissionDenied(_("County bureaus and above make the weekly report of their area."))
    if region.level not in REPORT_LEVELS:
        raise ValidationError(_("Weekly reports are made for counties and cities."))
    report_on = report_on or timezone.localdate()
    week = iso_week(report_on)
    existing = WeeklyReport.objects.filter(region=region, week=week).first()
    if existing is not None:
        return existing
    with translation.override("zh-hans"):
        figures = weekly_figures(region=region, report_on=report_on)
        pdf_bytes, font_warning = weekly_report_pdf(figures)
        workbook_bytes = weekly_report_workbook(figures)
        title = f"{region.name}村（社区）“两委”换届选举工作周报（{week}）"
    version = f"{region.code}-{week}"
    pdf = document_store(
        actor=actor,
        kind=DocumentKind.WEEKLY_REPORT,
        region=region,
        title=title,
        content=pdf_bytes,
        filename=f"weekly-report-{region.code}-{week}.pdf",
        content_type="application/pdf",
        data_version=version,
        font_warning=font_warning,
    )
    workbook = document_store(
        actor=actor,
        kind=DocumentKind.WEEKLY_REPORT,
        region=region,
        title=title,
        content=workbook_bytes,
        filename=f"weekly-report-{region.code}-{week}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        data_version=f"{version}.xlsx",
    )
    report = WeeklyReport(
        region=region,
        week=week,
        report_on=report_on,
        figures=asdict(figures),
        pdf=pdf,
        workbook=workbook,
        created_by=actor,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        actor_label="" if actor is not None else "celery",
        event_type="weekly_report.made",
        region_code=region.code,
        obj=report,
        after={"week": week, "pdf_sha256": pdf.sha256, "xlsx_sha256": workbook.sha256},
    )
    return report


def regions_due_weekly_report() -> list[str]:
    """Codes of every county and city with an open cycle (the cycle's own area, its city, its counties)."""
    from election_admin.models import Cycle

    codes: set[str] = set()
    for cycle_code in Cycle.objects.filter(status=CycleStatus.OPEN).values_list("region_id", flat=True):
        if len(cycle_code) == 6:
            codes.update({cycle_code, cycle_code[:4]})
        else:
            codes.update(
                Region.objects.filter(code__startswith=cycle_code, level__in=REPORT_LEVELS).values_list(
                    "code", flat=True
                )
            )
    return sorted(codes)
