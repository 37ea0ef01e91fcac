"""The election committee and the candidates (选委会成员回避): a member who is nominated leaves, and
where the rule set says so (浙江) a member whose spouse, parent, child or sibling is a candidate; the
place goes to the next reserve of the original selection result (VCOL §12). Members are recognised by
the keyed hash of their ID number, recorded here from an ID number or from the roll."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices_cycles import Body
from election_admin.models import CommitteeMember, Election
from election_admin.services.elections import (
    committee_member_add,
    committee_member_identify,
    committee_member_leave,
    committee_vacancy_fill,
)
from voters.idnumber import IdProblem, parse_id
from voters.models import Voter
from voters.pii import id_hash

from ..choices import RelationKind
from ..models import Candidate, CloseRelation
from .common import lock_election, post_label, require_editor

# The bodies whose elections the village election committee runs (a party branch's is run by the party).
COMMITTEE_BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.SUPERVISION_COMMITTEE)


@dataclass(frozen=True)
class Recusal:
    """A member who left the committee because of a candidate, and who stepped in (None: nobody left)."""

    member: CommitteeMember
    reason: str
    replaced_by: CommitteeMember | None

    @property
    def message(self) -> str:
        if self.replaced_by is not None:
            return _("%(member)s left the election committee (%(reason)s); %(reserve)s stepped in.") % {
                "member": self.member.name,
                "reason": self.reason,
                "reserve": self.replaced_by.name,
            }
        return _(
            "%(member)s left the election committee (%(reason)s); no reserve is left, so the village "
            "assembly must choose a new member."
        ) % {"member": self.member.name, "reason": self.reason}


def relatives_of(cycle_id: int, hashes: set[str]) -> dict[str, tuple[str, str]]:
    """Relative's ID hash → (kind, ID hash of the person it is related to), for the people in ``hashes``."""
    if not hashes:
        return {}
    rows = CloseRelation.objects.filter(cycle_id=cycle_id).filter(
        Q(voter_a__id_hash__in=hashes) | Q(voter_b__id_hash__in=hashes)
    )
    found: dict[str, tuple[str, str]] = {}
    for a, b, kind in rows.values_list("voter_a__id_hash", "voter_b__id_hash", "kind"):
        if a in hashes:
            found.setdefault(b, (kind, a))
        if b in hashes:
            found.setdefault(a, (kind, b))
    return found


def conflicted_hashes(election: Election) -> dict[str, str]:
    """ID hash → why that person may not sit on the village's election committee: every candidate of
    the elections it runs, and (where the rule set says so) their close relatives."""
    candidates = (
        Candidate.objects.filter(
            election__cycle_id=election.cycle_id,
            election__region_id=election.region_id,
            election__body__in=COMMITTEE_BODIES,
        )
        .select_related("voter", "election")
        .order_by("id")
    )
    reasons: dict[str, str] = {}
    names: dict[str, str] = {}
    for candidate in candidates:
        names.setdefault(candidate.voter.id_hash, candidate.voter.name)
        reasons.setdefault(
            candidate.voter.id_hash,
            _("nominated as a candidate for %(post)s of the %(body)s")
            % {
                "post": post_label(candidate.election, candidate.post),
                "body": candidate.election.get_body_display(),
            },
        )
    if election.cycle.rule_set.committee_recuses_relatives:
        for relative, (kind, of_hash) in relatives_of(election.cycle_id, set(names)).items():
            reasons.setdefault(
                relative,
                _("close relative (%(kind)s) of candidate %(name)s")
                % {"kind": RelationKind(kind).label, "name": names[of_hash]},
            )
    return reasons


def committee_recuse(*, actor, election: Election) -> list[Recusal]:
    """Apply the recusal rules to the committee of ``election``'s village now: every serving member who is a
    candidate (or, where the rule set says so, a candidate's close relative) leaves, and the next reserve not
    in the same position steps in. Idempotent; call after every change that may create a conflict."""
    if election.body not in COMMITTEE_BODIES:
        return []
    conflicts = conflicted_hashes(election)
    if not conflicts:
        return []
    members = list(
        CommitteeMember.objects.filter(
            election__cycle_id=election.cycle_id,
            election__region_id=election.region_id,
            election__body__in=COMMITTEE_BODIES,
            is_active=True,
            id_hash__in=list(conflicts),
        ).order_by("election_id", "selection_order")
    )
    recusals = []
    for member in members:
        reason = conflicts[member.id_hash]
        left = committee_member_leave(actor=actor, member=member, reason=reason)
        reserve = committee_vacancy_fill(
            actor=actor, member_left=left, exclude_id_hashes=frozenset(conflicts)
        )
        audit_record(
            actor=actor,
            event_type="committee.member_recused",
            region_code=election.region_id,
            obj=left,
            after={"member": left.name, "reason": reason, "replaced_by": reserve.name if reserve else None},
        )
        recusals.append(Recusal(member=left, reason=reason, replaced_by=reserve))
    return recusals


def hash_from(*, id_number: str = "", voter: Voter | None = None) -> str:
    """The keyed hash of a person given by ID number or chosen from the roll."""
    if voter is not None:
        return voter.id_hash
    parsed = parse_id(id_number or "")
    if isinstance(parsed, IdProblem):
        raise ValidationError({"id_number": parsed.message})
    return id_hash(parsed.number)


@transaction.atomic
def committee_member_add_identified(
    *,
    actor,
    election: Election,
    name: str = "",
    role: str = CommitteeMember.Role.MEMBER,
    is_reserve: bool = False,
    id_number: str = "",
    voter: Voter | None = None,
) -> CommitteeMember:
    """Add a member or reserve of the election committee with their ID number (or chosen from the roll),
    so that the recusal rules recognise them. A candidate (or a candidate's close relative, where the
    rule set says so) cannot join."""
    require_editor(actor)
    election = lock_election(actor, election.pk)
    if voter is not None:
        name = voter.name
    if not name.strip():
        raise ValidationError({"name": _("Enter the name.")})
    hashed = hash_from(id_number=id_number, voter=voter)
    reason = conflicted_hashes(election).get(hashed)
    if reason:
        raise ValidationError(
            _("%(name)s cannot sit on the election committee: %(reason)s.")
            % {"name": name.strip(), "reason": reason}
        )
    return committee_member_add(
        actor=actor, election=election, name=name, role=role, id_hash=hashed, is_reserve=is_reserve
    )


@transaction.atomic
def committee_member_identify_by(
    *, actor, member: CommitteeMember, id_number: str = "", voter: Voter | None = None
) -> list[Recusal]:
    """Record who an existing member is; if they turn out to be a candidate (or a relative where the rule
    set says so) they leave at once and the next reserve steps in."""
    require_editor(actor)
    election = lock_election(actor, member.election_id)
    member = committee_member_identify(
        actor=actor, member=member, id_hash=hash_from(id_number=id_number, voter=voter)
    )
    return committee_recuse(actor=actor, election=election)
