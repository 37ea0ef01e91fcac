"""Carrying over last cycle's roll (结转上届选民名单): keep the living and present, leave out the dead and
moved (注销) with a reason; new adults are then added by entry or import (补充登记)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.models import Cycle, Election

from ..choices import VoterStatus
from ..idnumber import age_on
from ..models import Voter
from .imports import active_hashes_in_cycle
from .registration import VOTING_AGE
from .rolls import (
    RollRef,
    lock_election,
    require_election_day,
    require_roll_editor,
    roll_for_election,
    roll_is_published,
)


@dataclass
class CarryOver:
    previous_cycle: Cycle | None
    voters: list[Voter]  # on the previous roll, not yet registered in this cycle
    already_registered: int


def carry_over_preview(*, user, election: Election) -> CarryOver:
    """Who the last cycle's roll of this village would bring over."""
    ref = roll_for_election(election)
    previous = (
        Voter.objects.visible_to(user)
        .filter(region_id=ref.region_id, roll=ref.roll)
        .exclude(cycle_id=ref.cycle_id)
        .exclude(status=VoterStatus.STRUCK)
        .values_list("cycle_id", flat=True)
        .order_by("-cycle__window_start")
        .first()
    )
    if previous is None:
        return CarryOver(previous_cycle=None, voters=[], already_registered=0)
    voters = list(
        Voter.objects.visible_to(user)
        .filter(cycle_id=previous, region_id=ref.region_id, roll=ref.roll)
        .active()
        .order_by("group", "name", "id")
    )
    here = active_hashes_in_cycle(ref, [v.id_hash for v in voters])
    return CarryOver(
        previous_cycle=Cycle.objects.get(pk=previous),
        voters=[v for v in voters if v.id_hash not in here],
        already_registered=sum(1 for v in voters if v.id_hash in here),
    )


def _copy(ref: RollRef, voter: Voter, now) -> Voter:
    return Voter(
        **ref.filter_kwargs(),
        name=voter.name,
        gender=voter.gender,
        ethnicity=voter.ethnicity,
        birth_date=voter.birth_date,
        group=voter.group,
        address=voter.address,
        category=voter.category,
        approval_reference=voter.approval_reference,
        notes="",
        id_hash=voter.id_hash,
        id_masked=voter.id_masked,
        id_encrypted=voter.id_encrypted,
        phone_masked=voter.phone_masked,
        phone_encrypted=voter.phone_encrypted,
        source="carry_over",
        created_at=now,
        updated_at=now,
    )


@transaction.atomic
def roll_carry_over(*, actor, election: Election, leave_out: dict[int, str]) -> int:
    """结转 — register everyone on last cycle's roll except those left out (each with its reason: died,
    moved away…). Answers how many were carried over."""
    require_roll_editor(actor)
    election = lock_election(actor, election.pk)
    ref = roll_for_election(election)
    election_day = require_election_day(ref)
    if roll_is_published(ref):
        raise ValidationError(_("The roll has been published; carry over before publishing."))
    missing_reason = [pk for pk, reason in leave_out.items() if not reason.strip()]
    if missing_reason:
        raise ValidationError(_("Give the reason for every voter left out (died, moved away…)."))
    preview = carry_over_preview(user=actor, election=election)
    if preview.previous_cycle is None:
        raise ValidationError(_("There is no earlier roll of this village to carry over."))
    now = timezone.now()
    kept = [
        _copy(ref, v, now)
        for v in preview.voters
        if v.pk not in leave_out and age_on(v.birth_date, election_day) >= VOTING_AGE
    ]
    Voter.objects.bulk_create(kept, batch_size=2000)
    reasons: dict[str, int] = {}
    for reason in leave_out.values():
        reasons[reason.strip()] = reasons.get(reason.strip(), 0) + 1
    audit_record(
        actor=actor,
        event_type="roll.carried_over",
        region_code=election.region_id,
        obj=election,
        after={
            "from_cycle": preview.previous_cycle.pk,
            "carried_over": len(kept),
            "left_out": len(leave_out),
            "left_out_reasons": reasons,
            "already_registered": preview.already_registered,
        },
    )
    return len(kept)
