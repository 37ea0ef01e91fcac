"""Scoped reads of the candidates app: the pages' lists, the county overview, the department's queue,
and what other apps ask (departments for the staff form; who may not count votes, for ballots)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from election_admin import legal_calendar as cal
from election_admin.models import Election
from voters.models import Voter
from voters.services.rolls import roll_for_election

from .choices import CandidateStatus, JointReviewStatus, Outcome
from .models import Candidate, CloseRelation, Department, DepartmentVerdict, JointReview, Nomination
from .rules import candidates_needed
from .services.common import margin_for, post_label, posts_for


def department_choices() -> list[tuple[str, str]]:
    """(code, name) of the departments in use, for the staff form's department field."""
    return list(Department.objects.active().values_list("code", "name"))


def roll_search(user, election: Election, q: str, *, limit: int = 30) -> list[Voter]:
    """Voters of the election's roll the user may see, by name or the last four characters of the ID."""
    q = (q or "").strip()
    if not q:
        return []
    ref = roll_for_election(election)
    voters = Voter.objects.visible_to(user).filter(**ref.filter_kwargs())
    condition = Q(name__icontains=q)
    if len(q) == 4 and q[:3].isdigit() and (q[3].isdigit() or q[3] in "xX"):
        condition |= Q(id_masked__endswith=q.upper())
    return list(voters.filter(condition).order_by("name", "id")[:limit])


def election_nominations(user, election: Election):
    return (
        Nomination.objects.visible_to(user)
        .filter(election=election)
        .select_related("voter", "candidate")
        .order_by("post", "-tally", "recorded_at", "id")
    )


# --- The county overview ----------------------------------------------------------------------------


@dataclass
class OverviewRow:
    election: Election
    late_days: int = 0
    short: list[str] = field(default_factory=list)
    in_review: int = 0
    candidates: int = 0


def candidates_overview(user, *, area_code: str = "", today: date) -> list[OverviewRow]:
    """Every election of the user's area whose official list is not yet published and that is late
    (past the deadline), short of the margin, or still in review — what the county chases."""
    elections = (
        Election.objects.visible_to(user)
        .filter(election_day__isnull=False)
        .exclude(stage__in=[s for s in cal.STAGE_ORDER if cal.stage_reached(s, cal.CANDIDATES_PUBLISHED)])
        .exclude(stage__in=[cal.FAILED, cal.RERUN])
        .select_related("region", "cycle__rule_set")
        .order_by("region_id", "body")
    )
    if area_code:
        elections = elections.in_area(area_code)
    elections = list(elections)
    counts: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    rows = (
        Candidate.objects.filter(election__in=[e.pk for e in elections])
        .values("election_id", "post", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["election_id"]][row["post"]][row["status"]] += row["n"]
    result = []
    for election in elections:
        row = OverviewRow(election=election)
        due = election.deadline_dates().get(cal.CANDIDATES_DEADLINE) if election.deadlines else None
        row.late_days = cal.days_late(due, today)
        by_post = counts.get(election.pk, {})
        row.in_review = sum(s.get(CandidateStatus.IN_REVIEW, 0) for s in by_post.values())
        row.candidates = sum(sum(s.values()) for s in by_post.values())
        in_nomination = election.stage == cal.ROLL_PUBLISHED or row.candidates
        for post, seats in posts_for(election):
            low, _high = candidates_needed(seats, margin_for(election.cycle.rule_set, election, post))
            passed = by_post.get(post, {}).get(CandidateStatus.PASSED, 0)
            if passed < low and in_nomination:
                row.short.append(
                    _("%(post)s %(passed)s/%(needed)s")
                    % {"post": post_label(election, post), "passed": passed, "needed": low}
                )
        if row.late_days or (row.short and in_nomination) or row.in_review:
            result.append(row)
    return result


# --- Joint review -----------------------------------------------------------------------------------


def joint_reviews_visible(user):
    return (
        JointReview.objects.visible_to(user).select_related("region", "cycle").prefetch_related("departments")
    )


def department_of(user) -> Department | None:
    if not getattr(user, "is_department_reviewer", False):
        return None
    return Department.objects.filter(code=user.department_code).first()


@dataclass
class ReviewRow:
    candidate: Candidate
    verdicts: dict[int, DepartmentVerdict]  # department id → verdict


def joint_review_rows(user, review: JointReview) -> list[ReviewRow]:
    """The candidates of a joint review with the verdicts the user may see (a department: its own)."""
    candidates = list(
        Candidate.objects.visible_to(user)
        .filter(joint_review=review)
        .select_related("voter", "election__region", "nomination", "qualification_review")
        .order_by("election__region_id", "election__body", "post", "id")
    )
    verdicts = (
        DepartmentVerdict.objects.visible_to(user)
        .filter(joint_review=review)
        .select_related("negative_item", "entered_by")
    )
    by_candidate: dict[int, dict[int, DepartmentVerdict]] = defaultdict(dict)
    for verdict in verdicts:
        by_candidate[verdict.candidate_id][verdict.department_id] = verdict
    return [ReviewRow(candidate=c, verdicts=by_candidate.get(c.pk, {})) for c in candidates]


def joint_review_progress(review: JointReview) -> dict[int, int]:
    """Department id → candidates still waiting for that department's verdict."""
    waiting = Candidate.objects.filter(joint_review=review, status=CandidateStatus.IN_REVIEW)
    total = waiting.count()
    answered = dict(
        DepartmentVerdict.objects.filter(joint_review=review, candidate__in=waiting)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    return {d.pk: total - answered.get(d.pk, 0) for d in review.departments.all()}


def open_review_of(user, cycle_id: int, county_code: str) -> JointReview | None:
    return (
        JointReview.objects.visible_to(user)
        .filter(cycle_id=cycle_id, region_id=county_code, status=JointReviewStatus.OPEN)
        .first()
    )


# --- For the ballots app: who may not count (candidates and their close relatives) -------------------


def close_relatives(cycle_id: int, id_hash: str) -> list[tuple[Voter, str]]:
    """(voter, relation kind) of everyone declared a close relative of the person with ``id_hash``."""
    relations = (
        CloseRelation.objects.filter(cycle_id=cycle_id)
        .filter(Q(voter_a__id_hash=id_hash) | Q(voter_b__id_hash=id_hash))
        .select_related("voter_a", "voter_b")
    )
    found = []
    for relation in relations:
        other = relation.voter_b if relation.voter_a.id_hash == id_hash else relation.voter_a
        found.append((other, relation.kind))
    return found


def count_staff_conflict(*, election: Election, voter: Voter) -> str | None:
    """Why ``voter`` may not announce, count or scrutinise (唱票、计票、监票) at ``election``: a candidate of
    it (not withdrawn or struck), or a declared close relative of one. None when nothing stands against."""
    standing = (
        Candidate.objects.filter(election=election)
        .exclude(status__in=[CandidateStatus.WITHDRAWN, CandidateStatus.FAILED])
        .select_related("voter")
    )
    hashes = {c.voter.id_hash: c for c in standing}
    if voter.id_hash in hashes:
        return _("%(name)s is a candidate.") % {"name": voter.name}
    for relative, _kind in close_relatives(election.cycle_id, voter.id_hash):
        if relative.id_hash in hashes:
            return _("%(name)s is a close relative of candidate %(candidate)s.") % {
                "name": voter.name,
                "candidate": hashes[relative.id_hash].voter.name,
            }
    return None


def failed_verdicts(candidate: Candidate) -> list[DepartmentVerdict]:
    return list(
        DepartmentVerdict.objects.filter(candidate=candidate, outcome=Outcome.FAIL).select_related(
            "department", "negative_item"
        )
    )
