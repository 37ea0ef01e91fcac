"""The stage machine of an election (选举阶段): the only way an election's stage changes.

Later apps call ``election_stage_advance`` when the roll is published (voters), the candidate list is
published (candidates) or the count is entered (ballots). Each move locks the row, checks that the
transition exists and that the law allows it now (deadlines, roll before candidates, committee formed),
records the date, recomputes the next deadline, moves the progress counters and writes the audit event.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

from .. import legal_calendar as cal
from ..choices import Role
from ..choices_cycles import DEADLINE_LABELS, Stage
from ..models import Election
from .elections import _lock_visible, election_calendar_refresh
from .progress import progress_move, progress_snapshot

STAGE_ROLES = frozenset({Role.VILLAGE_CLERK, Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})


def stage_may_advance(user) -> bool:
    """Village clerks, township staff and county bureaus move stages; city and province bureaus watch."""
    return user.is_authenticated and user.role in STAGE_ROLES


def stage_late_deadline(election: Election, to_stage: str, today: date) -> tuple[str, date] | None:
    """The deadline a move into ``to_stage`` today would miss, if any."""
    key = cal.STAGE_ENTRY_DEADLINE.get(to_stage)
    if key is None or not election.deadlines:
        return None
    due = election.deadline_dates()[key]
    return (key, due) if today > due else None


def _check_law(election: Election, to_stage: str, today: date) -> None:
    rules = election.cycle.rule_set
    if to_stage == cal.COMMITTEE_FORMED:
        serving = election.committee.filter(is_active=True).count()
        if serving < rules.election_committee_size_min:
            raise ValidationError(
                _("The election committee has %(count)s members; at least %(min)s are required.")
                % {"count": serving, "min": rules.election_committee_size_min}
            )
    if (
        to_stage in (cal.ROLL_PUBLISHED, cal.CANDIDATES_PUBLISHED, cal.VOTING_DONE)
        and election.election_day is None
    ):
        raise ValidationError(_("Set the election day first: the deadlines are counted back from it."))
    if to_stage == cal.CANDIDATES_PUBLISHED:
        roll_on = election.reached_dates().get(cal.ROLL_PUBLISHED)
        if roll_on is None or roll_on > today:
            raise ValidationError(_("The candidate list cannot be published before the voter roll."))
    if to_stage == cal.VOTING_DONE and today < election.election_day:
        raise ValidationError(
            _("Voting cannot be recorded before the election day (%(day)s).")
            % {"day": election.election_day.isoformat()}
        )


@transaction.atomic
def election_stage_advance(
    *,
    actor,
    election: Election,
    to_stage: str,
    exception_reason: str | None = None,
    today: date | None = None,
) -> Election:
    """Move an election to its next stage (推进选举阶段) if the law allows it today.

    A move that misses its deadline (e.g. the roll published later than D-20) is refused unless an
    ``exception_reason`` is given; the exception is stored on the election and audited on its own."""
    if not stage_may_advance(actor):
        raise PermissionDenied(_("City and province bureaus follow progress; they do not move stages."))
    today = today or timezone.localdate()
    election = _lock_visible(actor, election.pk)
    from_stage = election.stage
    if not cal.can_transition(from_stage, to_stage):
        raise ValidationError(
            _("An election at “%(from)s” cannot move to “%(to)s”.")
            % {"from": Stage(from_stage).label, "to": Stage(to_stage).label}
        )
    _check_law(election, to_stage, today)
    late = stage_late_deadline(election, to_stage, today)
    reason = (exception_reason or "").strip()
    if late and not reason:
        key, due = late
        raise ValidationError(
            _(
                "“%(deadline)s” was due by %(due)s (%(days)s days ago). Record the reason for the exception to go on."
            )
            % {"deadline": DEADLINE_LABELS[key], "due": due.isoformat(), "days": (today - due).days}
        )
    before = progress_snapshot(election)
    election.stage = to_stage
    election.stage_changed_at = timezone.now()
    election.stage_dates = {**election.stage_dates, to_stage: today.isoformat()}
    if to_stage == cal.RESULTS_CERTIFIED and election.results_on is None:
        election.results_on = today
    if late:
        key, due = late
        election.exceptions = [
            *election.exceptions,
            {
                "deadline": key,
                "due": due.isoformat(),
                "done": today.isoformat(),
                "reason": reason,
                "by": actor.get_username(),
            },
        ]
    election_calendar_refresh(election, election.cycle.rule_set)
    election.full_clean()
    election.save()
    progress_move(before=before, after=progress_snapshot(election))
    audit_record(
        actor=actor,
        event_type="election.stage_advanced",
        region_code=election.region_id,
        obj=election,
        before={"stage": from_stage},
        after={
            "stage": to_stage,
            "on": today,
            "next_deadline": election.next_deadline_key,
            "next_deadline_on": election.next_deadline_on,
        },
    )
    if late:
        audit_record(
            actor=actor,
            event_type="election.deadline_exception",
            region_code=election.region_id,
            obj=election,
            after=election.exceptions[-1],
        )
    return election


@transaction.atomic
def election_results_record(
    *,
    actor,
    election: Election,
    registered_count: int,
    voted_count: int,
    filled_in_first_round: bool,
    today: date | None = None,
) -> Election:
    """Record the headline results the dashboards report (registered, voted, committee filled in round 1).
    The ballots app calls this when a count is certified."""
    if not stage_may_advance(actor):
        raise PermissionDenied(_("City and province bureaus follow progress; they do not move stages."))
    today = today or timezone.localdate()
    election = _lock_visible(actor, election.pk)
    if election.stage not in (cal.VOTING_DONE, cal.RUNOFF, cal.RESULTS_CERTIFIED):
        raise ValidationError(_("Results are recorded after voting."))
    if voted_count > registered_count:
        raise ValidationError({"voted_count": _("More voters voted than are registered.")})
    before = progress_snapshot(election)
    old = {
        "registered_count": election.registered_count,
        "voted_count": election.voted_count,
        "filled_in_first_round": election.filled_in_first_round,
    }
    election.registered_count, election.voted_count = registered_count, voted_count
    election.filled_in_first_round = filled_in_first_round
    election.results_on = election.results_on or today
    election_calendar_refresh(election, election.cycle.rule_set)
    election.full_clean()
    election.save()
    progress_move(before=before, after=progress_snapshot(election))
    audit_record(
        actor=actor,
        event_type="election.results_recorded",
        region_code=election.region_id,
        obj=election,
        before=old,
        after={
            "registered_count": registered_count,
            "voted_count": voted_count,
            "filled_in_first_round": filled_in_first_round,
        },
    )
    return election
