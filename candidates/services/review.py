"""The review of candidates: the township's qualification review (资格审查), then the county's joint
review (联审) in which each department gives pass or fail on each candidate; only the county bureau opens
and closes a joint review, and a closed one takes no more verdicts. Candidates' details are kept here too."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, audit_record_on_its_own
from election_admin.choices import RegionLevel
from election_admin.models import Cycle, Region
from election_admin.scoping import region_in_area
from voters.pii import decrypt
from voters.services.rolls import pii_may_reveal

from ..choices import CandidateStatus, JointReviewStatus, Outcome
from ..models import (
    Candidate,
    Department,
    DepartmentVerdict,
    JointReview,
    NegativeListItem,
    Occupation,
    QualificationReview,
)
from .common import (
    joint_review_may_run,
    lock_election,
    require_editor,
    require_joint_review_runner,
    require_nominations_open,
)
from .nominations import check_candidate_details


def _lock_candidate(actor, candidate: Candidate) -> Candidate:
    locked = (
        Candidate.objects.visible_to(actor)
        .select_related("voter", "election__cycle__rule_set", "election__region")
        .select_for_update(of=("self",))
        .filter(pk=candidate.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This candidate does not exist or is outside your area."))
    return locked


@transaction.atomic
def candidate_update(
    *,
    actor,
    candidate: Candidate,
    education: str,
    party_membership: str,
    occupation: Occupation | None,
    is_incumbent: bool,
    is_dual_role_intended: bool,
) -> Candidate:
    """Change a candidate's details for the statistics (文化程度、政治面貌、职业、是否连任、拟一肩挑)."""
    require_editor(actor)
    lock_election(actor, candidate.election_id)
    candidate = _lock_candidate(actor, candidate)
    check_candidate_details(
        candidate.election,
        candidate.post,
        education=education,
        party_membership=party_membership,
        is_dual_role_intended=is_dual_role_intended,
    )
    fields = ("education", "party_membership", "occupation_id", "is_incumbent", "is_dual_role_intended")
    before = {f: getattr(candidate, f) for f in fields}
    candidate.education, candidate.party_membership, candidate.occupation = (
        education,
        party_membership,
        occupation,
    )
    candidate.is_incumbent, candidate.is_dual_role_intended = is_incumbent, is_dual_role_intended
    candidate.full_clean(validate_constraints=False)
    candidate.save()
    after = {f: getattr(candidate, f) for f in fields}
    audit_record(
        actor=actor,
        event_type="candidate.updated",
        region_code=candidate.election.region_id,
        obj=candidate,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return candidate


def _check_ground(outcome: str, negative_item: NegativeListItem | None, reason: str) -> None:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose pass or fail.")})
    if outcome == Outcome.FAIL and negative_item is None:
        raise ValidationError({"negative_item": _("A fail names its ground from the negative list.")})
    if outcome == Outcome.FAIL and negative_item.needs_detail and not reason.strip():
        raise ValidationError({"reason": _("This ground needs a written detail.")})


def open_joint_review_for(candidate: Candidate) -> JointReview | None:
    county = candidate.election.region_id[:6]
    return JointReview.objects.filter(
        cycle_id=candidate.election.cycle_id, region_id=county, status=JointReviewStatus.OPEN
    ).first()


@transaction.atomic
def qualification_review_record(
    *,
    actor,
    candidate: Candidate,
    outcome: str,
    negative_item: NegativeListItem | None = None,
    reason: str = "",
) -> QualificationReview:
    """资格审查 — the township's preliminary review: a pass sends the candidate to the county's joint review
    (its open batch, or the next one), a fail on a negative-list ground strikes the candidate."""
    require_editor(actor)
    election = lock_election(actor, candidate.election_id)
    require_nominations_open(election)
    candidate = _lock_candidate(actor, candidate)
    if candidate.status == CandidateStatus.WITHDRAWN:
        raise ValidationError(_("%(name)s has withdrawn.") % {"name": candidate.voter.name})
    if candidate.joint_review_id is not None:
        raise ValidationError(
            _("%(name)s is already in the county's joint review; the township review can no longer change.")
            % {"name": candidate.voter.name}
        )
    _check_ground(outcome, negative_item, reason)
    existing = QualificationReview.objects.filter(candidate=candidate).first()
    before = {"outcome": existing.outcome, "ground": str(existing.negative_item or "")} if existing else None
    review = existing or QualificationReview(candidate=candidate)
    review.outcome = outcome
    review.negative_item = negative_item if outcome == Outcome.FAIL else None
    review.reason = reason.strip()[:300]
    review.reviewed_by, review.reviewed_at = actor, timezone.now()
    review.full_clean()
    review.save()
    candidate.status = CandidateStatus.FAILED if outcome == Outcome.FAIL else CandidateStatus.IN_REVIEW
    if outcome == Outcome.PASS:
        candidate.joint_review = open_joint_review_for(candidate)
    candidate.save(update_fields=["status", "joint_review", "updated_at"])
    audit_record(
        actor=actor,
        event_type="candidate.reviewed",
        region_code=election.region_id,
        obj=candidate,
        before=before,
        after={
            "review": "qualification",
            "outcome": outcome,
            "ground": str(review.negative_item or ""),
            "reason": review.reason,
            "name": candidate.voter.name,
            "joint_review": candidate.joint_review_id,
        },
    )
    return review


def waiting_for_joint_review(cycle: Cycle, county_code: str):
    """Candidates of a county that passed the township review and wait for a joint review."""
    return Candidate.objects.filter(
        election__cycle=cycle,
        election__region__code__startswith=county_code,
        status=CandidateStatus.IN_REVIEW,
        joint_review__isnull=True,
        qualification_review__outcome=Outcome.PASS,
    )


@transaction.atomic
def joint_review_open(*, actor, cycle: Cycle, county: Region, departments: list[Department]) -> JointReview:
    """联审 — open a joint-review batch of a county with the departments that check: every candidate waiting
    (passed the township review) joins it, and so does every candidate who passes later while it is open."""
    require_joint_review_runner(actor)
    if county.level != RegionLevel.COUNTY or not region_in_area(county.code, actor.area_code):
        raise ValidationError(_("Choose a county within your area."))
    cycle = Cycle.objects.visible_to(actor).filter(pk=cycle.pk).first()
    if cycle is None or not county.code.startswith(cycle.region_id):
        raise ValidationError(_("This cycle does not cover the county."))
    departments = [d for d in departments if d.is_active]
    if not departments:
        raise ValidationError(
            {"departments": _("Choose the departments that take part in the joint review.")}
        )
    open_one = JointReview.objects.select_for_update().filter(
        cycle=cycle, region=county, status=JointReviewStatus.OPEN
    )
    if open_one.exists():
        raise ValidationError(
            _("Joint review #%(number)s of %(county)s is still open: close it before opening another.")
            % {"number": open_one.first().number, "county": county.name}
        )
    waiting = list(waiting_for_joint_review(cycle, county.code).select_for_update(of=("self",)))
    if not waiting:
        raise ValidationError(
            _("No candidate of %(county)s has passed the township review and waits.")
            % {"county": county.name}
        )
    last = JointReview.objects.filter(cycle=cycle, region=county).order_by("-number").first()
    review = JointReview(cycle=cycle, region=county, number=(last.number + 1) if last else 1, opened_by=actor)
    review.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ValidationError(_("Another joint review of this county was opened a moment ago.")) from None
    review.departments.set(departments)
    Candidate.objects.filter(pk__in=[c.pk for c in waiting]).update(
        joint_review=review, updated_at=timezone.now()
    )
    audit_record(
        actor=actor,
        event_type="joint_review.opened",
        region_code=county.code,
        obj=review,
        after={
            "number": review.number,
            "departments": [d.code for d in departments],
            "candidates": len(waiting),
        },
    )
    return review


def _lock_review(actor, review: JointReview) -> JointReview:
    locked = (
        JointReview.objects.visible_to(actor)
        .select_related("region")
        .select_for_update(of=("self",))
        .filter(pk=review.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This joint review does not exist or is outside your area."))
    return locked


def _require_open(review: JointReview) -> None:
    if review.status != JointReviewStatus.OPEN:
        raise ValidationError(
            _(
                "Joint review #%(number)s closed on %(closed)s: verdicts can no longer be entered or changed. "
                "A candidate reviewed again goes to a new joint review."
            )
            % {"number": review.number, "closed": timezone.localtime(review.closed_at).date().isoformat()}
        )


def _check_verdict_author(actor, review: JointReview, department: Department, paper_reference: str) -> bool:
    """True when the bureau enters the verdict on the department's behalf (then the paper's reference is
    required); a department's own staff enter only their department's verdicts."""
    if getattr(actor, "is_department_reviewer", False):
        if actor.department_code != department.code:
            raise PermissionDenied(_("You enter the verdicts of your own department only."))
        return False
    if not joint_review_may_run(actor):
        raise PermissionDenied(
            _("Joint-review verdicts are entered by the department's staff or by the county bureau.")
        )
    if not paper_reference.strip():
        raise ValidationError(
            {
                "paper_reference": _(
                    "Entering %(department)s's verdict on its behalf: give the reference of the department's "
                    "written reply."
                )
                % {"department": department.name}
            }
        )
    return True


def _verdict_candidate(review: JointReview, candidate: Candidate) -> Candidate:
    found = Candidate.objects.select_related("voter").filter(pk=candidate.pk, joint_review=review).first()
    if found is None:
        raise ValidationError(
            _("This candidate is not in joint review #%(number)s.") % {"number": review.number}
        )
    if found.status != CandidateStatus.IN_REVIEW:
        raise ValidationError(
            _("%(name)s is %(status)s; no verdict is needed.")
            % {"name": found.voter.name, "status": found.get_status_display()}
        )
    return found


def _review_department(review: JointReview, department: Department) -> Department:
    if not review.departments.filter(pk=department.pk).exists():
        raise ValidationError(
            {
                "department": _("%(department)s does not take part in this joint review.")
                % {"department": department.name}
            }
        )
    return department


def _save_verdict(
    *, actor, review, candidate, department, outcome, negative_item, reason, paper_reference, on_behalf
) -> DepartmentVerdict:
    verdict = DepartmentVerdict.objects.filter(
        joint_review=review, candidate=candidate, department=department
    ).first()
    before = (
        {"outcome": verdict.outcome, "ground": str(verdict.negative_item or ""), "reason": verdict.reason}
        if verdict
        else None
    )
    verdict = verdict or DepartmentVerdict(joint_review=review, candidate=candidate, department=department)
    verdict.outcome = outcome
    verdict.negative_item = negative_item if outcome == Outcome.FAIL else None
    verdict.reason = reason.strip()[:300]
    verdict.is_on_behalf = on_behalf
    verdict.paper_reference = paper_reference.strip()[:100]
    verdict.entered_by, verdict.entered_at = actor, timezone.now()
    verdict.full_clean(validate_constraints=False)
    verdict.save()
    audit_record(
        actor=actor,
        event_type="joint_review.verdict",
        region_code=candidate.election.region_id,
        obj=verdict,
        before=before,
        after={
            "joint_review": review.number,
            "department": department.code,
            "candidate": candidate.voter.id_masked,
            "name": candidate.voter.name,
            "outcome": outcome,
            "ground": str(verdict.negative_item or ""),
            "reason": verdict.reason,
            "on_behalf": on_behalf,
            "paper_reference": verdict.paper_reference,
        },
    )
    return verdict


@transaction.atomic
def department_verdict_enter(
    *,
    actor,
    review: JointReview,
    candidate: Candidate,
    department: Department,
    outcome: str,
    negative_item: NegativeListItem | None = None,
    reason: str = "",
    paper_reference: str = "",
) -> DepartmentVerdict:
    """联审意见 — one department's pass or fail (on a negative-list ground) on one candidate, entered by
    that department's staff, or by the county bureau on its behalf with the reference of its paper reply.
    A verdict may be corrected while the joint review is open; every entry is audited."""
    review = _lock_review(actor, review)
    on_behalf = _check_verdict_author(actor, review, department, paper_reference)
    _require_open(review)
    department = _review_department(review, department)
    candidate = _verdict_candidate(review, candidate)
    _check_ground(outcome, negative_item, reason)
    return _save_verdict(
        actor=actor,
        review=review,
        candidate=candidate,
        department=department,
        outcome=outcome,
        negative_item=negative_item,
        reason=reason,
        paper_reference=paper_reference,
        on_behalf=on_behalf,
    )


@transaction.atomic
def department_verdicts_pass_remaining(
    *, actor, review: JointReview, department: Department, paper_reference: str = ""
) -> int:
    """A department finds nothing against the candidates it has not yet answered for: all of them pass
    (departments usually report only the problems). Returns how many verdicts were entered."""
    review = _lock_review(actor, review)
    on_behalf = _check_verdict_author(actor, review, department, paper_reference)
    _require_open(review)
    department = _review_department(review, department)
    answered = DepartmentVerdict.objects.filter(joint_review=review, department=department).values(
        "candidate_id"
    )
    remaining = (
        Candidate.objects.select_related("voter", "election")
        .filter(joint_review=review, status=CandidateStatus.IN_REVIEW)
        .exclude(pk__in=answered)
        .order_by("id")
    )
    count = 0
    for candidate in remaining:
        _save_verdict(
            actor=actor,
            review=review,
            candidate=candidate,
            department=department,
            outcome=Outcome.PASS,
            negative_item=None,
            reason="",
            paper_reference=paper_reference,
            on_behalf=on_behalf,
        )
        count += 1
    return count


@dataclass(frozen=True)
class ReviewClosing:
    review: JointReview
    passed: list[Candidate]
    failed: list[Candidate]


@transaction.atomic
def joint_review_close(*, actor, review: JointReview) -> ReviewClosing:
    """Close a joint review (联审结束) once every department has answered for every candidate: a candidate
    failed by any department is struck (审查不通过), the others pass. Only the county bureau closes."""
    require_joint_review_runner(actor)
    review = _lock_review(actor, review)
    _require_open(review)
    departments = list(review.departments.order_by("sort_order", "code"))
    candidates = list(
        Candidate.objects.select_for_update(of=("self",))
        .select_related("voter", "election")
        .filter(joint_review=review, status=CandidateStatus.IN_REVIEW)
        .order_by("id")
    )
    verdicts: dict[tuple[int, int], DepartmentVerdict] = {
        (v.candidate_id, v.department_id): v
        for v in DepartmentVerdict.objects.filter(joint_review=review, candidate__in=candidates)
    }
    missing = []
    for department in departments:
        lacking = [c for c in candidates if (c.pk, department.pk) not in verdicts]
        if lacking:
            missing.append(
                _("%(department)s has not answered for %(count)s candidate(s) (%(names)s)")
                % {
                    "department": department.name,
                    "count": len(lacking),
                    "names": "、".join(c.voter.name for c in lacking[:5]) + ("…" if len(lacking) > 5 else ""),
                }
            )
    if missing:
        raise ValidationError(
            _("Joint review #%(number)s cannot close yet: %(missing)s.")
            % {"number": review.number, "missing": "; ".join(missing)}
        )
    passed, failed = [], []
    for candidate in candidates:
        fails = [
            verdicts[(candidate.pk, d.pk)]
            for d in departments
            if verdicts[(candidate.pk, d.pk)].outcome == Outcome.FAIL
        ]
        candidate.status = CandidateStatus.FAILED if fails else CandidateStatus.PASSED
        candidate.save(update_fields=["status", "updated_at"])
        (failed if fails else passed).append(candidate)
        audit_record(
            actor=actor,
            event_type="candidate.reviewed",
            region_code=candidate.election.region_id,
            obj=candidate,
            after={
                "review": "joint",
                "joint_review": review.number,
                "outcome": Outcome.FAIL if fails else Outcome.PASS,
                "name": candidate.voter.name,
                "failed_by": [f"{v.department.name}：{v.negative_item}" for v in fails],
            },
        )
    review.status, review.closed_by, review.closed_at = JointReviewStatus.CLOSED, actor, timezone.now()
    review.save(update_fields=["status", "closed_by", "closed_at"])
    audit_record(
        actor=actor,
        event_type="joint_review.closed",
        region_code=review.region_id,
        obj=review,
        after={"number": review.number, "passed": len(passed), "failed": len(failed)},
    )
    return ReviewClosing(review=review, passed=passed, failed=failed)


def candidate_reveal_id(*, actor, candidate: Candidate) -> str:
    """显示完整身份证号 — for the departments of the joint review (who check records by it), the county bureau
    and township staff; every reveal is an audit event."""
    allowed = getattr(actor, "is_department_reviewer", False) or pii_may_reveal(actor)
    if not allowed:
        raise PermissionDenied(
            _("Only township staff, the county bureau and joint-review departments see ID numbers.")
        )
    candidate = Candidate.objects.visible_to(actor).select_related("voter").filter(pk=candidate.pk).first()
    if candidate is None:
        raise PermissionDenied(_("This candidate does not exist or is outside your area."))
    audit_record_on_its_own(
        actor=actor,
        event_type="pii.revealed",
        region_code=candidate.election.region_id if candidate.election_id else "",
        obj=candidate.voter,
        after={"field": "id_number", "voter": candidate.voter.id_masked, "via": "candidate"},
    )
    return decrypt(candidate.voter.id_encrypted)
