"""Supervision visits (督导检查): record a group's visit to a village and the follow-up it asked for."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices import RegionLevel
from election_admin.models import Cycle, Region

from ..models import SupervisionVisit
from .common import region_in_cycle, require_supervisor


@transaction.atomic
def visit_record(
    *,
    actor,
    cycle: Cycle,
    region: Region,
    visited_on: date,
    group_name: str,
    findings: str,
    members: str = "",
    follow_up: str = "",
    today: date | None = None,
) -> SupervisionVisit:
    """督导检查记录 — a supervision group (督导组) visited a village: date, findings, follow-up required."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    region = Region.objects.visible_to(actor).filter(code=region.code).first()
    if region is None or region.level != RegionLevel.VILLAGE_LEVEL or not region_in_cycle(region, cycle):
        raise ValidationError({"region": _("Choose a village or community of this cycle in your area.")})
    if visited_on > today:
        raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
    if not group_name.strip():
        raise ValidationError({"group_name": _("Name the supervision group.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write down what the group found (even “no problems found”).")})
    visit = SupervisionVisit(
        cycle=cycle,
        region=region,
        visited_on=visited_on,
        group_name=group_name.strip(),
        members=members.strip(),
        findings=findings.strip(),
        follow_up=follow_up.strip(),
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor,
        event_type="supervision.visit_recorded",
        region_code=region.code,
        obj=visit,
        after={"visited_on": visited_on, "group": visit.group_name, "follow_up": bool(visit.follow_up)},
    )
    return visit


@transaction.atomic
def visit_follow_up_done(
    *, actor, visit: SupervisionVisit, done_on: date, today: date | None = None
) -> SupervisionVisit:
    """The follow-up a visit asked for is done (整改完成)."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    visit = SupervisionVisit.objects.visible_to(actor).select_for_update().filter(pk=visit.pk).first()
    if visit is None:
        raise ValidationError(_("This visit does not exist or is outside your area."))
    if not visit.follow_up:
        raise ValidationError(_("This visit asked for no follow-up."))
    if done_on > today or done_on < visit.visited_on:
        raise ValidationError({"done_on": _("The date lies between the visit and today.")})
    visit.follow_up_done_on = done_on
    visit.full_clean()
    visit.save(update_fields=["follow_up_done_on"])
    audit_record(
        actor=actor,
        event_type="supervision.visit_followed_up",
        region_code=visit.region_id,
        obj=visit,
        after={"done_on": done_on},
    )
    return visit
