"""Responsibility assignments (包保责任制): county leaders to townships, township leaders and resident cadres
to villages — one table at a time, all or nothing."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.models import Cycle, Region, User

from ..choices import ASSIGNED_LEVEL, LEADER_UNIT_LENGTH, AssignmentKind
from ..models import Assignment, Leader
from .common import clean_phone, may_assign_county_leaders, may_assign_village_leaders


@dataclass(frozen=True)
class AssignmentRow:
    """One row of an assignment table: a township or village, the kind, and the person (blank: nobody)."""

    region_code: str
    kind: str
    name: str = ""
    title: str = ""
    phone: str = ""


@dataclass(frozen=True)
class BulkResult:
    assigned: int = 0
    removed: int = 0
    unchanged: int = 0


def _row_label(number: int, region: Region | None, code: str) -> str:
    return _("Row %(n)s (%(place)s)") % {"n": number, "place": region.name if region else code}


def _check_permission(actor, kinds: set[str]) -> None:
    if AssignmentKind.COUNTY_LEADER in kinds and not may_assign_county_leaders(actor):
        raise PermissionDenied(_("Only the county bureau assigns county leaders to townships."))
    if kinds - {AssignmentKind.COUNTY_LEADER} and not may_assign_village_leaders(actor):
        raise PermissionDenied(
            _("Township staff and the county bureau assign leaders and resident cadres to villages.")
        )


@transaction.atomic
def assignments_set_bulk(*, actor, cycle: Cycle, rows: list[AssignmentRow]) -> BulkResult:
    """包保责任分工 — save a whole table of assignments at once: every row is checked first and one bad row
    refuses the table, with each error naming its row. A row whose name is cleared removes the assignment.

    A person is recorded once per unit (county or township) by name; the same name in several rows is the
    same person, so the title and phone must agree."""
    _check_permission(actor, {row.kind for row in rows})
    codes = [row.region_code for row in rows]
    regions = Region.objects.visible_to(actor).in_bulk(codes)
    existing = {
        (a.region_id, a.kind): a
        for a in Assignment.objects.select_for_update()
        .filter(cycle=cycle, region_id__in=codes)
        .select_related("leader")
    }
    errors: list[str] = []
    people: dict[tuple[str, str], tuple[str, str]] = {}
    cleaned: list[tuple[AssignmentRow, Region, str]] = []
    for number, row in enumerate(rows, start=1):
        region = regions.get(row.region_code)
        label = _row_label(number, region, row.region_code)
        name, title = row.name.strip(), row.title.strip()
        if row.kind not in AssignmentKind.values:
            errors.append(_("%(row)s: unknown responsibility.") % {"row": label})
            continue
        if region is None or not region.code.startswith(cycle.region_id):
            errors.append(_("%(row)s: not in your area or not in this cycle.") % {"row": label})
            continue
        if region.level != ASSIGNED_LEVEL[AssignmentKind(row.kind)]:
            errors.append(
                _("%(row)s: a %(kind)s is assigned to a %(level)s.")
                % {
                    "row": label,
                    "kind": AssignmentKind(row.kind).label,
                    "level": ASSIGNED_LEVEL[AssignmentKind(row.kind)].label,
                }
            )
            continue
        if not name:
            if title or row.phone.strip():
                errors.append(_("%(row)s: enter the name, or clear the whole row.") % {"row": label})
            else:
                cleaned.append((row, region, ""))
            continue
        if len(name) > 30:
            errors.append(_("%(row)s: the name is longer than 30 characters.") % {"row": label})
            continue
        if not title:
            errors.append(
                _("%(row)s: enter %(name)s's title (e.g. deputy county head).") % {"row": label, "name": name}
            )
            continue
        try:
            phone = clean_phone(row.phone)
        except ValidationError as error:
            errors.append(_("%(row)s: %(message)s") % {"row": label, "message": error.messages[0]})
            continue
        unit = region.code[: LEADER_UNIT_LENGTH[AssignmentKind(row.kind)]]
        seen = people.get((unit, name))
        if seen is not None and seen != (title, phone):
            errors.append(
                _("%(row)s: %(name)s appears twice with a different title or phone.")
                % {"row": label, "name": name}
            )
            continue
        people[(unit, name)] = (title, phone)
        cleaned.append((row, region, phone))
    if errors:
        raise ValidationError(errors)

    units = Region.objects.in_bulk({unit for unit, _name in people})
    leaders = {
        (leader.region_id, leader.name): leader
        for leader in Leader.objects.select_for_update().filter(
            region_id__in=list(units), name__in=[name for _unit, name in people]
        )
    }
    assigned = removed = unchanged = 0
    for row, region, phone in cleaned:
        current = existing.get((region.code, row.kind))
        name = row.name.strip()
        if not name:
            if current is not None:
                audit_record(
                    actor=actor,
                    event_type="supervision.assignment_removed",
                    region_code=region.code,
                    obj=current,
                    before={"kind": row.kind, "leader": current.leader.name},
                )
                current.delete()
                removed += 1
            continue
        unit = region.code[: LEADER_UNIT_LENGTH[AssignmentKind(row.kind)]]
        title = row.title.strip()
        leader = leaders.get((unit, name))
        if leader is None:
            leader = Leader(region=units[unit], name=name, title=title, phone=phone)
            leader.full_clean()
            leader.save()
            leaders[(unit, name)] = leader
        elif (leader.title, leader.phone) != (title, phone):
            leader.title, leader.phone = title, phone
            leader.full_clean()
            leader.save(update_fields=["title", "phone"])
        if current is not None and current.leader_id == leader.pk:
            unchanged += 1
            continue
        before = {"leader": current.leader.name} if current is not None else None
        if current is None:
            current = Assignment(cycle=cycle, region=region, kind=row.kind, leader=leader, assigned_by=actor)
        else:
            current.leader, current.assigned_by = leader, actor
        current.full_clean(validate_unique=False)
        current.save()
        audit_record(
            actor=actor,
            event_type="supervision.assignment_set",
            region_code=region.code,
            obj=current,
            before=before,
            after={"kind": row.kind, "leader": leader.name, "title": leader.title},
        )
        assigned += 1
    return BulkResult(assigned=assigned, removed=removed, unchanged=unchanged)


@transaction.atomic
def leader_link_user(*, actor, leader: Leader, user: User | None) -> Leader:
    """Link a responsible leader to their staff account, so that their own page lists what they answer for."""
    if not may_assign_village_leaders(actor):
        raise PermissionDenied(
            _("Township staff and the county bureau assign leaders and resident cadres to villages.")
        )
    leader = Leader.objects.visible_to(actor).select_for_update().filter(pk=leader.pk).first()
    if leader is None:
        raise ValidationError(_("This person does not exist or is outside your area."))
    if user is not None and not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("This account is outside your area.")})
    before = leader.user.get_username() if leader.user_id else ""
    leader.user = user
    leader.save(update_fields=["user"])
    audit_record(
        actor=actor,
        event_type="supervision.assignment_set",
        region_code=leader.region_id,
        obj=leader,
        before={"account": before},
        after={"account": user.get_username() if user else ""},
    )
    return leader
