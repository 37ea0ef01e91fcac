"""Scoped reads for the progress dashboards (换届进度): drill-down rows, funnel, election-day strip,
overdue and at-risk lists.

Above the township the rows come from ``ProgressCounter`` (one grouped query over a few thousand
counter rows, whatever the number of elections); a township page reads its villages' elections
directly. Every query starts from ``visible_to(user)``, without the elections of closed cycles.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse

from . import legal_calendar as cal
from .choices import RegionLevel
from .choices_cycles import CycleStatus, Stage
from .models import Election, ProgressCounter, Region
from .models.elections import NO_DATE

WEEK = 7
AT_RISK_DAYS = 3
LIST_LIMIT = 50
# JSON columns the lists and tables never show (decoding them costs more than the rest of the row).
LIST_DEFERRED = ("stage_dates", "deadlines", "exceptions", "risk_reason")


def _current(user):
    """The elections the dashboards follow: the user's, of cycles not closed (a closed cycle — the last
    term, kept for the statistics' comparison — is not progress)."""
    return Election.objects.visible_to(user).exclude(cycle__status=CycleStatus.CLOSED)


@dataclass
class ProgressRow:
    """One row of the drill-down table: a region (or a village) and its elections' progress."""

    region: Region
    by_stage: dict[str, int] = field(default_factory=dict)
    total: int = 0
    overdue: int = 0
    due_this_week: int = 0
    registered: int = 0
    voted: int = 0
    first_round_filled: int = 0
    elections: list = field(default_factory=list)  # village rows only

    @property
    def complete(self) -> int:
        return sum(self.by_stage.get(s, 0) for s in cal.COMPLETE_STAGES)

    @property
    def held(self) -> int:
        return sum(self.by_stage.get(s, 0) for s in cal.HELD_STAGES)

    @property
    def not_started(self) -> int:
        return self.by_stage.get(cal.PREPARATION, 0)

    @property
    def percent_complete(self) -> float | None:
        return round(self.complete * 100 / self.total, 1) if self.total else None

    @property
    def turnout(self) -> float | None:
        return round(self.voted * 100 / self.registered, 1) if self.registered else None

    @property
    def first_round_success(self) -> float | None:
        return round(self.first_round_filled * 100 / self.held, 1) if self.held else None

    @property
    def is_idle(self) -> bool:
        """No election here has moved past preparation (or there is no election at all)."""
        return self.total == 0 or self.not_started == self.total

    def stage_cells(self) -> list[int]:
        return [self.by_stage.get(stage, 0) for stage in Stage.values]

    def add(self, other: "ProgressRow") -> None:
        for stage, n in other.by_stage.items():
            self.by_stage[stage] = self.by_stage.get(stage, 0) + n
        self.total += other.total
        self.overdue += other.overdue
        self.due_this_week += other.due_this_week
        self.registered += other.registered
        self.voted += other.voted
        self.first_round_filled += other.first_round_filled


@dataclass
class Progress:
    region: Region | None
    rows: list[ProgressRow]
    totals: ProgressRow
    election_days: list[tuple[date, int]]
    today: date
    elections: list = field(default_factory=list)  # a village's own elections


def _children(user, region: Region | None) -> list[Region]:
    qs = Region.objects.visible_to(user)
    if region is None:
        return list(qs.filter(parent__isnull=True, level=RegionLevel.PROVINCE).order_by("code"))
    return list(qs.filter(parent=region).order_by("code"))


def _rows_from_counters(user, children: list[Region], today: date) -> tuple[dict[str, ProgressRow], list]:
    codes = [child.code for child in children]
    week_end = today + timedelta(days=WEEK)
    counters = ProgressCounter.objects.visible_to(user).filter(region_code__in=codes)
    rows: dict[str, ProgressRow] = {child.code: ProgressRow(region=child) for child in children}
    grouped = (
        counters.values("region_code", "stage")
        .annotate(
            n=Sum("elections"),
            overdue=Sum("elections", filter=Q(due_on__lt=today)),
            week=Sum("elections", filter=Q(due_on__gte=today, due_on__lt=week_end)),
            registered=Sum("registered"),
            voted=Sum("voted"),
            first=Sum("first_round_filled"),
        )
        .order_by()
    )
    for item in grouped:
        row = rows[item["region_code"]]
        n = item["n"] or 0
        row.by_stage[item["stage"]] = row.by_stage.get(item["stage"], 0) + n
        row.total += n
        row.overdue += item["overdue"] or 0
        row.due_this_week += item["week"] or 0
        row.registered += item["registered"] or 0
        row.voted += item["voted"] or 0
        row.first_round_filled += item["first"] or 0
    days = (
        counters.exclude(election_day=NO_DATE)
        .values("election_day")
        .annotate(n=Sum("elections"))
        .filter(n__gt=0)
        .order_by("election_day")
    )
    return rows, [(item["election_day"], item["n"]) for item in days]


def _rows_from_elections(
    user, region: Region, children: list[Region], today: date
) -> tuple[dict[str, ProgressRow], list]:
    """A county's townships straight from its elections (a few hundred to a few thousand rows, read
    through the region-code index): one grouped query plus one for the election days."""
    week_end = today + timedelta(days=WEEK)
    child_length = len(children[0].code) if children else len(region.code) + 3
    rows: dict[str, ProgressRow] = {child.code: ProgressRow(region=child) for child in children}
    elections = _current(user).filter(region__code__startswith=region.code)
    has_results = Q(voted_count__isnull=False)
    grouped = (
        elections.annotate(child=Substr("region_id", 1, child_length))
        .values("child", "stage")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(next_deadline_on__lt=today)),
            week=Count("id", filter=Q(next_deadline_on__gte=today, next_deadline_on__lt=week_end)),
            registered=Sum("registered_count", filter=has_results),
            voted=Sum("voted_count", filter=has_results),
            first=Count("id", filter=Q(filled_in_first_round=True)),
        )
        .order_by()
    )
    for item in grouped:
        row = rows.get(item["child"])
        if row is None:
            continue
        row.by_stage[item["stage"]] = item["n"]
        row.total += item["n"]
        row.overdue += item["overdue"]
        row.due_this_week += item["week"]
        row.registered += item["registered"] or 0
        row.voted += item["voted"] or 0
        row.first_round_filled += item["first"]
    days = (
        elections.exclude(election_day=None)
        .values("election_day")
        .annotate(n=Count("id"))
        .order_by("election_day")
    )
    return rows, [(item["election_day"], item["n"]) for item in days]


def _village_rows(
    user, region: Region, children: list[Region], today: date
) -> tuple[dict[str, ProgressRow], list]:
    week_end = today + timedelta(days=WEEK)
    rows: dict[str, ProgressRow] = {child.code: ProgressRow(region=child) for child in children}
    elections = _current(user).filter(region__code__startswith=region.code).order_by("region_id", "body")
    per_day: dict[date, int] = defaultdict(int)
    url_prefix = reverse("election_detail", args=[0]).removesuffix("0/")
    for election in elections:
        row = rows.get(election.region_id)
        if row is None:
            continue
        election.days_late = cal.days_late(election.next_deadline_on, today)
        election.url = f"{url_prefix}{election.pk}/"
        row.elections.append(election)
        row.by_stage[election.stage] = row.by_stage.get(election.stage, 0) + 1
        row.total += 1
        if election.next_deadline_on is not None:
            if election.next_deadline_on < today:
                row.overdue += 1
            elif election.next_deadline_on < week_end:
                row.due_this_week += 1
        if election.voted_count is not None:
            row.registered += election.registered_count or 0
            row.voted += election.voted_count
        row.first_round_filled += 1 if election.filled_in_first_round else 0
        if election.election_day:
            per_day[election.election_day] += 1
    return rows, sorted(per_day.items())


def progress_for_region(*, user, region: Region | None, today: date) -> Progress:
    """The drill-down of ``region`` (None: the whole country): one row per unit below it, zero rows kept."""
    children = _children(user, region)
    if region is not None and region.level == RegionLevel.VILLAGE_LEVEL:
        elections = list(_current(user).filter(region=region).select_related("cycle"))
        totals = ProgressRow(region=region)
        for election in elections:
            election.days_late = cal.days_late(election.next_deadline_on, today)
            totals.by_stage[election.stage] = totals.by_stage.get(election.stage, 0) + 1
            totals.total += 1
        days = sorted({(e.election_day, 1) for e in elections if e.election_day})
        return Progress(
            region=region, rows=[], totals=totals, election_days=days, today=today, elections=elections
        )
    if region is not None and region.level == RegionLevel.TOWNSHIP:
        rows, days = _village_rows(user, region, children, today)
    elif region is not None and region.level == RegionLevel.COUNTY:
        rows, days = _rows_from_elections(user, region, children, today)
    else:
        rows, days = _rows_from_counters(user, children, today)
    totals = ProgressRow(region=region)
    for row in rows.values():
        totals.add(row)
    return Progress(
        region=region, rows=[rows[c.code] for c in children], totals=totals, election_days=days, today=today
    )


def _with_regions(elections: list[Election]) -> list[Election]:
    """Attach each election's village and township names with two primary-key lookups (a join on the limited
    query makes PostgreSQL hash-join the whole election table)."""
    regions = Region.objects.only("code", "name", "parent_id").in_bulk({e.region_id for e in elections})
    names = dict(
        Region.objects.filter(code__in={r.parent_id for r in regions.values() if r.parent_id}).values_list(
            "code", "name"
        )
    )
    for election in elections:
        village = regions[election.region_id]
        election.village_name, election.township_name = village.name, names.get(village.parent_id, "")
    return elections


def overdue_elections(*, user, region: Region | None, today: date, limit: int = LIST_LIMIT):
    """逾期 — elections whose next legal deadline has passed, most overdue first."""
    qs = _current(user).filter(next_deadline_on__lt=today).defer(*LIST_DEFERRED)
    if region is not None:
        qs = qs.filter(region__code__startswith=region.code)
    elections = _with_regions(list(qs.order_by("next_deadline_on", "region_id")[:limit]))
    for election in elections:
        election.days_late = cal.days_late(election.next_deadline_on, today)
    return elections


def at_risk_elections(*, user, region: Region | None, today: date, limit: int = LIST_LIMIT):
    """Elections at risk: failed ones, and those whose deadline falls in the next few days."""
    qs = _current(user).defer(*LIST_DEFERRED)
    if region is not None:
        qs = qs.filter(region__code__startswith=region.code)
    soon = list(
        qs.filter(
            next_deadline_on__gte=today, next_deadline_on__lte=today + timedelta(days=AT_RISK_DAYS)
        ).order_by("next_deadline_on", "region_id")[:limit]
    )
    failed = list(qs.filter(stage=cal.FAILED).order_by("region_id")[:limit])
    _with_regions(soon + failed)
    for election in soon + failed:
        election.days_left = (election.next_deadline_on - today).days if election.next_deadline_on else None
    return failed + soon


def funnel(progress: Progress) -> list[tuple[str, str, int]]:
    """(stage, label, elections at or beyond that stage) along the main line, plus failed and re-run."""
    by_stage = progress.totals.by_stage
    result = []
    for index, stage in enumerate(cal.STAGE_ORDER):
        reached = sum(by_stage.get(s, 0) for s in cal.STAGE_ORDER[index:])
        if index <= cal.STAGE_ORDER.index(cal.VOTING_DONE):
            reached += by_stage.get(cal.FAILED, 0) + by_stage.get(cal.RERUN, 0)
        result.append((stage, str(Stage(stage).label), reached))
    return result


# --- Extensions -------------------------------------------------------------------------------------
# Apps downstream of this one (election_admin.supervision) add to the dashboards without this module
# importing them: each registers, in its AppConfig.ready(), a function called once per page as
# ``extension(user=, region=, today=, elections=)`` with the elections of the overdue and at-risk lists.
# It may set ``responsible`` (who answers for the village, one line) and ``flags`` (short warnings) on
# those elections, and returns a panel for the page — a dict with the ``template`` that renders it — or
# None. The pages are benchmarked: an extension makes one or two grouped queries per page, never one
# per row.
DASHBOARD_EXTENSIONS: list = []


def register_dashboard_extension(extension) -> None:
    if extension not in DASHBOARD_EXTENSIONS:
        DASHBOARD_EXTENSIONS.append(extension)


def dashboard_extensions_apply(*, user, region: Region | None, today: date, elections: list) -> list[dict]:
    """Run every registered extension; returns their panels (the elections are annotated in place)."""
    panels = []
    for extension in DASHBOARD_EXTENSIONS:
        panel = extension(user=user, region=region, today=today, elections=elections)
        if panel:
            panels.append(panel)
    return panels
