"""Scoped reads of the supervision app: assignment tables, who is responsible, a leader's week, the complaints
register (with the roll objections of the voters app, read-only), coverage — and what other apps ask.

For other apps:
- ``complaint_blocks_certification(election)`` — the ballots app calls it before certifying a result: any
  complaint returned (open and serious) must be confirmed explicitly by the person certifying.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from election_admin import legal_calendar as cal
from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Cycle, Election, Region
from voters.models import Objection

from .choices import ASSIGNMENT_SHORT_LABELS, AssignmentKind, ComplaintCategory, ComplaintChannel
from .models import Assignment, Complaint, Leader, SupervisionVisit
from .services.common import phone_shown

WEEK = 7


# --- For other apps ----------------------------------------------------------------------------------


def complaint_blocks_certification(election: Election) -> list[Complaint]:
    """Open serious complaints about this election (or about its village with no election named) in its
    cycle. The ballots app asks before certifying a result: a non-empty answer means the person certifying
    must confirm explicitly that they certify despite them. The caller has already scoped ``election``."""
    return list(
        Complaint.objects.serious_open()
        .filter(cycle_id=election.cycle_id, region_id=election.region_id)
        .filter(Q(election=election) | Q(election__isnull=True))
        .order_by("received_on", "number")
    )


# --- Who is responsible ------------------------------------------------------------------------------


@dataclass
class Responsible:
    """The people who answer for one village in a cycle (any of them may be missing)."""

    county_leader: Leader | None = None
    township_leader: Leader | None = None
    resident_cadre: Leader | None = None

    def people(self) -> list[tuple[str, Leader]]:
        return [
            (kind, leader)
            for kind, leader in (
                (AssignmentKind.COUNTY_LEADER, self.county_leader),
                (AssignmentKind.TOWNSHIP_LEADER, self.township_leader),
                (AssignmentKind.RESIDENT_CADRE, self.resident_cadre),
            )
            if leader is not None
        ]

    def line(self, user=None, *, with_phone: bool = True) -> str:
        """包乡 王建国（副县长 138****1234）；包村 …；驻村 … — phones as the user may see them."""
        parts = []
        for kind, leader in self.people():
            detail = leader.title
            if with_phone and leader.phone:
                detail = f"{detail} {phone_shown(user, leader.phone)}".strip()
            parts.append(f"{ASSIGNMENT_SHORT_LABELS[kind]} {leader.name}（{detail}）")
        return "；".join(parts)

    def short_line(self, user=None) -> str:
        """包乡 王建国 138****1234 · 包村 … — the dashboards' compact form (no titles)."""
        return " · ".join(
            f"{ASSIGNMENT_SHORT_LABELS[kind]} {leader.name} {phone_shown(user, leader.phone)}".strip()
            for kind, leader in self.people()
        )

    def names(self) -> str:
        return "、".join(f"{leader.name}（{leader.title}）" for _kind, leader in self.people())


def responsible_for(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], Responsible]:
    """(cycle id, village code) → who is responsible, in one query (callers pass pairs they may see)."""
    if not pairs:
        return {}
    cycles = {cycle_id for cycle_id, _code in pairs}
    villages = {code for _cycle, code in pairs}
    townships = {code[:9] for code in villages}
    rows = Assignment.objects.filter(cycle_id__in=cycles, region_id__in=villages | townships).select_related(
        "leader"
    )
    by_unit = {(a.cycle_id, a.region_id, a.kind): a.leader for a in rows}
    result = {}
    for cycle_id, code in pairs:
        result[(cycle_id, code)] = Responsible(
            county_leader=by_unit.get((cycle_id, code[:9], AssignmentKind.COUNTY_LEADER)),
            township_leader=by_unit.get((cycle_id, code, AssignmentKind.TOWNSHIP_LEADER)),
            resident_cadre=by_unit.get((cycle_id, code, AssignmentKind.RESIDENT_CADRE)),
        )
    return result


# --- Assignment tables -------------------------------------------------------------------------------


@dataclass
class AssignmentTableRow:
    region: Region
    current: dict[str, Leader | None] = field(default_factory=dict)


def assignment_table(user, cycle: Cycle, parent: Region, kinds: list[str]) -> list[AssignmentTableRow]:
    """The units below ``parent`` (townships of a county, villages of a township) with their current
    assignments of ``kinds``; units without any election in the cycle are left out."""
    level = RegionLevel.TOWNSHIP if parent.level == RegionLevel.COUNTY else RegionLevel.VILLAGE_LEVEL
    units = list(Region.objects.visible_to(user).filter(parent=parent, level=level).order_by("code"))
    length = len(parent.code) + 3
    with_elections = set(
        Election.objects.visible_to(user)
        .filter(cycle=cycle, region__code__startswith=parent.code)
        .values_list("region_id", flat=True)
        .distinct()
    )
    with_elections = {code[:length] for code in with_elections}
    rows = [
        AssignmentTableRow(region=unit, current={k: None for k in kinds})
        for unit in units
        if unit.code in with_elections
    ]
    by_code = {row.region.code: row for row in rows}
    for assignment in (
        Assignment.objects.visible_to(user)
        .filter(cycle=cycle, region_id__in=list(by_code), kind__in=kinds)
        .select_related("leader")
    ):
        by_code[assignment.region_id].current[assignment.kind] = assignment.leader
    return rows


def assignments_in_area(user, cycle: Cycle, *, area_code: str = ""):
    qs = Assignment.objects.visible_to(user).filter(cycle=cycle).select_related("leader", "region__parent")
    if area_code:
        qs = qs.in_area(area_code)
    return qs.order_by("region_id", "kind")


# --- A leader's page ---------------------------------------------------------------------------------


@dataclass
class LeaderVillage:
    cycle: Cycle
    region: Region
    kind: str
    elections: list = field(default_factory=list)  # each with .days_late, .due_this_week
    visits: int = 0
    open_complaints: int = 0

    @property
    def kind_label(self) -> str:
        return str(AssignmentKind(self.kind).label)

    @property
    def needs_attention(self) -> bool:
        return any(e.days_late or e.due_this_week for e in self.elections) or self.open_complaints > 0


def leader_villages(user, leader: Leader, today: date) -> list[LeaderVillage]:
    """The villages a leader answers for (every village of the township for a county leader), each with its
    elections — overdue or due this week — its visits and open complaints."""
    assignments = list(
        Assignment.objects.visible_to(user).filter(leader=leader).select_related("cycle", "region")
    )
    if not assignments:
        return []
    week_end = today + timedelta(days=WEEK)
    area = Q()
    for a in assignments:
        area |= Q(cycle_id=a.cycle_id, region__code__startswith=a.region_id)
    elections = list(
        Election.objects.visible_to(user)
        .filter(area)
        .exclude(stage=Stage.HANDED_OVER)
        .select_related("region")
        .order_by("region_id", "body")
    )
    kind_of = {}
    for a in assignments:
        for election in elections:
            if election.cycle_id == a.cycle_id and election.region_id.startswith(a.region_id):
                kind_of.setdefault((a.cycle_id, election.region_id), (a.cycle, a.kind))
    rows: dict[tuple[int, str], LeaderVillage] = {}
    for election in elections:
        key = (election.cycle_id, election.region_id)
        cycle, kind = kind_of[key]
        row = rows.setdefault(key, LeaderVillage(cycle=cycle, region=election.region, kind=kind))
        election.days_late = cal.days_late(election.next_deadline_on, today)
        election.due_this_week = (
            election.next_deadline_on is not None and today <= election.next_deadline_on < week_end
        )
        row.elections.append(election)
    codes = [code for _cycle, code in rows]
    visits = defaultdict(int)
    for visit in (
        SupervisionVisit.objects.visible_to(user).filter(region_id__in=codes).values("cycle_id", "region_id")
    ):
        visits[(visit["cycle_id"], visit["region_id"])] += 1
    complaints = defaultdict(int)
    for complaint in (
        Complaint.objects.visible_to(user).open().filter(region_id__in=codes).values("cycle_id", "region_id")
    ):
        complaints[(complaint["cycle_id"], complaint["region_id"])] += 1
    for key, row in rows.items():
        row.visits, row.open_complaints = visits[key], complaints[key]
    return list(rows.values())


# --- Complaints register -----------------------------------------------------------------------------


@dataclass
class RegisterEntry:
    """One line of the register: a complaint, or an objection to the roll shown read-only."""

    is_objection: bool
    reference: str
    received_on: date
    channel: str
    from_label: str
    village: str
    township: str
    election: str
    category: str
    summary: str
    is_serious: bool
    assigned_to: str
    due_on: date
    answered_on: date | None
    outcome: str
    days_late: int
    url: str

    @property
    def is_open(self) -> bool:
        return self.answered_on is None

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


REGISTER_FILTERS = ("open", "late", "serious", "answered")


def complaint_register(
    user, cycle: Cycle, today: date, *, area_code: str = "", status: str = "", with_objections: bool = True
) -> list[RegisterEntry]:
    """The round's complaints register for the user's area, newest first, with the roll objections of the
    voters app (read-only; they are decided on the voter-roll pages). ``status``: open, late, serious,
    answered."""
    complaints = (
        Complaint.objects.visible_to(user).filter(cycle=cycle).select_related("region__parent", "election")
    )
    objections = (
        Objection.objects.visible_to(user).filter(cycle=cycle).select_related("region__parent", "election")
    )
    if area_code:
        complaints, objections = complaints.in_area(area_code), objections.in_area(area_code)
    if status == "open":
        complaints, objections = (
            complaints.filter(answered_on__isnull=True),
            objections.filter(decided_on__isnull=True),
        )
    elif status == "answered":
        complaints, objections = (
            complaints.filter(answered_on__isnull=False),
            objections.filter(decided_on__isnull=False),
        )
    elif status == "serious":
        complaints, with_objections = complaints.filter(is_serious=True), False
    entries = []
    channel_labels = dict(ComplaintChannel.choices)
    category_labels = dict(ComplaintCategory.choices)
    for c in complaints:
        entries.append(
            RegisterEntry(
                is_objection=False,
                reference=c.reference,
                received_on=c.received_on,
                channel=str(channel_labels[c.channel]),
                from_label=c.from_label,
                village=c.region.name,
                township=c.region.parent.name if c.region.parent_id else "",
                election=Body(c.election.body).label if c.election_id else "",
                category=str(category_labels[c.category]),
                summary=c.summary,
                is_serious=c.is_serious,
                assigned_to=c.assigned_to,
                due_on=c.due_on,
                answered_on=c.answered_on,
                outcome=c.get_outcome_display(),
                days_late=c.days_late(today),
                url=c.get_absolute_url(),
            )
        )
    if with_objections:
        for o in objections:
            end = o.decided_on or today
            entries.append(
                RegisterEntry(
                    is_objection=True,
                    reference=_("Objection %(n)s") % {"n": o.pk},
                    received_on=o.filed_on,
                    channel=_("Objection to the voter roll"),
                    from_label=o.filed_by,
                    village=o.region.name,
                    township=o.region.parent.name if o.region.parent_id else "",
                    election=Body(o.election.body).label,
                    category=o.get_kind_display(),
                    summary=o.grounds,
                    is_serious=False,
                    assigned_to=_("Village election committee"),
                    due_on=o.due_on,
                    answered_on=o.decided_on,
                    outcome=o.get_decision_display(),
                    days_late=max(0, (end - o.due_on).days),
                    url=reverse("objection_detail", args=[o.pk]),
                )
            )
    if status == "late":
        entries = [e for e in entries if e.is_late]
    entries.sort(key=lambda e: (e.received_on, e.reference), reverse=True)
    return entries


def complaint_counts(entries: list[RegisterEntry]) -> dict[str, int]:
    complaints = [e for e in entries if not e.is_objection]
    return {
        "complaints": len(complaints),
        "open": sum(1 for e in complaints if e.is_open),
        "late": sum(1 for e in complaints if e.is_late),
        "serious_open": sum(1 for e in complaints if e.is_serious and e.is_open),
        "objections": len(entries) - len(complaints),
    }


# --- Visits ------------------------------------------------------------------------------------------


@dataclass
class Coverage:
    villages: int
    visited: int

    @property
    def percent(self) -> float | None:
        return round(self.visited * 100 / self.villages, 1) if self.villages else None


def visit_coverage(user, cycle: Cycle, *, area_code: str = "") -> Coverage:
    """Villages visited by a supervision group / villages with an election in the cycle."""
    elections = Election.objects.visible_to(user).filter(cycle=cycle)
    visits = SupervisionVisit.objects.visible_to(user).filter(cycle=cycle)
    if area_code:
        elections, visits = elections.in_area(area_code), visits.in_area(area_code)
    return Coverage(
        villages=elections.values("region_id").distinct().count(),
        visited=visits.values("region_id").distinct().count(),
    )
