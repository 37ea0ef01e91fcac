"""The legal calendar of one election and its stage machine — pure logic, no Django import.

Every number comes from a rule set (``CalendarRules``); the offsets are the ones a province varies
(domain.md §7). ``deadlines_for`` turns an election day into dated deadlines; ``next_deadline`` says
which one an election at a given stage is working towards; ``TRANSITIONS`` is the stage machine the
stage service enforces. Later apps (voters, candidates, ballots) move elections along it through
``election_admin.services.stages.election_stage_advance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# --- Legal bounds of every rule-set number (domain.md; used by model CHECK constraints and forms) ---
# (minimum, maximum), both inclusive.
RULE_BOUNDS: dict[str, tuple[int, int]] = {
    "roll_publish_days_before": (20, 40),  # the roll is published at least 20 days before D
    "objection_window_days": (1, 10),  # objections within 5 days of publication (national)
    "objection_answer_days": (1, 5),  # the committee decides within 3 days of receipt
    "candidate_list_days_before": (3, 7),  # official candidates: 5 days before D (range 3–7)
    "withdrawal_days_before": (1, 7),  # a candidate withdraws in writing 3 days before D (ZJ §18)
    "proxy_limit": (1, 3),  # at most 3 principals per proxy (range 1–3)
    "proxy_filing_days_before": (1, 7),  # proxies filed 3 days before D (SH 5)
    "chair_margin_min": (1, 5),  # 差额: more candidates than seats
    "chair_margin_max": (1, 5),
    "vice_chair_margin_min": (1, 5),
    "vice_chair_margin_max": (1, 5),
    "member_margin_min": (1, 5),
    "member_margin_max": (1, 5),
    "party_margin_percent": (20, 50),  # party branch: at least 20% more candidates than seats
    "villagers_committee_size_min": (3, 7),
    "villagers_committee_size_max": (3, 7),
    "residents_committee_size_min": (5, 9),
    "residents_committee_size_max": (5, 9),
    "supervision_committee_size_min": (3, 7),
    "supervision_committee_size_max": (3, 7),
    "party_branch_size_min": (3, 7),
    "party_branch_size_max": (3, 7),
    "election_committee_size_min": (3, 9),
    "election_committee_size_max": (3, 9),
    "runoff_window_days": (0, 30),  # run-off the same day or within 30 days
    "handover_days": (1, 10),  # hand over within 10 days
    "runoff_threshold_numerator": (1, 1),
    "runoff_threshold_denominator": (2, 3),  # a run-off winner needs at least 1/3 (or a stricter 1/2)
    "term_years": (5, 5),
}

# Pairs (minimum field, maximum field) that must be ordered.
RULE_RANGES: list[tuple[str, str]] = [
    ("chair_margin_min", "chair_margin_max"),
    ("vice_chair_margin_min", "vice_chair_margin_max"),
    ("member_margin_min", "member_margin_max"),
    ("villagers_committee_size_min", "villagers_committee_size_max"),
    ("residents_committee_size_min", "residents_committee_size_max"),
    ("supervision_committee_size_min", "supervision_committee_size_max"),
    ("party_branch_size_min", "party_branch_size_max"),
    ("election_committee_size_min", "election_committee_size_max"),
]


def rule_errors(values: dict[str, int]) -> dict[str, str]:
    """Field → English message for every number outside its legal bounds or range (empty when lawful)."""
    errors: dict[str, str] = {}
    for field, (low, high) in RULE_BOUNDS.items():
        value = values.get(field)
        if value is None:
            continue
        if not low <= value <= high:
            errors[field] = f"{low}–{high}"
    for low_field, high_field in RULE_RANGES:
        low, high = values.get(low_field), values.get(high_field)
        if low is not None and high is not None and low > high and high_field not in errors:
            errors[high_field] = "range"
    return errors


# --- Stages ---------------------------------------------------------------------------------------
PREPARATION = "preparation"
COMMITTEE_FORMED = "committee_formed"
ROLL_PUBLISHED = "roll_published"
CANDIDATES_PUBLISHED = "candidates_published"
VOTING_DONE = "voting_done"
RUNOFF = "runoff"
RESULTS_CERTIFIED = "results_certified"
HANDED_OVER = "handed_over"
FAILED = "failed"
RERUN = "rerun"

# The main line, in order (the funnel of the dashboards).
STAGE_ORDER = [
    PREPARATION,
    COMMITTEE_FORMED,
    ROLL_PUBLISHED,
    CANDIDATES_PUBLISHED,
    VOTING_DONE,
    RUNOFF,
    RESULTS_CERTIFIED,
    HANDED_OVER,
]
ALL_STAGES = STAGE_ORDER + [FAILED, RERUN]

TRANSITIONS: dict[str, frozenset[str]] = {
    PREPARATION: frozenset({COMMITTEE_FORMED}),
    COMMITTEE_FORMED: frozenset({ROLL_PUBLISHED}),
    ROLL_PUBLISHED: frozenset({CANDIDATES_PUBLISHED}),
    CANDIDATES_PUBLISHED: frozenset({VOTING_DONE}),
    VOTING_DONE: frozenset({RESULTS_CERTIFIED, RUNOFF, FAILED}),
    RUNOFF: frozenset({RESULTS_CERTIFIED, FAILED}),
    RESULTS_CERTIFIED: frozenset({HANDED_OVER}),
    HANDED_OVER: frozenset(),
    FAILED: frozenset({RERUN}),
    RERUN: frozenset({VOTING_DONE}),
}

# Stages at which voting has taken place (the election was "held").
HELD_STAGES = frozenset({VOTING_DONE, RUNOFF, RESULTS_CERTIFIED, HANDED_OVER, FAILED, RERUN})
# Stages counted as complete on the dashboards.
COMPLETE_STAGES = frozenset({RESULTS_CERTIFIED, HANDED_OVER})

# --- Deadlines ------------------------------------------------------------------------------------
ROLL_DEADLINE = "roll_published"
OBJECTIONS_CLOSED = "objections_closed"
OBJECTIONS_ANSWERED = "objections_answered"
CANDIDATES_DEADLINE = "candidates_published"
PROXIES_FILED = "proxies_filed"
ELECTION_DAY = "election_day"
RUNOFF_DEADLINE = "runoff_by"
HANDOVER_DEADLINE = "handover_by"

DEADLINE_ORDER = [
    ROLL_DEADLINE,
    OBJECTIONS_CLOSED,
    OBJECTIONS_ANSWERED,
    CANDIDATES_DEADLINE,
    PROXIES_FILED,
    ELECTION_DAY,
    RUNOFF_DEADLINE,
    HANDOVER_DEADLINE,
]

# The deadline an election at each stage is working towards (None: nothing due).
STAGE_NEXT_DEADLINE: dict[str, str | None] = {
    PREPARATION: ROLL_DEADLINE,
    COMMITTEE_FORMED: ROLL_DEADLINE,
    ROLL_PUBLISHED: CANDIDATES_DEADLINE,
    CANDIDATES_PUBLISHED: ELECTION_DAY,
    VOTING_DONE: RUNOFF_DEADLINE,
    RUNOFF: RUNOFF_DEADLINE,
    RESULTS_CERTIFIED: HANDOVER_DEADLINE,
    HANDED_OVER: None,
    FAILED: None,
    RERUN: ELECTION_DAY,
}

# The deadline that a move *into* a stage must meet (late moves need an audited exception).
STAGE_ENTRY_DEADLINE: dict[str, str] = {
    ROLL_PUBLISHED: ROLL_DEADLINE,
    CANDIDATES_PUBLISHED: CANDIDATES_DEADLINE,
    RESULTS_CERTIFIED: RUNOFF_DEADLINE,
    HANDED_OVER: HANDOVER_DEADLINE,
}

# Deadlines that call for an action, and the stage whose reaching meets each of them.
ACTION_DEADLINES: dict[str, str] = {
    ROLL_DEADLINE: ROLL_PUBLISHED,
    CANDIDATES_DEADLINE: CANDIDATES_PUBLISHED,
    ELECTION_DAY: VOTING_DONE,
    RUNOFF_DEADLINE: RESULTS_CERTIFIED,
    HANDOVER_DEADLINE: HANDED_OVER,
}


def stage_reached(stage: str, target: str) -> bool:
    """True when an election at ``stage`` has reached (or passed) ``target`` on the main line."""
    if stage in (FAILED, RERUN):
        # A failed or re-run election has been through everything up to the vote.
        return target in STAGE_ORDER and STAGE_ORDER.index(target) <= STAGE_ORDER.index(VOTING_DONE)
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(target)


@dataclass(frozen=True)
class CalendarRules:
    """The offsets of a rule set that the calendar needs (all in days)."""

    roll_publish_days_before: int = 20
    objection_window_days: int = 5
    objection_answer_days: int = 3
    candidate_list_days_before: int = 5
    proxy_filing_days_before: int = 3
    runoff_window_days: int = 30
    handover_days: int = 10


def deadlines_for(
    election_day: date, rules: CalendarRules, *, results_on: date | None = None
) -> dict[str, date]:
    """Dated deadlines of an election held on ``election_day`` (D).

    Roll by D-20, objections closed 5 days after that and answered 3 days later, official candidates by
    D-5, proxies by D-3, the run-off within 30 days of D, and the handover within 10 days of the results
    (of D while no results are recorded). All offsets come from ``rules``.
    """
    roll = election_day - timedelta(days=rules.roll_publish_days_before)
    objections_closed = roll + timedelta(days=rules.objection_window_days)
    return {
        ROLL_DEADLINE: roll,
        OBJECTIONS_CLOSED: objections_closed,
        OBJECTIONS_ANSWERED: objections_closed + timedelta(days=rules.objection_answer_days),
        CANDIDATES_DEADLINE: election_day - timedelta(days=rules.candidate_list_days_before),
        PROXIES_FILED: election_day - timedelta(days=rules.proxy_filing_days_before),
        ELECTION_DAY: election_day,
        RUNOFF_DEADLINE: election_day + timedelta(days=rules.runoff_window_days),
        HANDOVER_DEADLINE: (results_on or election_day) + timedelta(days=rules.handover_days),
    }


def next_deadline(stage: str, deadlines: dict[str, date] | None) -> tuple[str | None, date | None]:
    """The deadline an election at ``stage`` works towards, and its date (None when nothing is due
    or no election day is set yet)."""
    key = STAGE_NEXT_DEADLINE[stage]
    if key is None or not deadlines:
        return key, None
    return key, deadlines.get(key)


def can_transition(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, frozenset())


def missed_deadlines(
    stage: str, deadlines: dict[str, date], today: date, reached_on: dict[str, date] | None = None
) -> list[tuple[str, date, date | None]]:
    """Action deadlines an election at ``stage`` has missed on ``today``, in calendar order, as
    (deadline, due date, date it was met late or None when still not met).

    A deadline not yet met is missed once it is past; one already met is missed when the stage was
    reached after it (e.g. election day moved earlier after the roll was published)."""
    reached_on = reached_on or {}
    missed = []
    for key in DEADLINE_ORDER:
        meeting_stage = ACTION_DEADLINES.get(key)
        if meeting_stage is None:
            continue
        due = deadlines[key]
        if stage_reached(stage, meeting_stage):
            met_on = reached_on.get(meeting_stage)
            # Voting is on election day by definition; entering the count a day later is not late.
            if met_on is not None and met_on > due and key != ELECTION_DAY:
                missed.append((key, due, met_on))
        elif due < today and stage != FAILED:
            missed.append((key, due, None))
    return missed


def days_late(due_on: date | None, today: date) -> int:
    """Days past ``due_on`` (0 when not late or nothing is due)."""
    if due_on is None:
        return 0
    return max(0, (today - due_on).days)
