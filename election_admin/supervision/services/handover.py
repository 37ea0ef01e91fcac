"""Handover and departure (工作移交): the outgoing committee's departure audit, the handover of seal,
accounts, files and assets to the new committee within the deadline, and departure certificates."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin import legal_calendar as cal
from election_admin.choices import Role
from election_admin.choices_cycles import Stage
from election_admin.models import DocumentKind, Election
from election_admin.services.documents import document_store
from election_admin.services.stages import election_stage_advance

from ..choices import HandoverItem
from ..models import Handover, OutgoingMember
from ..models.handover import ITEM_FIELDS

# Township staff and county bureaus record handovers (completing one moves the election's stage).
HANDOVER_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})


def may_record_handover(user) -> bool:
    return bool(user and user.is_authenticated and user.role in HANDOVER_ROLES)


def _require(actor) -> None:
    if not may_record_handover(actor):
        raise PermissionDenied(_("Township staff and county bureaus record the handover."))


def _lock_election(actor, election: Election) -> Election:
    locked = (
        Election.objects.visible_to(actor)
        .select_related("cycle__rule_set", "region")
        .select_for_update(of=("self",))
        .filter(pk=election.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This election does not exist or is outside your area."))
    return locked


def handover_for(election: Election) -> Handover | None:
    return Handover.objects.filter(election=election).select_related("election__cycle__rule_set").first()


@transaction.atomic
def handover_record(
    *,
    actor,
    election: Election,
    audit_done_on: date | None = None,
    audit_published_on: date | None = None,
    audit_result: str = "",
    seal_on: date | None = None,
    accounts_on: date | None = None,
    files_on: date | None = None,
    assets_on: date | None = None,
    notes: str = "",
    late_reason: str = "",
    today: date | None = None,
) -> Handover:
    """离任审计与工作移交 — record the departure audit and the dates seal, accounts, files and assets were
    handed over. Items are handed to the new committee, so they come on or after the results. When all four
    are in, the election moves to "handed over" on the last item's date; a handover past its deadline (or a
    seal later than the results day where the rule set says ``seal_same_day``) needs the reason."""
    _require(actor)
    today = today or timezone.localdate()
    election = _lock_election(actor, election)
    handover = Handover.objects.select_for_update().filter(election=election).first()
    before = (
        {f: getattr(handover, f) for f in ("audit_done_on", "audit_published_on", *ITEM_FIELDS.values())}
        if handover
        else None
    )
    if handover is None:
        handover = Handover(election=election, updated_by=actor)
    handover.election = election
    values = {
        "audit_done_on": audit_done_on,
        "audit_published_on": audit_published_on,
        "seal_on": seal_on,
        "accounts_on": accounts_on,
        "files_on": files_on,
        "assets_on": assets_on,
    }
    errors: dict[str, str] = {}
    for field, value in values.items():
        if value is not None and value > today:
            errors[field] = _("This date cannot be in the future.")
    if audit_published_on is not None and (audit_done_on is None or audit_published_on < audit_done_on):
        errors["audit_published_on"] = _("The audit result is published after the audit is done.")
    items_given = [field for field in ITEM_FIELDS.values() if values[field] is not None]
    if items_given and election.results_on is None:
        for field in items_given:
            errors[field] = _("The handover is to the new committee: record the results first.")
    elif election.results_on is not None:
        for field in items_given:
            if values[field] < election.results_on:
                errors[field] = _("The new committee was elected on %(day)s; the handover comes after.") % {
                    "day": election.results_on.isoformat()
                }
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(handover, field, value)
    handover.audit_result = audit_result.strip()[:300]
    handover.notes = notes.strip()[:300]
    handover.updated_by = actor
    late_days = handover.days_late(today) if handover.completed_on else 0
    late_items = [
        item for item in ITEM_FIELDS if handover.item_dates()[item] and handover.item_days_late(item, today)
    ]
    if late_items and not late_reason.strip() and not handover.late_reason:
        raise ValidationError(
            {
                "late_reason": _("Handed over late (%(items)s): record the reason.")
                % {"items": "、".join(str(HandoverItem(item).label) for item in late_items)}
            }
        )
    if late_reason.strip():
        handover.late_reason = late_reason.strip()[:300]
    handover.full_clean()
    handover.save()
    audit_record(
        actor=actor,
        event_type="handover.recorded",
        region_code=election.region_id,
        obj=handover,
        before=before,
        after={**values, "late_days": late_days, "late_reason": handover.late_reason},
    )
    completed_on = handover.completed_on
    if completed_on is not None and election.stage == Stage.RESULTS_CERTIFIED:
        certified_on = election.reached_dates().get(cal.RESULTS_CERTIFIED)
        on = max(completed_on, certified_on) if certified_on else completed_on
        election_stage_advance(
            actor=actor,
            election=election,
            to_stage=Stage.HANDED_OVER,
            exception_reason=handover.late_reason or None,
            today=on,
        )
    return handover


@transaction.atomic
def outgoing_members_set(
    *, actor, election: Election, members: list[tuple[str, str]]
) -> list[OutgoingMember]:
    """离任成员 — the members of the outgoing committee (name, post held), for their departure certificates.
    Replaces the list; a member whose certificate was already issued stays."""
    _require(actor)
    election = _lock_election(actor, election)
    handover = Handover.objects.select_for_update().filter(election=election).first()
    if handover is None:
        handover = Handover(election=election, updated_by=actor)
        handover.full_clean()
        handover.save()
    cleaned: dict[str, str] = {}
    for number, (name, post) in enumerate(members, start=1):
        name, post = name.strip(), post.strip()
        if not name and not post:
            continue
        if not name or not post:
            raise ValidationError(_("Line %(n)s: enter both the name and the post held.") % {"n": number})
        if len(name) > 30 or len(post) > 30:
            raise ValidationError(_("Line %(n)s: at most 30 characters each.") % {"n": number})
        cleaned[name] = post
    current = {m.name: m for m in handover.outgoing_members.select_for_update()}
    for name, member in current.items():
        if name not in cleaned:
            if member.certificate_id:
                raise ValidationError(
                    _("%(name)s already has a departure certificate and stays on the list.") % {"name": name}
                )
            member.delete()
    for name, post in cleaned.items():
        member = current.get(name)
        if member is None:
            member = OutgoingMember(handover=handover, name=name, post=post)
        elif member.post != post:
            if member.certificate_id:
                raise ValidationError(
                    _("%(name)s already has a departure certificate; the post cannot change.")
                    % {"name": name}
                )
            member.post = post
        member.full_clean()
        member.save()
    audit_record(
        actor=actor,
        event_type="handover.outgoing_members_set",
        region_code=election.region_id,
        obj=handover,
        before={"members": sorted(current)},
        after={"members": cleaned},
    )
    return list(handover.outgoing_members.all())


def _certificate_version(member: OutgoingMember, handover: Handover) -> str:
    data = [member.name, member.post, str(handover.audit_published_on), str(handover.completed_on)]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:32]


@transaction.atomic
def departure_certificates_make(
    *, actor, election: Election, today: date | None = None
) -> list[OutgoingMember]:
    """离任证书 — one certificate (PDF, stored as evidence) per outgoing member, once the departure audit is
    published and the handover complete. Making them again returns the same documents."""
    from ..pdf import departure_certificate_pdf

    _require(actor)
    today = today or timezone.localdate()
    election = _lock_election(actor, election)
    handover = Handover.objects.filter(election=election).first()
    if handover is None or handover.audit_published_on is None:
        raise ValidationError(_("Departure certificates follow the published departure audit."))
    if handover.completed_on is None:
        raise ValidationError(_("Departure certificates follow the complete handover."))
    members = list(handover.outgoing_members.select_for_update())
    if not members:
        raise ValidationError(_("Enter the outgoing members first."))
    for member in members:
        content, font_warning = departure_certificate_pdf(
            election=election, handover=handover, member=member, on=today
        )
        document = document_store(
            actor=actor,
            kind=DocumentKind.DEPARTURE_CERTIFICATE,
            region=election.region,
            title=f"{election.region.name} {member.name} 离任证书",
            content=content,
            filename=f"departure-certificate-{election.pk}-{member.pk}.pdf",
            content_type="application/pdf",
            subject=member,
            data_version=_certificate_version(member, handover),
            font_warning=font_warning,
        )
        if member.certificate_id != document.pk:
            member.certificate = document
            member.save(update_fields=["certificate"])
    return members
