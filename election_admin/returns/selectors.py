"""Scoped reads of the returns: which regions report in a cycle, who may submit or review, the state of
the regions below one (who has and has not reported)."""

from dataclasses import dataclass
from datetime import date

from django.db.models.functions import Substr

from election_admin.choices import CODE_LENGTH, LEVEL_BY_LENGTH, RegionLevel
from election_admin.models import Cycle, Election, Region

from .choices import RETURN_LEVELS, RETURN_ROLES, REVIEWER_ROLE, SUBMITTER_ROLE, ReturnStatus
from .models import Return, ReturnDueDate


def may_open_returns(user) -> bool:
    return bool(user and user.is_authenticated and user.role in RETURN_ROLES)


def region_reports_in_cycle(region: Region, cycle: Cycle) -> bool:
    """A township, county or city reports in a cycle when the cycle covers it or lies within it."""
    return region.level in RETURN_LEVELS and (
        region.code.startswith(cycle.region_id) or cycle.region_id.startswith(region.code)
    )


def may_submit(user, region: Region) -> bool:
    """Only the region's own office submits its return: township staff for a township, the county bureau for
    a county, the city bureau for a city."""
    role = SUBMITTER_ROLE.get(RegionLevel(region.level))
    return bool(
        user and user.is_authenticated and role and user.role == role and user.region_id == region.code
    )


def may_review(user, region: Region) -> bool:
    """Only the bureau of the region above reviews a return (a county bureau its townships', …)."""
    if region.parent_id is None:
        return False
    role = REVIEWER_ROLE.get(LEVEL_BY_LENGTH.get(len(region.parent_id)))
    return bool(
        user and user.is_authenticated and role and user.role == role and user.region_id == region.parent_id
    )


def current_return(cycle: Cycle, region: Region) -> Return | None:
    return Return.objects.filter(cycle=cycle, region=region, is_current=True).first()


def reporting_children(cycle: Cycle, region: Region) -> list[Region]:
    """The regions right below ``region`` that report in ``cycle``: those with an election of the cycle under
    them (one grouped query over the cycle's elections in the region). Townships have none (villages do
    not submit returns)."""
    if region.level not in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE):
        return []
    child_length = CODE_LENGTH[RegionLevel(region.level + 1)]
    codes = (
        Election.objects.filter(cycle=cycle, region__code__startswith=region.code)
        .annotate(child=Substr("region_id", 1, child_length))
        .values_list("child", flat=True)
        .distinct()
        .order_by()
    )
    return list(Region.objects.filter(code__in=list(codes)).order_by("code"))


@dataclass
class ChildState:
    """One region below: its current return (None: not reported)."""

    region: Region
    current: Return | None

    @property
    def status(self) -> str:
        return self.current.status if self.current else ""

    @property
    def is_accepted(self) -> bool:
        return self.current is not None and self.current.status == ReturnStatus.ACCEPTED

    @property
    def has_reported(self) -> bool:
        return self.current is not None


def children_states(cycle: Cycle, region: Region) -> list[ChildState]:
    """Each reporting region below ``region`` with its current return (two queries)."""
    children = reporting_children(cycle, region)
    currents = {
        r.region_id: r
        for r in Return.objects.filter(
            cycle=cycle, region_id__in=[c.code for c in children], is_current=True
        ).select_related("submitted_by", "reviewed_by")
    }
    return [ChildState(region=child, current=currents.get(child.code)) for child in children]


def visible_cycles(user):
    """Cycles the user's returns pages list (their own area's, and those covering it), newest first."""
    return Cycle.objects.visible_to(user).select_related("region").order_by("-window_start", "region_id")


def may_set_due_dates(user, cycle: Cycle) -> bool:
    """The bureau of the cycle's own area sets by when each level reports."""
    return bool(
        user
        and user.is_authenticated
        and user.role in REVIEWER_ROLE.values()
        and user.region_id == cycle.region_id
    )


def due_dates(cycle: Cycle) -> dict[int, date]:
    """Level → due date of the returns of that level in ``cycle`` (levels with no date are absent)."""
    return dict(ReturnDueDate.objects.filter(cycle=cycle).values_list("level", "due_on"))


def days_overdue(state: "ChildState", due_on, today) -> int:
    """Days a region below is late: it has no return waiting or accepted and its level's date has passed."""
    if due_on is None or today <= due_on:
        return 0
    if state.current is not None and state.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
        return 0
    return (today - due_on).days
