"""What the returns add to the progress dashboards (registered in apps.py through
``election_admin.selectors_dashboard.register_dashboard_extension``): per open cycle, this region's own
return and which regions below have and have not reported. Three queries per open cycle (usually one)."""

from datetime import date

from election_admin.choices_cycles import CycleStatus
from election_admin.models import Cycle, Region

from .models import Return
from .selectors import children_states, days_overdue, due_dates, may_open_returns, region_reports_in_cycle

CYCLES_SHOWN = 3


def dashboard_extension(*, user, region: Region | None, today: date, elections: list) -> dict | None:
    """The returns panel of a township, county, city or province page (none on the national page)."""
    if region is None or not may_open_returns(user) or region.level > 4:
        return None
    cycles = list(
        Cycle.objects.visible_to(user)
        .filter(status=CycleStatus.OPEN)
        .order_by("-window_start", "region_id")[:CYCLES_SHOWN]
    )
    cycles = [c for c in cycles if c.region_id.startswith(region.code) or region.code.startswith(c.region_id)]
    if not cycles:
        return None
    own = {}
    if any(region_reports_in_cycle(region, c) for c in cycles):
        own = {r.cycle_id: r for r in Return.objects.filter(region=region, cycle__in=cycles, is_current=True)}
    rows = []
    for cycle in cycles:
        states = children_states(cycle, region)
        due_on = due_dates(cycle).get(region.level + 1) if states else None
        rows.append(
            {
                "cycle": cycle,
                "reports": region_reports_in_cycle(region, cycle),
                "own": own.get(cycle.pk),
                "total": len(states),
                "accepted": sum(1 for s in states if s.is_accepted),
                "not_reported": [s.region for s in states if not s.has_reported],
                "waiting": sum(1 for s in states if s.status == "submitted"),
                "overdue": sum(1 for s in states if days_overdue(s, due_on, today)),
            }
        )
    return {"template": "returns/dashboard/_panel.html", "region": region, "rows": rows}
