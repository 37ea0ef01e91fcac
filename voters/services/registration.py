"""Registering voters one by one (选民登记), changing, striking off and restoring them, and the audited reveal.

Every change runs in one transaction with its audit event; audit rows carry the masked ID only.
After publication a change needs ``correction_reason`` (``roll_correct``) and is audited as a correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, audit_record_on_its_own
from election_admin.choices_cycles import Body
from election_admin.models import Election

from ..choices import Category, Gender, RollKind, VoterStatus
from ..ethnicities import official_name
from ..idnumber import IdProblem, ParsedId, add_years, age_on, parse_id
from ..models import Voter
from ..pii import decrypt, encrypt, id_hash, mask_id, mask_phone
from .rolls import (
    MAIN_BODIES,
    RollRef,
    lock_election,
    pii_may_reveal,
    require_election_day,
    require_roll_editor,
    require_unpublished_or_reason,
    roll_for_election,
)

VOTING_AGE = 18
EDITABLE_FIELDS = (
    "name",
    "ethnicity",
    "group",
    "address",
    "phone",
    "category",
    "approval_reference",
    "notes",
    "id_number",
)


def _parse_id_or_error(id_number: str) -> ParsedId:
    parsed = parse_id(id_number or "")
    if isinstance(parsed, IdProblem):
        raise ValidationError({"id_number": parsed.message})
    return parsed


def _check_age(parsed: ParsedId, election_day: date) -> None:
    if age_on(parsed.birth_date, election_day) < VOTING_AGE:
        raise ValidationError(
            {
                "id_number": _(
                    "Under 18 on the election day (%(day)s): turns 18 on %(adult_on)s, so cannot register."
                )
                % {
                    "day": election_day.isoformat(),
                    "adult_on": add_years(parsed.birth_date, VOTING_AGE).isoformat(),
                }
            }
        )


def _check_agreement(parsed: ParsedId, gender: str, birth_date: date | None) -> None:
    errors = {}
    if gender and gender != parsed.gender:
        errors["gender"] = _("The ID number says %(gender)s: check the gender or the ID number.") % {
            "gender": Gender(parsed.gender).label
        }
    if birth_date and birth_date != parsed.birth_date:
        errors["birth_date"] = _(
            "The ID number says born on %(born)s: check the birth date or the ID number."
        ) % {"born": parsed.birth_date.isoformat()}
    if errors:
        raise ValidationError(errors)


def _check_fields(*, name: str, ethnicity: str, category: str, approval_reference: str) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter the name.")
    if ethnicity and official_name(ethnicity) != ethnicity:
        errors["ethnicity"] = _("Choose one of the 56 ethnic groups.")
    if category not in Category.values:
        errors["category"] = _("Choose a registration category.")
    if category == Category.NON_RESIDENT_APPROVED and not approval_reference.strip():
        errors["approval_reference"] = _(
            "A person living here without household registration needs the reference of the assembly's approval."
        )
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class DuplicateFinding:
    """Where else this person is registered in the cycle: on this roll (shown), or elsewhere (not shown)."""

    here: Voter | None
    elsewhere: bool

    @property
    def message(self) -> str:
        if self.here is not None:
            return _("Already on this roll: %(name)s, %(id)s.") % {
                "name": self.here.name,
                "id": self.here.id_masked,
            }
        if self.elsewhere:
            return _(
                "This person is already registered in another village or community of this cycle; "
                "one person registers only once. Ask the township to check."
            )
        return ""


def find_duplicate(ref: RollRef, hashed: str, *, exclude_pk: int | None = None) -> DuplicateFinding:
    active = Voter.objects.active().filter(cycle_id=ref.cycle_id, roll=ref.roll, id_hash=hashed)
    if exclude_pk is not None:
        active = active.exclude(pk=exclude_pk)
    found = list(active.only("id", "name", "id_masked", "region_id")[:2])
    here = next((v for v in found if v.region_id == ref.region_id), None)
    return DuplicateFinding(here=here, elsewhere=here is None and bool(found))


def _save_refusing_duplicates(voter: Voter) -> None:
    try:
        with transaction.atomic():
            voter.save()
    except IntegrityError as error:
        if "voter_one_registration_per_cycle" in str(error) or "id_hash" in str(error):
            raise ValidationError(
                {
                    "id_number": _(
                        "This person is already registered in this cycle (the database refused a second "
                        "registration); one person registers only once."
                    )
                }
            ) from None
        raise


def _lock_roll_of(actor, ref_election: Election) -> RollRef:
    election = lock_election(actor, ref_election.pk)
    return roll_for_election(election)


def roll_election_for_voter(voter: Voter) -> Election:
    """The election whose day a voter's roll counts from."""
    bodies = [Body.PARTY_BRANCH] if voter.roll == RollKind.PARTY else list(MAIN_BODIES)
    election = (
        Election.objects.filter(cycle_id=voter.cycle_id, region_id=voter.region_id, body__in=bodies)
        .select_related("cycle__rule_set", "region")
        .first()
    )
    if election is None:
        raise ValidationError(_("This roll has no election in the cycle."))
    return election


def _audit_correction(actor, voter: Voter, reason: str, action: str) -> None:
    audit_record(
        actor=actor,
        event_type="roll.corrected",
        region_code=voter.region_id,
        obj=voter,
        after={"action": action, "reason": reason, "voter": voter.id_masked},
    )


@transaction.atomic
def voter_register(
    *,
    actor,
    election: Election,
    name: str,
    id_number: str,
    gender: str = "",
    birth_date: date | None = None,
    ethnicity: str = "",
    group: str = "",
    address: str = "",
    phone: str = "",
    category: str = Category.RESIDENT,
    approval_reference: str = "",
    notes: str = "",
    correction_reason: str = "",
    source: str = "entry",
) -> Voter:
    """选民登记 — put one person on the election's roll: ID valid, 18 on the election day, not yet
    registered anywhere in the cycle. After publication only as a correction with its reason."""
    require_roll_editor(actor)
    ref = _lock_roll_of(actor, election)
    is_correction = require_unpublished_or_reason(ref, correction_reason)
    election_day = require_election_day(ref)
    parsed = _parse_id_or_error(id_number)
    _check_agreement(parsed, gender, birth_date)
    _check_age(parsed, election_day)
    name = "".join(name.split()) if any("\u4e00" <= c <= "\u9fff" for c in name) else name.strip()
    _check_fields(name=name, ethnicity=ethnicity, category=category, approval_reference=approval_reference)
    hashed = id_hash(parsed.number)
    duplicate = find_duplicate(ref, hashed)
    if duplicate.here or duplicate.elsewhere:
        raise ValidationError({"id_number": duplicate.message})
    now = timezone.now()
    voter = Voter(
        **ref.filter_kwargs(),
        name=name,
        gender=parsed.gender,
        ethnicity=ethnicity,
        birth_date=parsed.birth_date,
        group=group.strip(),
        address=address.strip(),
        category=category,
        approval_reference=approval_reference.strip(),
        notes=notes.strip(),
        id_hash=hashed,
        id_masked=mask_id(parsed.number),
        id_encrypted=encrypt(parsed.number),
        phone_masked=mask_phone(phone.strip()),
        phone_encrypted=encrypt(phone.strip()),
        source=source,
        created_at=now,
        updated_at=now,
    )
    voter.full_clean(validate_constraints=False)
    _save_refusing_duplicates(voter)
    audit_record(
        actor=actor,
        event_type="voter.registered",
        region_code=voter.region_id,
        obj=voter,
        after=voter.public_fields(),
    )
    if is_correction:
        _audit_correction(actor, voter, correction_reason.strip(), "registered")
    return voter


def _lock_voter(actor, voter: Voter) -> tuple[Voter, RollRef]:
    election = roll_election_for_voter(voter)
    ref = _lock_roll_of(actor, election)
    locked = Voter.objects.visible_to(actor).select_for_update().filter(pk=voter.pk).first()
    if locked is None:
        raise ValidationError(_("This voter does not exist or is outside your area."))
    return locked, ref


@transaction.atomic
def voter_update(*, actor, voter: Voter, correction_reason: str = "", **changes) -> Voter:
    """Change a voter's details (选民信息更正); a new ID number is checked like a new registration."""
    require_roll_editor(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"voter_update() cannot change {sorted(unknown)}")
    voter, ref = _lock_voter(actor, voter)
    is_correction = require_unpublished_or_reason(ref, correction_reason)
    before = voter.public_fields()
    new_id = changes.pop("id_number", "") or ""
    if new_id:
        parsed = _parse_id_or_error(new_id)
        _check_age(parsed, require_election_day(ref))
        hashed = id_hash(parsed.number)
        if hashed != voter.id_hash:
            duplicate = find_duplicate(ref, hashed, exclude_pk=voter.pk)
            if duplicate.here or duplicate.elsewhere:
                raise ValidationError({"id_number": duplicate.message})
            voter.id_hash, voter.id_masked, voter.id_encrypted = (
                hashed,
                mask_id(parsed.number),
                encrypt(parsed.number),
            )
            voter.birth_date, voter.gender = parsed.birth_date, parsed.gender
    if "phone" in changes:
        phone = (changes.pop("phone") or "").strip()
        voter.phone_masked, voter.phone_encrypted = mask_phone(phone), encrypt(phone)
    for field, value in changes.items():
        setattr(voter, field, (value or "").strip())
    _check_fields(
        name=voter.name,
        ethnicity=voter.ethnicity,
        category=voter.category,
        approval_reference=voter.approval_reference,
    )
    voter.updated_at = timezone.now()
    voter.full_clean(validate_constraints=False)
    _save_refusing_duplicates(voter)
    after = voter.public_fields()
    changed = {k for k in after if after[k] != before[k]}
    audit_record(
        actor=actor,
        event_type="voter.updated",
        region_code=voter.region_id,
        obj=voter,
        before={k: before[k] for k in changed} | {"id": before["id"]},
        after={k: after[k] for k in changed} | {"id": after["id"]},
    )
    if is_correction:
        _audit_correction(actor, voter, correction_reason.strip(), "updated")
    return voter


@transaction.atomic
def voter_strike(
    *, actor, voter: Voter, reason: str, correction_reason: str = "", via_objection: bool = False
) -> Voter:
    """除名 — strike a voter off the roll (died, moved away, registered twice…) with the reason."""
    require_roll_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for striking this voter off.")})
    voter, ref = _lock_voter(actor, voter)
    is_correction = False if via_objection else require_unpublished_or_reason(ref, correction_reason)
    if voter.status == VoterStatus.STRUCK:
        raise ValidationError(_("This voter is already struck off."))
    before = voter.status
    voter.status, voter.struck_reason, voter.updated_at = VoterStatus.STRUCK, reason[:200], timezone.now()
    voter.save(update_fields=["status", "struck_reason", "updated_at"])
    audit_record(
        actor=actor,
        event_type="voter.struck",
        region_code=voter.region_id,
        obj=voter,
        before={"status": before, "id": voter.id_masked},
        after={"status": voter.status, "reason": voter.struck_reason, "id": voter.id_masked},
    )
    if is_correction:
        _audit_correction(actor, voter, correction_reason.strip(), "struck")
    return voter


@transaction.atomic
def voter_restore(*, actor, voter: Voter, correction_reason: str = "", via_objection: bool = False) -> Voter:
    """恢复 — put a struck-off voter back on the roll (refused if registered elsewhere meanwhile)."""
    require_roll_editor(actor)
    voter, ref = _lock_voter(actor, voter)
    is_correction = False if via_objection else require_unpublished_or_reason(ref, correction_reason)
    if voter.status != VoterStatus.STRUCK:
        raise ValidationError(_("This voter is on the roll already."))
    _check_age(ParsedId("", voter.birth_date, voter.gender), require_election_day(ref))
    duplicate = find_duplicate(ref, voter.id_hash, exclude_pk=voter.pk)
    if duplicate.here or duplicate.elsewhere:
        raise ValidationError(duplicate.message)
    old_reason = voter.struck_reason
    voter.status, voter.struck_reason, voter.updated_at = VoterStatus.RESTORED, "", timezone.now()
    _save_refusing_duplicates(voter)
    audit_record(
        actor=actor,
        event_type="voter.restored",
        region_code=voter.region_id,
        obj=voter,
        before={"status": VoterStatus.STRUCK, "reason": old_reason, "id": voter.id_masked},
        after={"status": voter.status, "id": voter.id_masked},
    )
    if is_correction:
        _audit_correction(actor, voter, correction_reason.strip(), "restored")
    return voter


def roll_correct(
    *, actor, action: str, reason: str, voter: Voter | None = None, election: Election | None = None, **fields
):
    """更正已公布的选民名单 — the one way a published roll changes outside objections: audited, reason required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"correction_reason": _("Give the reason for correcting the published roll.")})
    if action == "register":
        return voter_register(actor=actor, election=election, correction_reason=reason, **fields)
    if action == "update":
        return voter_update(actor=actor, voter=voter, correction_reason=reason, **fields)
    if action == "strike":
        return voter_strike(actor=actor, voter=voter, correction_reason=reason, **fields)
    if action == "restore":
        return voter_restore(actor=actor, voter=voter, correction_reason=reason)
    raise ValueError(f"unknown correction {action!r}")


def _reveal(*, actor, voter: Voter, field: str, token: str) -> str:
    if not pii_may_reveal(actor):
        raise PermissionDenied(_("Only township staff and above may see ID numbers and phones in full."))
    visible = Voter.objects.visible_to(actor).filter(pk=voter.pk).exists()
    if not visible:
        raise PermissionDenied(_("This voter does not exist or is outside your area."))
    audit_record_on_its_own(
        actor=actor,
        event_type="pii.revealed",
        region_code=voter.region_id,
        obj=voter,
        after={"field": field, "voter": voter.id_masked},
    )
    return decrypt(token)


def voter_reveal_id(*, actor, voter: Voter) -> str:
    """显示完整身份证号 — township staff and above; every reveal is an audit event."""
    return _reveal(actor=actor, voter=voter, field="id_number", token=voter.id_encrypted)


def voter_reveal_phone(*, actor, voter: Voter) -> str:
    """显示完整电话 — as for the ID number."""
    return _reveal(actor=actor, voter=voter, field="phone", token=voter.phone_encrypted)


@dataclass(frozen=True)
class IdCheck:
    """What the entry form shows as the ID number is typed."""

    problem: str = ""
    birth_date: date | None = None
    gender: str = ""
    age: int | None = None
    under_age: bool = False
    duplicate: DuplicateFinding | None = None


def voter_id_check(*, election: Election, id_number: str, exclude_pk: int | None = None) -> IdCheck:
    """Birth date, gender, age on the election day and duplicates for a typed ID number (read only)."""
    parsed = parse_id(id_number or "")
    if isinstance(parsed, IdProblem):
        return IdCheck(problem=parsed.message)
    ref = roll_for_election(election)
    age = age_on(parsed.birth_date, ref.election_day) if ref.election_day else None
    duplicate = find_duplicate(ref, id_hash(parsed.number), exclude_pk=exclude_pk)
    return IdCheck(
        birth_date=parsed.birth_date,
        gender=parsed.gender,
        age=age,
        under_age=age is not None and age < VOTING_AGE,
        duplicate=duplicate if (duplicate.here or duplicate.elsewhere) else None,
    )
