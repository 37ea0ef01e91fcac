"""Scoped reads of voter rolls: the roll page, its counts, and overdue objections for the dashboards."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from .choices import VoterStatus
from .models import Objection, Voter
from .services.rolls import RollRef


def roll_voters(user, ref: RollRef, *, q: str = "", status: str = "", group: str = "", category: str = ""):
    """The voters of a roll the user may see, searched and filtered (by name, last 4 of the ID, group)."""
    voters = Voter.objects.visible_to(user).filter(**ref.filter_kwargs())
    q = q.strip()
    if q:
        condition = Q(name__icontains=q) | Q(group=q)
        if len(q) == 4 and (q[:3].isdigit() and (q[3].isdigit() or q[3] in "xX")):
            condition |= Q(id_masked__endswith=q.upper())
        voters = voters.filter(condition)
    if status:
        voters = voters.filter(status=status)
    if group:
        voters = voters.filter(group=group)
    if category:
        voters = voters.filter(category=category)
    return voters.order_by("group", "name", "id")


def roll_counts(user, ref: RollRef) -> dict:
    """Counts for the head of the roll page: on the roll, struck off, by group, by category."""
    voters = Voter.objects.visible_to(user).filter(**ref.filter_kwargs())
    totals = voters.aggregate(
        active=Count("id", filter=~Q(status=VoterStatus.STRUCK)),
        struck=Count("id", filter=Q(status=VoterStatus.STRUCK)),
        men=Count("id", filter=~Q(status=VoterStatus.STRUCK) & Q(gender="male")),
        women=Count("id", filter=~Q(status=VoterStatus.STRUCK) & Q(gender="female")),
    )
    groups = list(
        voters.active()
        .values("group")
        .annotate(count=Count("id"))
        .order_by("group")
        .values_list("group", "count")
    )
    return {**totals, "groups": groups}


def roll_groups(user, ref: RollRef) -> list[str]:
    return list(
        Voter.objects.visible_to(user)
        .filter(**ref.filter_kwargs())
        .values_list("group", flat=True)
        .distinct()
        .order_by("group")
    )


def overdue_objection_counts(user, today: date, *, area_code: str | None = None) -> dict[str, int]:
    """Region code → number of objections not decided although due — what the dashboards flag."""
    objections = Objection.objects.visible_to(user).overdue(today)
    if area_code:
        objections = objections.in_area(area_code)
    return dict(objections.values("region_id").annotate(count=Count("id")).values_list("region_id", "count"))


def overdue_objection_total(user, today: date, *, area_code: str | None = None) -> int:
    objections = Objection.objects.visible_to(user).overdue(today)
    if area_code:
        objections = objections.in_area(area_code)
    return objections.count()
