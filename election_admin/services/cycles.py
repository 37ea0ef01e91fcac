"""Cycle services: open a cycle (换届) over an area and create one election per village and body."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record

from .. import legal_calendar as cal
from ..choices import ROLE_RANK, RegionKind, RegionLevel, Role
from ..choices_cycles import BODIES_WITH_WOMEN_POST, OPTIONAL_BODIES, Body, CycleStatus
from ..models import Cycle, Election, Region, RuleSet
from ..scoping import region_in_area
from . import jobs as job_services
from .progress import progress_add_many, progress_cycle_closed, progress_snapshot

# Above this many elections a cycle is created by a Celery task with a progress bar.
SYNC_ELECTION_LIMIT = 2000
# Village-level units per batch (one transaction each) when creating elections.
BATCH_UNITS = 2000

CYCLE_OPENER_ROLES = frozenset(
    {Role.COUNTY_BUREAU, Role.CITY_BUREAU, Role.PROVINCE_BUREAU, Role.SYSTEM_ADMIN}
)


def cycle_may_open(user) -> bool:
    """County, city and province bureaus (and system administrators) open cycles for their own area."""
    return user.is_authenticated and user.role in CYCLE_OPENER_ROLES


def elections_may_edit(user) -> bool:
    """Township staff and above set election days, seats and risk classes within their area (joint-review
    department staff do not)."""
    return (
        user.is_authenticated
        and user.role != Role.DEPARTMENT_REVIEWER
        and ROLE_RANK.get(Role(user.role), 0) >= ROLE_RANK[Role.TOWNSHIP_STAFF]
    )


def main_body_for(kind: str) -> str | None:
    if kind == RegionKind.VILLAGE:
        return Body.VILLAGERS_COMMITTEE
    if kind == RegionKind.COMMUNITY:
        return Body.RESIDENTS_COMMITTEE
    return None  # other village-level units (codes 400+) have no committee election


def default_seats(body: str, rule_set: RuleSet) -> dict[str, int]:
    """Seats an election starts with: five (or the body's minimum/maximum if five is outside its range),
    one chair, one vice-chair from four seats up, and a women's post where the rule set has one."""
    low, high = rule_set.size_range(body)
    total = low if body == Body.SUPERVISION_COMMITTEE else min(max(5, low), high)
    vice = 1 if total >= 4 else 0
    women = 1 if (rule_set.has_women_post and body in BODIES_WITH_WOMEN_POST) else 0
    return {
        "seats_chair": 1,
        "seats_vice_chair": vice,
        "seats_member": total - 1 - vice - women,
        "seats_women_member": women,
    }


def cycle_bodies(optional_bodies: list[str]) -> list[str]:
    unknown = set(optional_bodies) - set(OPTIONAL_BODIES)
    if unknown:
        raise ValidationError({"bodies": _("Unknown body.")})
    return [Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE] + [
        b for b in OPTIONAL_BODIES if b in optional_bodies
    ]


def _units(region: Region):
    return Region.objects.filter(
        level=RegionLevel.VILLAGE_LEVEL,
        code__startswith=region.code,
        kind__in=[RegionKind.VILLAGE, RegionKind.COMMUNITY],
    )


def _planned_election_count(region: Region, bodies: list[str]) -> int:
    by_kind = dict(_units(region).values("kind").annotate(n=Count("code")).values_list("kind", "n"))
    per_unit_extra = len([b for b in bodies if b in OPTIONAL_BODIES])
    villages, communities = by_kind.get(RegionKind.VILLAGE, 0), by_kind.get(RegionKind.COMMUNITY, 0)
    return (villages + communities) * (1 + per_unit_extra)


def _snapshot(cycle: Cycle) -> dict:
    return {
        "name": cycle.name,
        "region": cycle.region_id,
        "rule_set": cycle.rule_set_id,
        "rule_set_name": str(cycle.rule_set),
        "term_start": cycle.term_start,
        "term_years": cycle.term_years,
        "window_start": cycle.window_start,
        "window_end": cycle.window_end,
        "bodies": cycle.bodies,
        "status": cycle.status,
        "election_count": cycle.election_count,
    }


@transaction.atomic
def cycle_open(
    *,
    actor,
    region: Region,
    name: str,
    rule_set: RuleSet,
    term_start: date,
    window_start: date,
    window_end: date,
    optional_bodies: list[str],
) -> Cycle:
    """Open a cycle (开启换届) over a county, city or province and create its elections in one action.

    Small areas are created at once; above ``SYNC_ELECTION_LIMIT`` elections a Celery task creates them
    in batches and the cycle stays "creating" until it is done (progress on the job page)."""
    if not cycle_may_open(actor):
        raise PermissionDenied(_("Only county, city and province bureaus open election cycles."))
    if not region_in_area(region.code, actor.area_code):
        raise ValidationError({"region": _("This region does not exist or is outside your area.")})
    if region.level not in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY):
        raise ValidationError({"region": _("A cycle covers a county, a city or a province.")})
    if rule_set.province_code not in ("", region.code[:2]):
        raise ValidationError({"rule_set": _("This rule set belongs to another province.")})
    if rule_set.is_national and RuleSet.objects.filter(province_code=region.code[:2]).exists():
        raise ValidationError(
            {"rule_set": _("This province has its own rule set; choose one of its versions.")}
        )
    if window_start > window_end:
        raise ValidationError({"window_end": _("The window must end on or after its first day.")})
    if window_end - window_start > timedelta(days=366):
        raise ValidationError({"window_end": _("The window of election days may not exceed one year.")})
    if term_start < window_start:
        raise ValidationError({"term_start": _("The new term cannot start before the first election day.")})
    bodies = cycle_bodies(optional_bodies)

    # Serialise cycle openings within a province (every overlapping area shares the province row), then
    # refuse a second cycle for the same village and body with an overlapping window.
    list(Region.objects.select_for_update().filter(code=region.code[:2]))
    clash = (
        Election.objects.filter(
            region__code__startswith=region.code,
            body__in=bodies,
            cycle__window_start__lte=window_end,
            cycle__window_end__gte=window_start,
        )
        .select_related("cycle")
        .first()
    )
    if clash is None:
        clash_cycle = Cycle.objects.filter(
            region__code__startswith=region.code[:2],
            status=CycleStatus.CREATING,
            window_start__lte=window_end,
            window_end__gte=window_start,
        ).first()
        if clash_cycle and (
            clash_cycle.region_id.startswith(region.code) or region.code.startswith(clash_cycle.region_id)
        ):
            clash = Election(cycle=clash_cycle)
    if clash is not None:
        raise ValidationError(
            _("The cycle “%(name)s” already covers villages of this area in an overlapping window.")
            % {"name": clash.cycle.name}
        )

    planned = _planned_election_count(region, bodies)
    if planned == 0:
        raise ValidationError({"region": _("There are no villages or communities in this area.")})
    cycle = Cycle(
        name=name,
        region=region,
        rule_set=rule_set,
        term_start=term_start,
        term_years=rule_set.term_years,
        window_start=window_start,
        window_end=window_end,
        bodies=bodies,
        status=CycleStatus.OPEN if planned <= SYNC_ELECTION_LIMIT else CycleStatus.CREATING,
        created_by=actor,
    )
    cycle.full_clean()
    cycle.save()
    audit_record(
        actor=actor,
        event_type="cycle.opened",
        region_code=region.code,
        obj=cycle,
        after={**_snapshot(cycle), "planned_elections": planned},
    )

    if planned <= SYNC_ELECTION_LIMIT:
        created = _populate_units(cycle, list(_units(region).order_by("code").values_list("code", "kind")))
        Cycle.objects.filter(pk=cycle.pk).update(election_count=created)
        cycle.election_count = created
        return cycle

    job = job_services.job_create(
        actor=actor,
        kind="cycle_populate",
        region=region,
        total=planned,
        params={"cycle_id": cycle.pk},
    )
    Cycle.objects.filter(pk=cycle.pk).update(job=job)
    cycle.job = job
    from ..health import task_enqueue
    from ..tasks import cycle_populate_task

    transaction.on_commit(lambda: task_enqueue(cycle_populate_task, job.pk, job_id=job.pk))
    return cycle


def _populate_units(cycle: Cycle, units: list[tuple[str, str]]) -> int:
    """Create the missing elections of ``units`` (code, kind) in this cycle; returns how many were created.
    Safe to run twice: elections already there are skipped."""
    existing = set(
        Election.objects.filter(cycle=cycle, region_id__in=[code for code, _kind in units]).values_list(
            "region_id", "body"
        )
    )
    rule_set = cycle.rule_set
    seats = {body: default_seats(body, rule_set) for body in Body.values}
    new = []
    for code, kind in units:
        main = main_body_for(kind)
        if main is None:
            continue
        for body in [main] + [b for b in cycle.bodies if b in OPTIONAL_BODIES]:
            if (code, body) not in existing:
                new.append(Election(cycle=cycle, region_id=code, body=body, **seats[body]))
    Election.objects.bulk_create(new, batch_size=1000)
    progress_add_many(progress_snapshot(e) for e in new)
    return len(new)


def cycle_populate(*, job_id: int) -> int:
    """Create a large cycle's elections in batches of village-level units, one transaction per batch
    (the job's progress commits with each batch). Idempotent: a re-delivered task skips what exists."""
    job = job_services.Job.objects.get(pk=job_id)
    cycle = Cycle.objects.select_related("rule_set", "region", "created_by").get(pk=job.params["cycle_id"])
    if cycle.status != CycleStatus.CREATING:
        return 0
    units = list(_units(cycle.region).order_by("code").values_list("code", "kind"))
    created_total = 0
    for start in range(0, len(units), BATCH_UNITS):
        batch = units[start : start + BATCH_UNITS]
        with transaction.atomic():
            Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
            created = _populate_units(cycle, batch)
            created_total += created
            elections_in_batch = sum(
                1 + len([b for b in cycle.bodies if b in OPTIONAL_BODIES])
                for c, k in batch
                if main_body_for(k)
            )
            job_services.job_progress(job_id=job_id, processed_increment=elections_in_batch)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        cycle.election_count = Election.objects.filter(cycle=cycle).count()
        cycle.status = CycleStatus.OPEN
        cycle.save(update_fields=["election_count", "status"])
        audit_record(
            actor=cycle.created_by,
            event_type="cycle.populated",
            region_code=cycle.region_id,
            obj=cycle,
            after={"election_count": cycle.election_count, "created_now": created_total},
        )
    job_services.job_succeeded(
        job_id=job_id,
        result_url=reverse("cycle_detail", args=[cycle.pk]),
        message=_("%(count)s elections created.") % {"count": cycle.election_count},
    )
    return created_total


def cycle_may_close(user, cycle: Cycle) -> bool:
    """The bureau over the cycle's area (or above) closes it, as it opened it."""
    return cycle_may_open(user) and region_in_area(cycle.region_id, user.area_code)


def cycle_unfinished(cycle: Cycle) -> int:
    """Elections of the cycle not complete yet (results not certified, committee not handed over)."""
    return Election.objects.filter(cycle=cycle).exclude(stage__in=cal.COMPLETE_STAGES).count()


@transaction.atomic
def cycle_close(*, actor, cycle: Cycle, reason: str = "") -> Cycle:
    """结束换届 — close a cycle: its elections leave the progress dashboards (the statistics, the returns
    and the comparison with the next term keep them). With elections not complete, only with a recorded
    reason (e.g. a village whose election failed twice is left to the next round's special handling)."""
    found = Cycle.objects.visible_to(actor).select_for_update().filter(pk=cycle.pk).first()
    if found is None:
        raise PermissionDenied(_("This cycle is outside your area."))
    if not cycle_may_close(actor, found):
        raise PermissionDenied(_("The bureau that covers the whole cycle closes it."))
    if found.status != CycleStatus.OPEN:
        raise ValidationError(_("Only an open cycle can be closed."))
    unfinished = cycle_unfinished(found)
    reason = reason.strip()
    if unfinished and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "%(count)s elections of this cycle are not complete: record why the cycle closes anyway."
                )
                % {"count": unfinished}
            }
        )
    before = _snapshot(found)
    found.status = CycleStatus.CLOSED
    found.save(update_fields=["status"])
    progress_cycle_closed(found)
    audit_record(
        actor=actor,
        event_type="cycle.closed",
        region_code=found.region_id,
        obj=found,
        before=before,
        after={**_snapshot(found), "unfinished": unfinished, "reason": reason},
    )
    return found
