"""What the voters app adds to the progress dashboards (registered in apps.py through
``election_admin.selectors_dashboard.register_dashboard_extension``): objections to the roll that are past
their answer time — a flag on those elections in the overdue list and a panel naming the villages.
One grouped query per page."""

from datetime import date

from django.db.models import Count, Min
from django.utils.translation import gettext as _

from .models import Objection

PANEL_ROWS = 20


def dashboard_extension(*, user, region, today: date, elections: list) -> dict | None:
    objections = Objection.objects.visible_to(user).overdue(today)
    if region is not None:
        objections = objections.in_area(region.code)
    rows = list(
        objections.values("election_id", "region_id", "region__name")
        .annotate(count=Count("id"), oldest_due=Min("due_on"))
        .order_by("oldest_due", "region_id")
    )
    if not rows:
        return None
    by_election = {row["election_id"]: row["count"] for row in rows}
    for election in elections:
        count = by_election.get(election.pk)
        if count:
            label = _("%(count)s objection(s) past the answer time") % {"count": count}
            election.flags = [*getattr(election, "flags", []), label]
    for row in rows:
        row["days_late"] = (today - row["oldest_due"]).days
    return {
        "template": "voters/dashboard/_objections_panel.html",
        "total": sum(row["count"] for row in rows),
        "rows": rows[:PANEL_ROWS],
        "more": max(0, len(rows) - PANEL_ROWS),
    }
