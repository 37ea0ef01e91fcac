"""Complaints and petitions (信访/举报) of a round: received, assigned, answered — late answers stay late."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices import RegionLevel
from election_admin.models import Cycle, Election, Region

from ..choices import (
    COMPLAINT_ANSWER_DAYS_BOUNDS,
    DEFAULT_COMPLAINT_ANSWER_DAYS,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintOutcome,
)
from ..models import Complaint, SupervisionSettings
from .common import clean_phone, region_in_cycle, require_cycle_rules_editor, require_supervisor


def complaint_answer_days(cycle: Cycle) -> int:
    """The cycle's answer time for complaints (15 days unless the county set another)."""
    settings = SupervisionSettings.objects.filter(cycle=cycle).first()
    return settings.complaint_answer_days if settings else DEFAULT_COMPLAINT_ANSWER_DAYS


@transaction.atomic
def supervision_settings_set(*, actor, cycle: Cycle, complaint_answer_days: int) -> SupervisionSettings:
    """Set how many days a complaint may wait for its answer in this cycle (applies to complaints received
    from now on; those already received keep their date)."""
    require_cycle_rules_editor(actor, cycle)
    low, high = COMPLAINT_ANSWER_DAYS_BOUNDS
    if not low <= complaint_answer_days <= high:
        raise ValidationError(
            {"complaint_answer_days": _("Between %(low)s and %(high)s days.") % {"low": low, "high": high}}
        )
    settings = SupervisionSettings.objects.select_for_update().filter(cycle=cycle).first()
    before = settings.complaint_answer_days if settings else DEFAULT_COMPLAINT_ANSWER_DAYS
    if settings is None:
        settings = SupervisionSettings(cycle=cycle, updated_by=actor)
    settings.complaint_answer_days, settings.updated_by = complaint_answer_days, actor
    settings.full_clean()
    settings.save()
    audit_record(
        actor=actor,
        event_type="supervision.settings_changed",
        region_code=cycle.region_id,
        obj=settings,
        before={"complaint_answer_days": before},
        after={"complaint_answer_days": complaint_answer_days},
    )
    return settings


def _next_number(cycle: Cycle) -> int:
    return (Complaint.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def complaint_receive(
    *,
    actor,
    cycle: Cycle,
    region: Region,
    received_on: date,
    channel: str,
    category: str,
    summary: str,
    complainant: str = "",
    complainant_phone: str = "",
    election: Election | None = None,
    is_serious: bool = False,
    today: date | None = None,
) -> Complaint:
    """信访登记 — register a complaint about a village (and, when known, one of its elections). Leave the
    complainant blank for an anonymous one. It is due the cycle's answer time after receipt."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    region = Region.objects.visible_to(actor).filter(code=region.code).first()
    if region is None or region.level != RegionLevel.VILLAGE_LEVEL or not region_in_cycle(region, cycle):
        raise ValidationError({"region": _("Choose a village or community of this cycle in your area.")})
    if election is not None and (
        election.cycle_id != cycle.pk
        or election.region_id != region.code
        or not Election.objects.visible_to(actor).filter(pk=election.pk).exists()
    ):
        errors["election"] = _("The election must be one of this village in this cycle.")
    if received_on > today:
        errors["received_on"] = _("The date received cannot be in the future.")
    if channel not in ComplaintChannel.values:
        errors["channel"] = _("Choose how the complaint arrived.")
    if category not in ComplaintCategory.values:
        errors["category"] = _("Choose what the complaint is about.")
    if not summary.strip():
        errors["summary"] = _("Write down what the complaint says.")
    complainant = complainant.strip()
    try:
        phone = clean_phone(complainant_phone, required=False)
    except ValidationError as error:
        errors["complainant_phone"] = error.messages[0]
        phone = ""
    if phone and not complainant:
        errors["complainant"] = _("A phone number without a name: enter the name, or leave both blank.")
    if errors:
        raise ValidationError(errors)
    days = complaint_answer_days(cycle)
    complaint = Complaint(
        cycle=cycle,
        number=_next_number(cycle),
        region=region,
        election=election,
        received_on=received_on,
        channel=channel,
        is_anonymous=not complainant,
        complainant=complainant,
        complainant_phone=phone,
        category=category,
        summary=summary.strip(),
        is_serious=is_serious,
        due_on=received_on + timedelta(days=days),
        recorded_by=actor,
    )
    complaint.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError as error:  # two clerks registered at the same moment: the number was taken
        raise ValidationError(
            _("Another complaint was registered at the same moment; save again.")
        ) from error
    audit_record(
        actor=actor,
        event_type="complaint.received",
        region_code=region.code,
        obj=complaint,
        after={
            "reference": complaint.reference,
            "channel": channel,
            "category": category,
            "anonymous": complaint.is_anonymous,
            "serious": is_serious,
            "election": election.pk if election else None,
            "due_on": complaint.due_on,
        },
    )
    return complaint


def _lock(actor, complaint: Complaint) -> Complaint:
    locked = Complaint.objects.visible_to(actor).select_for_update().filter(pk=complaint.pk).first()
    if locked is None:
        raise ValidationError(_("This complaint does not exist or is outside your area."))
    return locked


@transaction.atomic
def complaint_assign(
    *, actor, complaint: Complaint, assigned_to: str, assigned_on: date, today: date | None = None
) -> Complaint:
    """交办 — name who handles the complaint (a leader, a department, the township) and when it was handed on."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    complaint = _lock(actor, complaint)
    if not complaint.is_open:
        raise ValidationError(_("This complaint is already answered."))
    if not assigned_to.strip():
        raise ValidationError({"assigned_to": _("Name who handles the complaint.")})
    if not complaint.received_on <= assigned_on <= today:
        raise ValidationError({"assigned_on": _("The date lies between receipt and today.")})
    before = {"assigned_to": complaint.assigned_to, "assigned_on": complaint.assigned_on}
    complaint.assigned_to, complaint.assigned_on = assigned_to.strip()[:100], assigned_on
    complaint.full_clean(validate_unique=False)
    complaint.save(update_fields=["assigned_to", "assigned_on"])
    audit_record(
        actor=actor,
        event_type="complaint.assigned",
        region_code=complaint.region_id,
        obj=complaint,
        before=before,
        after={"assigned_to": complaint.assigned_to, "assigned_on": assigned_on},
    )
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    actor,
    complaint: Complaint,
    answered_on: date,
    outcome: str,
    answer: str,
    today: date | None = None,
) -> Complaint:
    """答复办结 — record the answer and its outcome. An answer after the due date is accepted and stays
    marked late by the number of days."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    complaint = _lock(actor, complaint)
    if not complaint.is_open:
        raise ValidationError(_("This complaint is already answered."))
    errors = {}
    if not complaint.received_on <= answered_on <= today:
        errors["answered_on"] = _("The date lies between receipt and today.")
    if outcome not in ComplaintOutcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not answer.strip():
        errors["answer"] = _("Write down the answer given.")
    if errors:
        raise ValidationError(errors)
    complaint.answered_on, complaint.outcome, complaint.answer = answered_on, outcome, answer.strip()
    complaint.full_clean(validate_unique=False)
    complaint.save(update_fields=["answered_on", "outcome", "answer"])
    audit_record(
        actor=actor,
        event_type="complaint.answered",
        region_code=complaint.region_id,
        obj=complaint,
        after={
            "answered_on": answered_on,
            "outcome": outcome,
            "due_on": complaint.due_on,
            "days_late": complaint.days_late(answered_on),
        },
    )
    return complaint
