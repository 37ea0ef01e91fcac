"""What supervision adds to the progress dashboards (registered in apps.py through
``election_admin.selectors_dashboard.register_dashboard_extension``): who is responsible beside each overdue or
at-risk village, flags for open serious complaints and late handovers, and a panel per open cycle with
visit coverage, serious complaints and late handovers. Three queries per page, whatever the rows."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from election_admin import legal_calendar as cal
from election_admin.choices_cycles import CycleStatus
from election_admin.models import Election, Region

from .models import Complaint, SupervisionVisit
from .selectors import responsible_for
from .services.common import may_supervise

SERIOUS_LIMIT = 1000  # an area never has this many open serious complaints; a bound, not a page


def _serious_open(user, code: str) -> list[dict]:
    if not may_supervise(user):
        return []
    qs = Complaint.objects.visible_to(user).serious_open()
    if code:
        qs = qs.in_area(code)
    return list(qs.values("cycle_id", "region_id", "election_id")[:SERIOUS_LIMIT])


def _annotate(user, elections: list, serious: list[dict], today: date) -> None:
    by_election = {row["election_id"] for row in serious if row["election_id"]}
    by_village = {(row["cycle_id"], row["region_id"]) for row in serious if not row["election_id"]}
    responsible = responsible_for({(e.cycle_id, e.region_id) for e in elections})
    serious_label, handover_label = _("Serious complaint open"), _("Handover late")
    for election in elections:
        who = responsible.get((election.cycle_id, election.region_id))
        election.responsible = who.short_line(user) if who else ""
        flags = []
        if election.pk in by_election or (election.cycle_id, election.region_id) in by_village:
            flags.append(serious_label)
        if (
            election.stage == cal.RESULTS_CERTIFIED
            and election.next_deadline_on is not None
            and election.next_deadline_on < today
        ):
            flags.append(handover_label)
        election.flags = [*getattr(election, "flags", []), *flags]


def _panel(user, region: Region, serious: list[dict], today: date) -> dict | None:
    """One row per open cycle in the region: villages, visited, late handovers, serious complaints."""
    visited = Exists(
        SupervisionVisit.objects.filter(cycle_id=OuterRef("cycle_id"), region_id=OuterRef("region_id"))
    )
    rows = list(
        Election.objects.visible_to(user)
        .filter(region__code__startswith=region.code, cycle__status=CycleStatus.OPEN)
        .values("cycle_id", "cycle__name")
        .annotate(
            villages=Count("region_id", distinct=True),
            visited=Count("region_id", distinct=True, filter=visited),
            late_handovers=Count("id", filter=Q(stage=cal.RESULTS_CERTIFIED, next_deadline_on__lt=today)),
        )
        .order_by("cycle_id")
    )
    if not rows:
        return None
    serious_by_cycle: dict[int, int] = {}
    for row in serious:
        serious_by_cycle[row["cycle_id"]] = serious_by_cycle.get(row["cycle_id"], 0) + 1
    for row in rows:
        row["coverage"] = round(row["visited"] * 100 / row["villages"], 1) if row["villages"] else None
        row["serious"] = serious_by_cycle.get(row["cycle_id"], 0)
    return {
        "template": "supervision/dashboard/_panel.html",
        "region": region,
        "cycles": rows,
        "may_supervise": may_supervise(user),
    }


def dashboard_extension(*, user, region: Region | None, today: date, elections: list) -> dict | None:
    """Annotate the listed elections and return the supervision panel (none on the national page, which
    would have to count every village in the country)."""
    code = region.code if region is not None else ""
    serious = _serious_open(user, code)
    if elections:
        _annotate(user, elections, serious, today)
    if region is None:
        return None
    return _panel(user, region, serious, today)
