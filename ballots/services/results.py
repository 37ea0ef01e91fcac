"""Results (选举结果): computed by the counting rules from the agreed tally sheets, reviewed, certified by
the township; certified is final, a correction is a new version. Certifying moves the election's stage
and records the headline figures the dashboards read."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from ballots import counting
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Election
from election_admin.services.stages import election_results_record, election_stage_advance
from voters.models import Voter
from voters.services.rolls import roll_for_election

from ..choices import FIGURES, FIRST_ROUND, RUNOFF_ROUND, ResultStatus, SheetStatus
from ..models import BallotBox, RoundResult, TallySheet
from ..signals import result_certified
from .common import lock_election, require_entry, require_supervisor
from .ties import decide_with_revotes

ACTIVE_VOTER = ("registered", "restored")
BODY_FOR_RULES = {
    Body.VILLAGERS_COMMITTEE: counting.VILLAGERS_COMMITTEE,
    Body.RESIDENTS_COMMITTEE: counting.RESIDENTS_COMMITTEE,
    Body.SUPERVISION_COMMITTEE: counting.SUPERVISION_COMMITTEE,
    Body.PARTY_BRANCH: counting.PARTY_BRANCH,
}


def plain(value):
    """A JSON-safe copy of the counting module's dataclasses (tuples and sets as lists)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {("|".join(k) if isinstance(k, tuple) else str(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def election_rules(election: Election) -> counting.CountingRules:
    """The counting rules of the election's body under its cycle's rule set, counting options included."""
    values = election.cycle.rule_set.values()
    body = BODY_FOR_RULES[election.body]
    options = {name: values[name] for name in ("overvote_voids", "same_person_voids") if name in values}
    if options.get("same_person_voids") == "none" and values.get("has_cascade"):
        del options["same_person_voids"]  # an older version with 下靠: the counting's own safe default
    if body != counting.PARTY_BRANCH:  # the party branch follows CPC whatever the rule set says
        for name in ("runoff_pool", "majority_base"):
            if name in values:
                options[name] = values[name]
        # 0 in the rule set: every seat must be filled.
        options["min_members_to_leave_seats_empty"] = values.get("min_members_to_leave_seats_empty") or None
    return counting.rules_for(body, values, **options)


def election_posts(election: Election, rules: counting.CountingRules) -> list[counting.PostSeats]:
    seats = {
        counting.CHAIR: election.seats_chair,
        counting.VICE_CHAIR: election.seats_vice_chair,
        counting.MEMBER: election.seats_member,
        counting.WOMEN_MEMBER: election.seats_women_member,
    }
    if election.body == Body.PARTY_BRANCH:
        seats = {counting.MEMBER: election.seats_total}
    return [counting.PostSeats(post, n) for post, n in seats.items() if n and post in rules.posts]


def election_candidates(election: Election) -> list[counting.Candidate]:
    """The official candidates (passed the review) as the counting rules see them, with their close
    relatives among one another."""
    if not apps.is_installed("candidates"):
        return []
    from candidates.models import Candidate, CloseRelation

    rows = list(
        Candidate.objects.filter(election=election, status="passed").select_related("voter").order_by("id")
    )
    by_voter = {row.voter_id: str(row.pk) for row in rows}
    relatives: dict[str, set[str]] = {str(row.pk): set() for row in rows}
    for a, b in CloseRelation.objects.filter(voter_a_id__in=by_voter, voter_b_id__in=by_voter).values_list(
        "voter_a_id", "voter_b_id"
    ):
        relatives[by_voter[a]].add(by_voter[b])
        relatives[by_voter[b]].add(by_voter[a])
    return [
        counting.Candidate(
            id=str(row.pk),
            name=row.voter.name,
            post=row.post,
            gender=row.voter.gender,
            relatives=frozenset(relatives[str(row.pk)]),
        )
        for row in rows
    ]


def registered_count(election: Election) -> int:
    return Voter.objects.filter(
        **roll_for_election(election).filter_kwargs(), status__in=ACTIVE_VOTER
    ).count()


def _sheet_input(sheet: TallySheet) -> counting.TallySheet:
    votes = {}
    for key, n in (sheet.votes or {}).items():
        post, _sep, person = key.partition("|")
        votes[(post, person)] = n
    return counting.TallySheet(
        box=str(sheet.box_id),
        voted=sheet.voted,
        issued=sheet.issued,
        returned=sheet.returned,
        invalid=sheet.invalid,
        votes=votes,
        post_void=sheet.post_void or {},
    )


def round_totals(election: Election, round_number: int) -> counting.RoundTotals:
    """The round's totals from the agreed tally sheets of every box (all boxes must be agreed)."""
    boxes = BallotBox.objects.filter(election=election).count()
    if not boxes:
        raise ValidationError(_("Record the ballot boxes and enter their tally sheets first."))
    sheets = list(
        TallySheet.objects.filter(election=election, round_number=round_number, status=SheetStatus.AGREED)
    )
    if len(sheets) < boxes:
        raise ValidationError(
            _("%(agreed)s of %(boxes)s ballot boxes have an agreed tally sheet; all must be agreed first.")
            % {"agreed": len(sheets), "boxes": boxes}
        )
    return counting.combine_tally_sheets(registered_count(election), [_sheet_input(s) for s in sheets])


def current_result(election: Election, round_number: int | None = FIRST_ROUND) -> RoundResult | None:
    """The current version of a round's result (``None``: of the latest round computed)."""
    found = RoundResult.objects.filter(election=election, is_current=True)
    if round_number is not None:
        found = found.filter(round_number=round_number)
    return found.order_by("-round_number").first()


def totals_from_json(data: dict) -> counting.RoundTotals:
    """The ``RoundTotals`` a result stored (``plain`` turned the vote keys into ``post|person``)."""
    votes = {}
    for key, n in (data.get("votes") or {}).items():
        post, _sep, person = key.partition("|")
        votes[(post, person)] = n
    return counting.RoundTotals(
        registered=data["registered"],
        voted=data["voted"],
        issued=data["issued"],
        returned=data["returned"],
        invalid=data["invalid"],
        votes=votes,
        post_void=data.get("post_void") or {},
        proxy_voted=data.get("proxy_voted") or 0,
    )


def _runoff_outcome(election: Election, totals: counting.RoundTotals, runoff_day: date) -> dict:
    """另行选举: the run-off list drawn from the certified round 1, then the run-off's own count."""
    first = current_result(election, FIRST_ROUND)
    if first is None or not first.is_certified or not first.outcome.get("needs_runoff"):
        raise ValidationError(_("A run-off is counted after round 1 is certified with seats left."))
    rules = election_rules(election)
    posts = election_posts(election, rules)
    candidates = election_candidates(election)
    first_totals = totals_from_json(first.totals)
    round_one = decide_with_revotes(
        election,
        FIRST_ROUND,
        lambda resolved: counting.decide_winners(
            first_totals, candidates, posts, rules, resolved_ties=resolved
        ),
    )
    plan = counting.runoff_candidates(round_one, candidates, rules)
    outcome = decide_with_revotes(
        election,
        RUNOFF_ROUND,
        lambda resolved: counting.decide_runoff(
            totals,
            plan,
            candidates,
            rules,
            election_day=election.election_day,
            runoff_day=runoff_day,
            resolved_ties=resolved,
        ),
    )
    return {
        "round": RUNOFF_ROUND,
        "runoff_day": runoff_day.isoformat(),
        "decision": plain(outcome),
        "plan": plain(plan),
        "is_decided": outcome.is_decided,
        "needs_runoff": False,
        "needs_rerun": not outcome.validity.is_valid,
        "is_filled_in_first_round": False,
        "valid": totals.valid,
        "candidates": {c.id: {"name": c.name, "post": c.post, "gender": c.gender} for c in candidates},
    }


def _outcome(election: Election, totals: counting.RoundTotals, round_number: int) -> dict:
    rules = election_rules(election)
    posts = election_posts(election, rules)
    candidates = election_candidates(election)
    outcome = decide_with_revotes(  # ties settled by a recorded re-vote (services/ties.py)
        election,
        round_number,
        lambda resolved: counting.decide_winners(totals, candidates, posts, rules, resolved_ties=resolved),
    )
    data = {
        "round": round_number,
        "decision": plain(outcome),
        "is_decided": outcome.is_decided,
        "needs_runoff": outcome.needs_runoff,
        "needs_rerun": outcome.needs_rerun,
        "is_filled_in_first_round": outcome.is_filled_in_first_round,
        "valid": totals.valid,
        "candidates": {c.id: {"name": c.name, "post": c.post, "gender": c.gender} for c in candidates},
    }
    if outcome.needs_runoff:
        data["plan"] = plain(counting.runoff_candidates(outcome, candidates, rules))
    return data


@transaction.atomic
def results_compute(
    *,
    actor,
    election: Election,
    round_number: int = FIRST_ROUND,
    correction_reason: str = "",
    runoff_day: date | None = None,
) -> RoundResult:
    """Compute a round's result (计算选举结果) from the agreed tally sheets with the counting rules.

    A result not yet certified is replaced by the new computation (same version, figures refreshed);
    a certified one is final — recomputing it is a correction: a new version, a reason required, audited."""
    require_entry(actor)
    election = lock_election(actor, election)
    totals = round_totals(election, round_number)
    if round_number == RUNOFF_ROUND:
        outcome = _runoff_outcome(election, totals, runoff_day or timezone.localdate())
    else:
        outcome = _outcome(election, totals, round_number)
    current = (
        RoundResult.objects.select_for_update()
        .filter(election=election, round_number=round_number, is_current=True)
        .first()
    )
    reason = correction_reason.strip()
    event = "results.computed"
    before = None
    if current is not None and current.is_certified:
        if not reason:
            raise ValidationError(
                {"correction_reason": _("These results are certified. Give the reason for the correction.")}
            )
        current.is_current = False
        current.save(update_fields=["is_current"])
        result = RoundResult(
            election=election,
            round_number=round_number,
            version=current.version + 1,
            correction_reason=reason,
        )
        event, before = "results.corrected", {"version": current.version, "totals": current.totals}
    elif current is not None:
        result, before = current, {"version": current.version, "totals": current.totals}
        result.status = ResultStatus.COMPUTED
    else:
        result = RoundResult(election=election, round_number=round_number)
    result.totals = {**plain(totals), "valid": totals.valid}
    result.outcome = outcome
    result.computed_by = actor
    result.computed_at = timezone.now()
    result.full_clean()
    result.save()
    audit_record(
        actor=actor,
        event_type=event,
        region_code=election.region_id,
        obj=result,
        before=before,
        after={
            "version": result.version,
            "round": round_number,
            "totals": {k: result.totals[k] for k in ("registered", *FIGURES)},
            "status": outcome["decision"]["validity"]["status"],
            "elected": [e["person"] for e in outcome["decision"]["elected"]],
            "reason": reason,
        },
    )
    return result


def _advance(actor, election: Election, to_stage: str, today: date) -> Election:
    if election.stage == to_stage:
        return election
    return election_stage_advance(actor=actor, election=election, to_stage=to_stage, today=today)


def certification_blockers(election: Election) -> list:
    """Open serious complaints (the supervision app's answer, if it is installed)."""
    try:
        from election_admin.supervision.selectors import complaint_blocks_certification
    except ImportError:
        return []
    return list(complaint_blocks_certification(election))


@transaction.atomic
def results_certify(
    *,
    actor,
    result: RoundResult,
    confirmed: bool = False,
    despite_complaints: bool = False,
    today: date | None = None,
) -> RoundResult:
    """Certify a round's result (确认选举结果): township staff or above, after an explicit confirmation
    (and a second one if serious complaints are open). Round 1 moves the election to results certified,
    run-off or failed as the outcome says; the run-off to results certified. The headline figures are
    recorded for the dashboards."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    election = lock_election(actor, result.election)
    result = RoundResult.objects.select_for_update().get(pk=result.pk, election=election)
    if result.is_certified:
        raise ValidationError(_("These results are already certified."))
    if not result.is_current:
        raise ValidationError(_("A newer version of these results exists."))
    if not confirmed:
        raise ValidationError(_("Confirm that the results are correct and final."))
    blockers = certification_blockers(election)
    if blockers and not despite_complaints:
        raise ValidationError(
            _(
                "%(count)s serious complaints about this election are still open. Confirm that you certify despite them."
            )
            % {"count": len(blockers)}
        )
    outcome = result.outcome
    if not outcome["is_decided"] and not outcome["needs_rerun"]:
        raise ValidationError(_("A tie must be decided by another ballot before the results are certified."))
    if result.round_number == FIRST_ROUND:
        if election.stage == Stage.CANDIDATES_PUBLISHED:
            election = _advance(actor, election, Stage.VOTING_DONE, today)
        if election.stage == Stage.VOTING_DONE:
            if outcome["needs_rerun"]:
                target = Stage.FAILED
            elif outcome["needs_runoff"]:
                target = Stage.RUNOFF
            else:
                target = Stage.RESULTS_CERTIFIED
            election = _advance(actor, election, target, today)
    elif election.stage == Stage.RUNOFF:
        election = _advance(
            actor, election, Stage.RESULTS_CERTIFIED if outcome["is_decided"] else Stage.FAILED, today
        )
    if election.stage in (Stage.VOTING_DONE, Stage.RUNOFF, Stage.RESULTS_CERTIFIED):
        first = result if result.round_number == FIRST_ROUND else current_result(election, FIRST_ROUND)
        totals = first.totals
        election_results_record(
            actor=actor,
            election=election,
            registered_count=totals["registered"],
            voted_count=min(totals["voted"], totals["registered"]),
            filled_in_first_round=bool(first.outcome["is_filled_in_first_round"]),
            today=today,
        )
    result.status = ResultStatus.CERTIFIED
    result.certified_by = actor
    result.certified_at = timezone.now()
    result.full_clean()
    result.save()
    audit_record(
        actor=actor,
        event_type="results.certified",
        region_code=election.region_id,
        obj=result,
        after={
            "version": result.version,
            "round": result.round_number,
            "stage": election.stage,
            "open_complaints": len(blockers),
        },
    )
    transaction.on_commit(lambda: _enqueue_notice(result.pk))
    # Listeners (the statistics of the people elected) run after the commit; a failing listener is
    # logged, never undoes the certification.
    transaction.on_commit(
        lambda: result_certified.send(sender=RoundResult, result=result, election=result.election),
        robust=True,
    )
    return result


def _enqueue_notice(result_id: int) -> None:
    """After commit. With the broker down the result stays certified but the notice is not made (logged); there
    is no page action yet to request it again."""
    from election_admin.health import task_enqueue

    from ..tasks import result_notice_task

    task_enqueue(result_notice_task, result_id)


def result_reasons(result: RoundResult) -> list[dict]:
    """Every reason of the outcome (validity, posts, round), in order, for the results page."""
    decision = result.outcome.get("decision", {})
    reasons = list(decision.get("validity", {}).get("reasons", []))
    for post in decision.get("posts", []):
        reasons.extend(post.get("reasons", []))
    reasons.extend(decision.get("reasons", []))
    return reasons
