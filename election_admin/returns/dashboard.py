"""What the returns add to the progress dashboards (registered in apps.py through
``election_admin.selectors_dashboard.register_dashboard_extension``): per open cycle, this region's own
return and which regions below have and have not reported, and how many are past their due date.
Three queries per page whatever the number of regions: the open cycles (with the due date of the level
below), the regions below with elections in each cycle (grouped, with their names), their current returns."""

from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Substr

from election_admin.choices import CODE_LENGTH, RegionLevel
from election_admin.choices_cycles import CycleStatus
from election_admin.models import Cycle, Election, Region

from .models import Return, ReturnDueDate
from .selectors import ChildState, days_overdue, may_open_returns, region_reports_in_cycle

CYCLES_SHOWN = 3


def _children_by_cycle(region: Region, cycles: list[Cycle]) -> dict[int, list[Region]]:
    child_length = CODE_LENGTH[RegionLevel(region.level + 1)]
    rows = (
        Election.objects.filter(cycle__in=cycles, region__code__startswith=region.code)
        .annotate(child=Substr("region_id", 1, child_length))
        .values("cycle_id", "child")
        .distinct()
        .annotate(name=Subquery(Region.objects.filter(code=OuterRef("child")).values("name")[:1]))
        .order_by("cycle_id", "child")
    )
    children: dict[int, list[Region]] = {cycle.pk: [] for cycle in cycles}
    for row in rows:
        children[row["cycle_id"]].append(Region(code=row["child"], name=row["name"] or row["child"]))
    return children


def dashboard_extension(*, user, region: Region | None, today: date, elections: list) -> dict | None:
    """The returns panel of a township, county, city or province page (none on the national page)."""
    if region is None or not may_open_returns(user) or region.level > RegionLevel.TOWNSHIP:
        return None
    child_level = region.level + 1
    covering = [*region.ancestor_codes, region.code]
    cycles = list(
        Cycle.objects.visible_to(user)
        .filter(Q(region__code__startswith=region.code) | Q(region_id__in=covering), status=CycleStatus.OPEN)
        .annotate(
            child_due_on=Subquery(
                ReturnDueDate.objects.filter(cycle=OuterRef("pk"), level=child_level).values("due_on")[:1]
            )
        )
        .order_by("-window_start", "region_id")[:CYCLES_SHOWN]
    )
    if not cycles:
        return None
    children = _children_by_cycle(region, cycles) if region.level < RegionLevel.TOWNSHIP else {}
    codes = {child.code for regions in children.values() for child in regions} | {region.code}
    currents = {
        (r.cycle_id, r.region_id): r
        for r in Return.objects.filter(cycle__in=cycles, region_id__in=codes, is_current=True).only(
            "cycle_id", "region_id", "status", "version"
        )
    }
    rows = []
    for cycle in cycles:
        states = [
            ChildState(child, currents.get((cycle.pk, child.code))) for child in children.get(cycle.pk, [])
        ]
        rows.append(
            {
                "cycle": cycle,
                "reports": region_reports_in_cycle(region, cycle),
                "own": currents.get((cycle.pk, region.code)),
                "total": len(states),
                "accepted": sum(1 for s in states if s.is_accepted),
                "not_reported": [s.region for s in states if not s.has_reported],
                "waiting": sum(1 for s in states if s.status == "submitted"),
                "overdue": sum(1 for s in states if days_overdue(s, cycle.child_due_on, today)),
            }
        )
    return {"template": "returns/dashboard/_panel.html", "region": region, "rows": rows}
