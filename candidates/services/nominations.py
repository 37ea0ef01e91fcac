"""Nominations (提名): the nomination round, recording a nominee from the roll with how they were
nominated, the nominee's confirmation (one post per person) or refusal, and close relations declared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices_cycles import Body
from election_admin.models import Election
from voters.choices import Gender, RollKind, VoterStatus
from voters.models import Voter
from voters.services.rolls import roll_for_election

from ..choices import (
    BODY_METHODS,
    JOINT_MIN_HOUSEHOLDS,
    JOINT_MIN_VOTERS,
    CandidateStatus,
    Education,
    NominationMethod,
    NominationStatus,
    PartyMembership,
    Post,
    RelationKind,
)
from ..models import Candidate, CloseRelation, Nomination, NominationRound, Occupation
from ..rules import direct_nomination_limit
from .committee import Recusal, committee_recuse
from .common import is_party, lock_election, post_label, require_editor, require_nominations_open, seats_for


def _roll_size(election: Election) -> int:
    ref = roll_for_election(election)
    return Voter.objects.active().filter(**ref.filter_kwargs()).count()


def _roll_name(election: Election) -> str:
    return _("the party members' roll") if is_party(election) else _("the voter roll")


@transaction.atomic
def nomination_round_record(
    *, actor, election: Election, held_on: date, ballots_returned: int, in_person_confirmed: bool
) -> NominationRound:
    """提名会 — record the direct nomination: the day, and how many voters handed in nomination ballots
    themselves. Each names at most as many people as a post has seats; proxies may not nominate."""
    require_editor(actor)
    election = lock_election(actor, election.pk)
    require_nominations_open(election)
    if not in_person_confirmed:
        raise ValidationError(
            {
                "in_person_confirmed": _(
                    "Nomination ballots are handed in by the voters themselves; nominating for someone else "
                    "(by proxy) is not allowed. Confirm that only ballots handed in in person were counted."
                )
            }
        )
    size = _roll_size(election)
    if not 0 < ballots_returned <= size:
        raise ValidationError(
            {
                "ballots_returned": _(
                    "%(ballots)s nomination ballots: there are %(size)s voters on %(roll)s, so between 1 and "
                    "%(size)s ballots can be handed in."
                )
                % {"ballots": ballots_returned, "size": size, "roll": _roll_name(election)}
            }
        )
    existing = NominationRound.objects.filter(election=election).first()
    for post, total in _direct_totals(election).items():
        if total > direct_nomination_limit(ballots_returned, seats_for(election, post)):
            raise ValidationError(
                {
                    "ballots_returned": _(
                        "The direct nominations already recorded for %(post)s add up to %(total)s, more than "
                        "%(ballots)s ballots × %(seats)s seat(s) allow."
                    )
                    % {
                        "post": post_label(election, post),
                        "total": total,
                        "ballots": ballots_returned,
                        "seats": seats_for(election, post),
                    }
                }
            )
    before = (
        {"held_on": existing.held_on, "ballots_returned": existing.ballots_returned} if existing else None
    )
    round_ = existing or NominationRound(election=election, recorded_by=actor)
    round_.held_on, round_.ballots_returned, round_.recorded_by = held_on, ballots_returned, actor
    round_.full_clean()
    round_.save()
    audit_record(
        actor=actor,
        event_type="nomination.round_recorded",
        region_code=election.region_id,
        obj=election,
        before=before,
        after={"held_on": held_on, "ballots_returned": ballots_returned},
    )
    return round_


def _direct_totals(election: Election, *, exclude_pk: int | None = None) -> dict[str, int]:
    rows = Nomination.objects.filter(election=election, method=NominationMethod.DIRECT)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return {
        row["post"]: row["total"] or 0
        for row in rows.values("post").annotate(total=Sum("nominating_count")).order_by()
    }


def _check_nominee(election: Election, voter: Voter) -> Voter:
    ref = roll_for_election(election)
    on_roll = Voter.objects.filter(pk=voter.pk, **ref.filter_kwargs()).first()
    if on_roll is None:
        if is_party(election):
            raise ValidationError(
                {
                    "voter": _(
                        "%(name)s is not on the party members' roll of %(village)s: a party branch candidate must "
                        "be a full party member registered there."
                    )
                    % {"name": voter.name, "village": election.region.name}
                }
            )
        raise ValidationError(
            {
                "voter": _(
                    "%(name)s is not on the voter roll of %(village)s: a candidate must be a registered voter of "
                    "the village."
                )
                % {"name": voter.name, "village": election.region.name}
            }
        )
    if on_roll.status == VoterStatus.STRUCK:
        raise ValidationError(
            {
                "voter": _(
                    "%(name)s was struck off %(roll)s (%(reason)s): only a voter on the roll can be nominated."
                )
                % {"name": on_roll.name, "roll": _roll_name(election), "reason": on_roll.struck_reason}
            }
        )
    return on_roll


def _check_counts(
    election: Election, post: str, method: str, nominating_count: int, by_households: bool, tally: int
) -> None:
    size = _roll_size(election)
    # A party branch's recommendation may count votes of non-members too (两推): only the members' count is bounded.
    if nominating_count > size or (tally > size and not is_party(election)):
        raise ValidationError(
            {
                "nominating_count": _("%(count)s nominations: there are only %(size)s voters on %(roll)s.")
                % {"count": max(nominating_count, tally), "size": size, "roll": _roll_name(election)}
            }
        )
    if by_households and method != NominationMethod.JOINT:
        raise ValidationError(
            {"by_households": _("Only a joint nomination is made by household representatives.")}
        )
    if method == NominationMethod.JOINT:
        minimum = JOINT_MIN_HOUSEHOLDS if by_households else JOINT_MIN_VOTERS
        if nominating_count < minimum:
            who = _("household representatives") if by_households else _("voters")
            raise ValidationError(
                {
                    "nominating_count": _(
                        "A joint nomination needs at least %(min)s %(who)s; this one has %(count)s."
                    )
                    % {"min": minimum, "who": who, "count": nominating_count}
                }
            )
    if method == NominationMethod.DIRECT:
        if nominating_count < 1:
            raise ValidationError(
                {"nominating_count": _("Enter how many voters nominated this person (at least 1).")}
            )
        round_ = NominationRound.objects.filter(election=election).first()
        if round_ is None:
            raise ValidationError(
                _(
                    "Record the nomination round first (how many voters handed in nomination ballots): "
                    "direct nominations are checked against it."
                )
            )
        seats = seats_for(election, post)
        total = _direct_totals(election).get(post, 0) + nominating_count
        limit = direct_nomination_limit(round_.ballots_returned, seats)
        if total > limit:
            raise ValidationError(
                {
                    "nominating_count": _(
                        "Each voter nominates at most as many people as there are seats: %(ballots)s ballots × "
                        "%(seats)s seat(s) for %(post)s allow %(limit)s nominations in all, and these would make "
                        "%(total)s."
                    )
                    % {
                        "ballots": round_.ballots_returned,
                        "seats": seats,
                        "post": post_label(election, post),
                        "limit": limit,
                        "total": total,
                    }
                }
            )


@transaction.atomic
def nomination_record(
    *,
    actor,
    election: Election,
    voter: Voter,
    post: str,
    method: str,
    nominating_count: int = 0,
    by_households: bool = False,
    tally: int | None = None,
    note: str = "",
) -> Nomination:
    """提名 — record one person nominated for one post: a voter of the village's roll (a party branch: a
    full member on the party roll), how they were nominated and the tally that fixes the list order."""
    require_editor(actor)
    election = lock_election(actor, election.pk)
    require_nominations_open(election)
    if seats_for(election, post) == 0:
        raise ValidationError(
            {
                "post": _("The %(body)s of %(village)s has no seat for %(post)s.")
                % {
                    "body": election.get_body_display(),
                    "village": election.region.name,
                    "post": Post(post).label if post in Post.values else post,
                }
            }
        )
    if method not in BODY_METHODS[Body(election.body)]:
        raise ValidationError(
            {
                "method": _("A candidate of the %(body)s cannot be nominated this way (%(method)s).")
                % {
                    "body": election.get_body_display(),
                    "method": NominationMethod(method).label if method in NominationMethod.values else method,
                }
            }
        )
    voter = _check_nominee(election, voter)
    if post == Post.WOMEN_MEMBER and voter.gender != Gender.FEMALE:
        raise ValidationError({"post": _("The women's post is elected from women only (专职专选).")})
    if method in (NominationMethod.SELF, NominationMethod.PARTY_COMMITTEE):
        nominating_count = 0
    tally = nominating_count if tally is None else tally
    _check_counts(election, post, method, nominating_count, by_households, tally)
    if Nomination.objects.filter(election=election, voter=voter, post=post).exists():
        raise ValidationError(
            {
                "voter": _("%(name)s is already nominated for %(post)s.")
                % {"name": voter.name, "post": post_label(election, post)}
            }
        )
    nomination = Nomination(
        election=election,
        voter=voter,
        post=post,
        method=method,
        nominating_count=nominating_count,
        by_households=by_households,
        tally=tally,
        note=note.strip(),
        recorded_by=actor,
    )
    nomination.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError(
            {"voter": _("%(name)s is already nominated for this post.") % {"name": voter.name}}
        ) from None
    audit_record(
        actor=actor,
        event_type="nomination.recorded",
        region_code=election.region_id,
        obj=nomination,
        after={
            "voter": voter.id_masked,
            "name": voter.name,
            "post": post,
            "method": method,
            "nominating_count": nominating_count,
            "by_households": by_households,
            "tally": tally,
        },
    )
    return nomination


@dataclass(frozen=True)
class Confirmation:
    candidate: Candidate
    declined: list[Nomination]
    recusals: list[Recusal]


def _lock_nomination(actor, nomination: Nomination) -> tuple[Election, Nomination]:
    election = lock_election(actor, nomination.election_id)
    locked = (
        Nomination.objects.visible_to(actor)
        .select_related("voter")
        .select_for_update(of=("self",))
        .filter(pk=nomination.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This nomination does not exist or is outside your area."))
    return election, locked


def default_party_membership(election: Election, voter: Voter) -> str:
    """中共党员 when the person is on the cycle's party roll of the village, else no party."""
    on_party_roll = Voter.objects.active().filter(
        cycle_id=election.cycle_id, region_id=election.region_id, roll=RollKind.PARTY, id_hash=voter.id_hash
    )
    return PartyMembership.CPC_MEMBER if on_party_roll.exists() else PartyMembership.NONE


def check_candidate_details(
    election: Election, post: str, *, education: str, party_membership: str, is_dual_role_intended: bool
) -> None:
    errors = {}
    if education not in Education.values:
        errors["education"] = _("Choose the level of education.")
    if party_membership not in PartyMembership.values:
        errors["party_membership"] = _("Choose the party membership.")
    if is_dual_role_intended and (post != Post.CHAIR or is_party(election)):
        errors["is_dual_role_intended"] = _(
            "一肩挑 means the committee chair is also the party secretary: only a chair candidate can be marked."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def nomination_confirm(
    *,
    actor,
    nomination: Nomination,
    education: str,
    party_membership: str,
    occupation: Occupation | None = None,
    is_incumbent: bool = False,
    is_dual_role_intended: bool = False,
) -> Confirmation:
    """The nominee agrees to stand (确认参选) for this post: the candidate record is made from the voter, the
    person's other nominations in this election are declined (one post per person), and a member of the
    election committee who is the nominee — or where the rule set says so, a close relative — leaves it."""
    require_editor(actor)
    election, nomination = _lock_nomination(actor, nomination)
    require_nominations_open(election)
    if nomination.status != NominationStatus.NOMINATED:
        raise ValidationError(
            _("This nomination is %(status)s; only an open nomination can be confirmed.")
            % {"status": nomination.get_status_display()}
        )
    voter = _check_nominee(election, nomination.voter)
    other = (
        Nomination.objects.filter(election=election, voter=voter, status=NominationStatus.CONFIRMED)
        .exclude(pk=nomination.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _(
                "%(name)s already stands for %(post)s in this election: a person stands for one post only. "
                "Withdraw that candidacy first to stand for %(this)s."
            )
            % {
                "name": voter.name,
                "post": post_label(election, other.post),
                "this": post_label(election, nomination.post),
            }
        )
    check_candidate_details(
        election,
        nomination.post,
        education=education,
        party_membership=party_membership,
        is_dual_role_intended=is_dual_role_intended,
    )
    now = timezone.now()
    nomination.status, nomination.confirmed_at = NominationStatus.CONFIRMED, now
    nomination.save(update_fields=["status", "confirmed_at"])
    declined = []
    for rest in Nomination.objects.select_for_update().filter(
        election=election, voter=voter, status=NominationStatus.NOMINATED
    ):
        rest.status = NominationStatus.DECLINED
        rest.decline_reason = (_("stands for %(post)s") % {"post": post_label(election, nomination.post)})[
            :200
        ]
        rest.save(update_fields=["status", "decline_reason"])
        audit_record(
            actor=actor,
            event_type="nomination.declined",
            region_code=election.region_id,
            obj=rest,
            after={"reason": rest.decline_reason, "name": voter.name},
        )
        declined.append(rest)
    candidate = Candidate(
        nomination=nomination,
        election=election,
        voter=voter,
        post=nomination.post,
        education=education,
        party_membership=party_membership,
        occupation=occupation,
        is_incumbent=is_incumbent,
        is_dual_role_intended=is_dual_role_intended,
        status=CandidateStatus.IN_REVIEW,
        created_at=now,
    )
    candidate.full_clean(validate_constraints=False)
    candidate.save()
    audit_record(
        actor=actor,
        event_type="nomination.confirmed",
        region_code=election.region_id,
        obj=candidate,
        after={
            "voter": voter.id_masked,
            "name": voter.name,
            "post": nomination.post,
            "tally": nomination.tally,
            "education": education,
            "party_membership": party_membership,
            "occupation": occupation.name if occupation else "",
            "is_incumbent": is_incumbent,
            "is_dual_role_intended": is_dual_role_intended,
        },
    )
    recusals = committee_recuse(actor=actor, election=election)
    return Confirmation(candidate=candidate, declined=declined, recusals=recusals)


@transaction.atomic
def nomination_decline(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """The nominee does not stand (不同意参选), or the nomination is set aside, with the reason."""
    require_editor(actor)
    election, nomination = _lock_nomination(actor, nomination)
    require_nominations_open(election)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason (e.g. the nominee does not agree to stand).")})
    if nomination.status != NominationStatus.NOMINATED:
        raise ValidationError(
            _("This nomination is %(status)s; only an open nomination can be declined.")
            % {"status": nomination.get_status_display()}
        )
    nomination.status, nomination.decline_reason = NominationStatus.DECLINED, reason[:200]
    nomination.save(update_fields=["status", "decline_reason"])
    audit_record(
        actor=actor,
        event_type="nomination.declined",
        region_code=election.region_id,
        obj=nomination,
        after={"reason": nomination.decline_reason, "name": nomination.voter.name},
    )
    return nomination


@dataclass(frozen=True)
class RelationResult:
    relation: CloseRelation
    recusals: list[Recusal]


@transaction.atomic
def close_relation_declare(
    *, actor, candidate: Candidate, relative: Voter, kind: str, note: str = ""
) -> RelationResult:
    """申报近亲属 — record that a voter of the cycle is a candidate's spouse, parent or child, or sibling.
    Where the rule set says so, a relative sitting on the election committee leaves it at once."""
    require_editor(actor)
    election = lock_election(actor, candidate.election_id)
    candidate = Candidate.objects.visible_to(actor).select_related("voter").filter(pk=candidate.pk).first()
    if candidate is None:
        raise ValidationError(_("This candidate does not exist or is outside your area."))
    relative = Voter.objects.visible_to(actor).filter(pk=relative.pk, cycle_id=election.cycle_id).first()
    if relative is None:
        raise ValidationError({"relative": _("This voter is not in this cycle or is outside your area.")})
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Choose the relation.")})
    if relative.id_hash == candidate.voter.id_hash:
        raise ValidationError({"relative": _("A person is not their own relative.")})
    a, b = sorted([candidate.voter, relative], key=lambda v: v.pk)
    if CloseRelation.objects.filter(voter_a=a, voter_b=b).exists():
        raise ValidationError({"relative": _("This relation is already recorded.")})
    relation = CloseRelation(
        cycle_id=election.cycle_id,
        region_id=election.region_id,
        voter_a=a,
        voter_b=b,
        kind=kind,
        note=note.strip()[:200],
        declared_by=actor,
    )
    relation.full_clean(validate_constraints=False)
    relation.save()
    audit_record(
        actor=actor,
        event_type="candidate.relation_declared",
        region_code=election.region_id,
        obj=candidate,
        after={
            "candidate": candidate.voter.id_masked,
            "relative": relative.id_masked,
            "relative_name": relative.name,
            "kind": kind,
        },
    )
    return RelationResult(relation=relation, recusals=committee_recuse(actor=actor, election=election))
