"""再次投票 — recording the re-vote among people tied where the counting rules cannot choose, and
deciding a round again with the re-votes settled (``resolved_ties``).

A computed result lists its ties (``TieRevote``: id, kind, post, the tied people, seats). Township staff
record the re-vote held among them (date, ballots, votes for each); the winners are decided by
``counting.decide_tie_revote`` — equal again at the cut-off means another re-vote among those still
tied. Once settled the round is computed again (``results_compute``) and can be certified.
A re-vote applies only to the very tie it was held for (same id, same people, same seats): if the
totals are corrected and the tie changes, it must be held again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from ballots import counting

from ..choices import RUNOFF_ROUND
from ..models import RoundResult, TieRevoteRecord
from .common import lock_election, require_supervisor

MAX_PASSES = 8


def _records(election, round_number: int) -> dict[str, list[TieRevoteRecord]]:
    found: dict[str, list[TieRevoteRecord]] = {}
    for record in TieRevoteRecord.objects.filter(election=election, round_number=round_number).order_by(
        "tie_id", "attempt"
    ):
        found.setdefault(record.tie_id, []).append(record)
    return found


def _chain(records: Sequence[TieRevoteRecord], tie) -> list[TieRevoteRecord]:
    """The re-votes held for exactly this tie (same people, same seats), in order."""
    tied, seats = sorted(tie["candidates"]), tie["seats"]
    return [r for r in records if sorted(r.tied) == tied and r.seats_in_result == seats]


def _resolution(chain: Sequence[TieRevoteRecord]) -> list[str] | None:
    """Everyone the chain of re-votes elected, once its last re-vote settled the tie."""
    if not chain or not chain[-1].is_settled:
        return None
    chosen: list[str] = []
    for record in chain:
        chosen += [p for p in record.chosen if p not in chosen]
    return chosen


def _tie_dict(tie) -> dict:
    if isinstance(tie, dict):
        return tie
    return {
        "id": tie.id,
        "kind": tie.kind,
        "post": tie.post,
        "candidates": list(tie.candidates),
        "seats": tie.seats,
    }


def decide_with_revotes(election, round_number: int, decide: Callable[[dict], object]):
    """``decide(resolved_ties)`` again and again with the re-votes recorded for the ties it answers
    (settling one tie may reveal the next, e.g. a cut-off tie then who gives way to a woman)."""
    records = _records(election, round_number)
    resolved: dict[str, list[str]] = {}
    outcome = decide(resolved)
    for _pass in range(MAX_PASSES):
        added = False
        for tie in outcome.ties:
            if tie.id in resolved:
                continue
            chosen = _resolution(_chain(records.get(tie.id, []), _tie_dict(tie)))
            if chosen is not None:
                resolved[tie.id] = chosen
                added = True
        if not added:
            break
        try:
            outcome = decide(dict(resolved))
        except ValueError:  # a re-vote that no longer fits the tie: decide without it
            break
    return outcome


@dataclass(frozen=True)
class PendingTie:
    """A tie of a computed result still to be settled, and the re-vote to hold next."""

    index: int
    id: str
    kind: str
    post: str
    tied: tuple[str, ...]
    seats_in_result: int
    candidates: tuple[str, ...]
    seats: int
    votes: int
    people: list[tuple[str, str]] = field(default_factory=list)
    held: list[TieRevoteRecord] = field(default_factory=list)
    elected_so_far: tuple[str, ...] = ()


def person_name(result: RoundResult, person: str) -> str:
    if counting.is_write_in(person):
        return person.partition(":")[2]
    return (result.outcome.get("candidates") or {}).get(person, {}).get("name", person)


def pending_ties(result: RoundResult) -> list[PendingTie]:
    """The ties of a result, each with the people of the next re-vote (narrowed by re-votes that tied
    again) and the re-votes already held."""
    ties = (result.outcome.get("decision") or {}).get("ties") or []
    records = _records(result.election, result.round_number)
    found = []
    for index, tie in enumerate(ties):
        chain = _chain(records.get(tie["id"], []), tie)
        candidates, seats = tuple(tie["candidates"]), tie["seats"]
        elected: list[str] = []
        for record in chain:
            elected += record.chosen
            if not record.is_settled:
                candidates = tuple(record.remaining.get("candidates", ()))
                seats = record.remaining.get("seats", seats)
        found.append(
            PendingTie(
                index=index,
                id=tie["id"],
                kind=tie["kind"],
                post=tie["post"],
                tied=tuple(tie["candidates"]),
                seats_in_result=tie["seats"],
                candidates=candidates,
                seats=seats,
                votes=tie["votes"],
                people=[(p, person_name(result, p)) for p in candidates],
                held=chain,
                elected_so_far=tuple(elected),
            )
        )
    return found


def _whole(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({name: _("Enter a whole number, 0 or more.")})
    return value


@transaction.atomic
def tie_revote_record(
    *, actor, result: RoundResult, tie_id: str, held_on: date, ballots: int, votes: dict[str, int]
) -> TieRevoteRecord:
    """Record a re-vote among the tied (记录再次投票结果): township staff or above. Only the people in
    the re-vote may have votes, none negative, none more than the ballots cast. A unique winner settles
    the tie and the round is computed again; equal again → another re-vote is needed among those tied."""
    from .results import results_compute

    require_supervisor(actor)
    election = lock_election(actor, result.election)
    result = RoundResult.objects.select_for_update().get(pk=result.pk, election=election)
    if result.is_certified or not result.is_current:
        raise ValidationError(_("A re-vote is recorded on the current results before they are certified."))
    tie = next((t for t in pending_ties(result) if t.id == tie_id), None)
    if tie is None:
        raise ValidationError(_("These results have no such tie."))
    if tie.held and tie.held[-1].is_settled:
        raise ValidationError(_("This tie has been decided already."))
    ballots = _whole(ballots, "ballots")
    if held_on is None:
        raise ValidationError({"held_on": _("Enter the date of the re-vote.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The re-vote cannot be dated in the future.")})
    if election.election_day and held_on < election.election_day:
        raise ValidationError({"held_on": _("The re-vote cannot be held before the election day.")})
    unknown = sorted(set(votes) - set(tie.candidates))
    if unknown:
        names = "、".join(person_name(result, p) for p in unknown)
        raise ValidationError(
            _("Only the people tied take part in the re-vote, not %(names)s.") % {"names": names}
        )
    clean: dict[str, int] = {}
    for person in tie.candidates:
        name = f"p_{person}"
        value = votes.get(person)
        if value is None:
            raise ValidationError({name: _("Enter the votes (0 if none).")})
        clean[person] = _whole(value, name)
        if clean[person] > ballots:
            raise ValidationError(
                {
                    name: _("%(name)s cannot have more votes than ballots cast.")
                    % {"name": person_name(result, person)}
                }
            )
    if sum(clean.values()) > ballots * tie.seats:
        raise ValidationError(
            {
                "ballots": _("More votes than the ballots cast allow (%(seats)s per ballot).")
                % {"seats": tie.seats}
            }
        )
    revote = counting.TieRevote(
        id=tie.id, kind=tie.kind, post=tie.post, candidates=tie.candidates, seats=tie.seats, votes=tie.votes
    )
    chosen, again = counting.decide_tie_revote(revote, clean)
    record = TieRevoteRecord.objects.create(
        election=election,
        round_number=result.round_number,
        tie_id=tie.id,
        attempt=len(tie.held) + 1,
        kind=tie.kind,
        post=tie.post,
        tied=list(tie.tied),
        candidates=list(tie.candidates),
        seats=tie.seats,
        seats_in_result=tie.seats_in_result,
        held_on=held_on,
        ballots=ballots,
        votes=clean,
        chosen=list(chosen),
        remaining={"candidates": list(again.candidates), "seats": again.seats} if again else {},
        is_settled=again is None,
        result=result,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        event_type="tie.revote_recorded",
        region_code=election.region_id,
        obj=record,
        after={
            "result": result.pk,
            "tie": tie.id,
            "attempt": record.attempt,
            "held_on": held_on.isoformat(),
            "ballots": ballots,
            "votes": clean,
            "chosen": list(chosen),
            "settled": record.is_settled,
        },
    )
    if record.is_settled:
        runoff_day = result.outcome.get("runoff_day")
        results_compute(
            actor=actor,
            election=election,
            round_number=result.round_number,
            runoff_day=date.fromisoformat(runoff_day)
            if result.round_number == RUNOFF_ROUND and runoff_day
            else None,
        )
    return record
