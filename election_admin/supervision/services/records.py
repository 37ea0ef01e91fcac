"""The election record sheet (选举纪实表): every step of one election, in order, from the data already in the
system — with its date, numbers and names, or printed as missing (缺) when the system holds nothing for it.

Sources: election_admin (committee, stages, deadlines and their exceptions, turnout), voters (roll,
publications, objections), candidates (nomination, reviews, official list, withdrawals), this app
(departure audit, handover, complaints, visits). ballots (venues, boxes, proxies, the
count and its certified result, the result notice, the certificates of election) are read in
``_ballot_steps``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ballots.choices import BoxKind, ResultStatus, VenueKind
from ballots.models import BallotBox, Proxy, RoundResult, Venue
from candidates.choices import CandidateStatus, Outcome
from candidates.models import (
    Candidate,
    CandidateListPublication,
    Nomination,
    NominationRound,
    QualificationReview,
)
from election_admin import legal_calendar as cal
from election_admin.choices_cycles import DEADLINE_LABELS, Body
from election_admin.models import Document, DocumentKind, Election
from election_admin.services.documents import document_store
from voters.choices import ObjectionDecision, VoterStatus
from voters.models import Objection, RollPublication, Voter
from voters.services.rolls import roll_for_election

from ..choices import HandoverItem
from ..models import Complaint, Handover, SupervisionVisit

DONE, MISSING, NOT_NEEDED, PENDING = "done", "missing", "not_needed", "pending"
STATUS_LABELS = {
    DONE: gettext_lazy("Done"),
    MISSING: gettext_lazy("Missing"),
    NOT_NEEDED: gettext_lazy("Not needed"),
    PENDING: gettext_lazy("Not yet due"),
}


@dataclass(frozen=True)
class Step:
    """One line of the record sheet. ``status`` is done, missing (nothing recorded), not needed or pending."""

    key: str
    label: str
    on: date | None = None
    figures: str = ""
    names: str = ""
    status: str = MISSING
    note: str = ""

    @property
    def is_missing(self) -> bool:
        return self.status == MISSING

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_data(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat() if self.on else None
        return data


def _open_status(due: date | None, today: date) -> str:
    """A step with nothing recorded: not yet due while its legal date lies ahead, else missing."""
    return PENDING if due is not None and due >= today else MISSING


def _names(values, limit: int = 30) -> str:
    values = [v for v in values if v]
    text = "、".join(values[:limit])
    return text + ("……" if len(values) > limit else "")


def _exception_note(election: Election, deadline: str) -> str:
    for exception in election.exceptions:
        if exception.get("deadline") == deadline:
            return _("Late (due %(due)s): %(reason)s") % {
                "due": exception.get("due"),
                "reason": exception.get("reason"),
            }
    return ""


def _departure_audit_step(election: Election, handover: Handover | None, today: date) -> Step:
    """离任审计: published before the election (domain rule), so it is due by election day."""
    label = _("Departure audit of the outgoing committee published")
    if handover is None or handover.audit_done_on is None:
        return Step("departure_audit", label, status=_open_status(election.election_day, today))
    return Step(
        "departure_audit",
        label,
        on=handover.audit_published_on,
        figures=_("Audit done %(done)s") % {"done": handover.audit_done_on.isoformat()},
        names=handover.audit_result,
        status=DONE if handover.audit_published_on else _open_status(election.election_day, today),
        note="" if handover.audit_published_on else _("Result not published"),
    )


def _committee_step(election: Election, today: date) -> Step:
    reached = election.reached_dates()
    members = list(election.committee.filter(is_active=True).order_by("selection_order"))
    chair = next((m.name for m in members if m.role == "chair"), "")
    names = _names([f"{m.name}（{_('chair')}）" if m.name == chair else m.name for m in members])
    on = reached.get(cal.COMMITTEE_FORMED)
    return Step(
        "committee",
        _("Village election committee chosen"),
        on=on,
        figures=_("%(n)s members") % {"n": len(members)} if members else "",
        names=names,
        status=DONE if on else _open_status(election.deadline_dates().get(cal.ROLL_DEADLINE), today),
    )


def _roll_steps(election: Election, today: date) -> list[Step]:
    ref = roll_for_election(election)
    voters = Voter.objects.filter(**ref.filter_kwargs())
    counts = voters.aggregate(
        active=Count("id", filter=~Q(status=VoterStatus.STRUCK)),
        women=Count("id", filter=~Q(status=VoterStatus.STRUCK) & Q(gender="female")),
    )
    deadlines = election.deadline_dates()
    roll_due = deadlines.get(cal.ROLL_DEADLINE)
    registration = Step(
        "registration",
        _("Voters registered"),
        figures=_("%(n)s voters, of whom %(women)s women") % {"n": counts["active"], "women": counts["women"]}
        if counts["active"]
        else "",
        status=DONE if counts["active"] else _open_status(roll_due, today),
    )
    publications = list(RollPublication.objects.filter(**ref.filter_kwargs()).order_by("number"))
    first = publications[0] if publications else None
    publication = Step(
        "roll_published",
        _("Voter roll published"),
        on=first.published_on if first else None,
        figures=(
            _("%(n)s voters on the notice; %(s)s supplements")
            % {"n": first.voter_count, "s": len(publications) - 1}
        )
        if first
        else "",
        status=DONE
        if first
        else (
            PENDING if cal.ROLL_DEADLINE in deadlines and deadlines[cal.ROLL_DEADLINE] >= today else MISSING
        ),
        note=_exception_note(election, cal.ROLL_DEADLINE),
    )
    objections = Objection.objects.filter(**ref.filter_kwargs())
    summary = objections.aggregate(
        filed=Count("id"),
        decided=Count("id", filter=Q(decided_on__isnull=False)),
        upheld=Count("id", filter=Q(decision=ObjectionDecision.UPHELD)),
        last=Max("decided_on"),
        late=Count("id", filter=Q(decided_on__gt=F("due_on"))),
    )
    if first is None:
        objection_step = Step(
            "objections", _("Objections to the roll answered"), status=_open_status(roll_due, today)
        )
    else:
        open_count = summary["filed"] - summary["decided"]
        objection_step = Step(
            "objections",
            _("Objections to the roll answered"),
            on=summary["last"],
            figures=_("%(filed)s filed, %(decided)s decided, %(upheld)s upheld") % summary
            if summary["filed"]
            else _("No objections"),
            status=DONE if open_count == 0 else PENDING,
            note=(_("%(n)s still open") % {"n": open_count} if open_count else "")
            + (_("; %(n)s decided late") % {"n": summary["late"]} if summary["late"] else ""),
        )
    return [registration, publication, objection_step]


def _candidate_steps(election: Election, today: date) -> list[Step]:
    open_status = _open_status(election.deadline_dates().get(cal.CANDIDATES_DEADLINE), today)
    round_ = NominationRound.objects.filter(election=election).first()
    nominations = Nomination.objects.filter(election=election)
    nomination_count = nominations.count()
    nomination = Step(
        "nomination",
        _("Nomination held"),
        on=round_.held_on
        if round_
        else (nominations.aggregate(d=Max("recorded_at"))["d"].date() if nomination_count else None),
        figures=(
            _("%(n)s nominations; %(ballots)s nomination ballots handed in")
            % {"n": nomination_count, "ballots": round_.ballots_returned if round_ else "—"}
        )
        if nomination_count or round_
        else "",
        status=DONE if (round_ or nomination_count) else open_status,
    )
    reviews = QualificationReview.objects.filter(candidate__election=election)
    review_summary = reviews.aggregate(
        n=Count("id"),
        passed=Count("id", filter=Q(outcome=Outcome.PASS)),
        failed=Count("id", filter=Q(outcome=Outcome.FAIL)),
        last=Max("reviewed_at"),
    )
    review = Step(
        "qualification_review",
        _("Qualification review by the township"),
        on=timezone.localtime(review_summary["last"]).date() if review_summary["last"] else None,
        figures=_("%(passed)s passed, %(failed)s failed") % review_summary if review_summary["n"] else "",
        names=_names(
            [
                r.candidate.voter.name
                for r in reviews.filter(outcome=Outcome.FAIL).select_related("candidate__voter")
            ]
        ),
        status=DONE if review_summary["n"] else open_status,
    )
    candidates = Candidate.objects.filter(election=election).select_related("joint_review", "voter")
    joint = [c.joint_review for c in candidates if c.joint_review_id]
    closed = [j for j in joint if j.closed_at]
    joint_step = Step(
        "joint_review",
        _("Joint review by the county departments"),
        on=timezone.localtime(max(j.closed_at for j in closed)).date() if closed else None,
        figures=_("%(passed)s passed, %(failed)s struck")
        % {
            "passed": sum(1 for c in candidates if c.joint_review_id and c.status == CandidateStatus.PASSED),
            "failed": sum(1 for c in candidates if c.joint_review_id and c.status == CandidateStatus.FAILED),
        }
        if closed
        else "",
        status=DONE if closed else open_status,
    )
    publication = CandidateListPublication.objects.filter(election=election, number=1).first()
    listed = sorted(
        (c for c in candidates if c.list_position is not None), key=lambda c: (c.post, c.list_position)
    )
    official = Step(
        "candidate_list",
        _("Official candidate list published"),
        on=publication.published_on if publication else None,
        figures=_("%(n)s candidates") % {"n": publication.candidate_count} if publication else "",
        names=_names([f"{c.voter.name}（{c.get_post_display()}）" for c in listed]),
        status=DONE if publication else open_status,
        note=_exception_note(election, cal.CANDIDATES_DEADLINE),
    )
    withdrawn = [c for c in candidates if c.status == CandidateStatus.WITHDRAWN]
    withdrawals = Step(
        "withdrawals",
        _("Withdrawals of candidates"),
        on=max((c.withdrawn_on for c in withdrawn), default=None),
        figures=_("%(n)s withdrew") % {"n": len(withdrawn)}
        if withdrawn
        else (_("None") if publication else ""),
        names=_names([c.voter.name for c in withdrawn]),
        status=DONE if publication or withdrawn else open_status,
    )
    return [nomination, review, joint_step, official, withdrawals]


def _result_of(election: Election, round_number: int = 1):
    """The current result of a round (ballots app), or None."""
    return (
        RoundResult.objects.filter(election=election, round_number=round_number, is_current=True)
        .order_by("-version")
        .first()
    )


def elected_candidates(election: Election) -> list[Candidate]:
    """The candidates elected in the certified results of the election's rounds (first round and run-off),
    in the order the counting rules list them. Empty until a round is certified."""
    ids: list[str] = []
    results = RoundResult.objects.filter(
        election=election, is_current=True, status=ResultStatus.CERTIFIED
    ).order_by("round_number")
    for result in results:
        for entry in (result.outcome or {}).get("decision", {}).get("elected", []):
            person = str(entry.get("person", ""))
            if person.isdigit() and person not in ids:
                ids.append(person)
    by_id = {str(c.pk): c for c in Candidate.objects.filter(pk__in=ids).select_related("voter")}
    return [by_id[i] for i in ids if i in by_id]


def _ballot_steps(election: Election, today: date | None = None) -> list[Step]:
    """Steps kept by the ballots app: venue, boxes, proxies, ballots, the people elected, the result notice and
    the certificates of election, in the order of the sheet."""
    today = today or timezone.localdate()
    day_status = _open_status(election.election_day, today)
    venues = list(Venue.objects.filter(election=election).order_by("id"))
    kinds = dict(VenueKind.choices)
    venue = Step(
        "venue",
        _("Election assembly or polling stations set up"),
        figures="、".join(f"{kinds[k]} {n}" for k, n in sorted(_count(v.kind for v in venues).items())),
        names=_names([v.name for v in venues]),
        status=DONE if venues else day_status,
    )
    boxes = list(BallotBox.objects.filter(election=election).order_by("id"))
    box_counts = _count(b.kind for b in boxes)
    ballot_boxes = Step(
        "ballot_boxes",
        _("Ballot boxes, including mobile boxes"),
        figures=_("%(fixed)s fixed, %(mobile)s mobile")
        % {"fixed": box_counts.get(BoxKind.FIXED, 0), "mobile": box_counts.get(BoxKind.MOBILE, 0)}
        if boxes
        else "",
        names=_names([b.label for b in boxes]),
        status=DONE if boxes else day_status,
    )
    proxy_rows = list(Proxy.objects.filter(election=election).values_list("filed_on", flat=True))
    proxies = Step(
        "proxies",
        _("Proxy voting filed and published"),
        on=max(proxy_rows, default=None),
        figures=_("%(n)s voters voted by proxy") % {"n": len(proxy_rows)} if proxy_rows else _("None"),
        status=DONE if proxy_rows or election.reached_dates().get(cal.VOTING_DONE) else day_status,
    )
    result = _result_of(election)
    totals = result.totals if result is not None else {}
    ballots = Step(
        "ballots",
        _("Ballots issued, returned, valid and invalid"),
        on=timezone.localtime(result.computed_at).date() if result is not None else None,
        figures=_("issued %(issued)s, returned %(returned)s, valid %(valid)s, invalid %(invalid)s")
        % {k: totals.get(k, "—") for k in ("issued", "returned", "valid", "invalid")}
        if result is not None
        else "",
        status=DONE if result is not None else day_status,
    )
    elected = elected_candidates(election)
    certified = RoundResult.objects.filter(
        election=election, is_current=True, status=ResultStatus.CERTIFIED
    ).order_by("-certified_at")
    last_certified = certified.first()
    winners = Step(
        "winners",
        _("People elected"),
        on=timezone.localtime(last_certified.certified_at).date() if last_certified else None,
        figures=_("%(n)s elected") % {"n": len(elected)} if last_certified else "",
        names=_names([f"{c.voter.name}（{c.get_post_display()}）" for c in elected]),
        status=DONE if last_certified else day_status,
    )
    result_ids = [
        str(pk) for pk in RoundResult.objects.filter(election=election).values_list("pk", flat=True)
    ]
    documents = list(
        Document.objects.filter(
            kind__in=[DocumentKind.RESULT_NOTICE, DocumentKind.CERTIFICATE],
            subject_type="ballots.roundresult",
            subject_id__in=result_ids,
        ).order_by("created_at")
    )
    first_notice = next((d for d in documents if d.kind == DocumentKind.RESULT_NOTICE), None)
    notice = Step(
        "result_notice",
        _("Result notice posted"),
        on=timezone.localtime(first_notice.created_at).date() if first_notice else None,
        figures=_("verification code %(code)s") % {"code": first_notice.short_code} if first_notice else "",
        status=DONE if first_notice else day_status,
    )
    first_certificates = next((d for d in documents if d.kind == DocumentKind.CERTIFICATE), None)
    certificates = Step(
        "certificates",
        _("Certificates of election issued"),
        on=timezone.localtime(first_certificates.created_at).date() if first_certificates else None,
        figures=_("verification code %(code)s") % {"code": first_certificates.short_code}
        if first_certificates
        else "",
        status=DONE if first_certificates else day_status,
    )
    return [venue, ballot_boxes, proxies, ballots, winners, notice, certificates]


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _voting_steps(election: Election, today: date) -> list[Step]:
    reached = election.reached_dates()
    day_status = _open_status(election.election_day, today)
    voted_on = reached.get(cal.VOTING_DONE)
    turnout = ""
    if election.registered_count and election.voted_count is not None:
        turnout = _("%(voted)s of %(registered)s registered voters voted (%(percent)s%%)") % {
            "voted": election.voted_count,
            "registered": election.registered_count,
            "percent": round(election.voted_count * 100 / election.registered_count, 1),
        }
    voting = Step(
        "voting",
        _("Voting held"),
        on=voted_on,
        figures=turnout,
        status=DONE if voted_on else day_status,
    )
    if election.filled_in_first_round is None:
        result_figures = ""
    elif election.filled_in_first_round:
        result_figures = _("Committee filled in the first round")
    else:
        result_figures = _("Seats left: run-off needed")
    results = Step(
        "results",
        _("Results recorded"),
        on=election.results_on,
        figures=result_figures,
        status=DONE if election.results_on else day_status,
    )
    runoff_on = reached.get(cal.RUNOFF)
    if election.filled_in_first_round:
        runoff = Step("runoff", _("Run-off"), status=NOT_NEEDED)
    elif election.filled_in_first_round is None and runoff_on is None:
        runoff = Step("runoff", _("Run-off"), status=day_status)
    else:
        runoff = Step(
            "runoff",
            _("Run-off"),
            on=runoff_on,
            status=DONE
            if runoff_on
            else _open_status(election.deadline_dates().get(cal.RUNOFF_DEADLINE), today),
            note=_exception_note(election, cal.RUNOFF_DEADLINE),
        )
    certified_on = reached.get(cal.RESULTS_CERTIFIED)
    certified = Step(
        "certified",
        _("Results certified and filed with the township"),
        on=certified_on,
        status=DONE if certified_on else day_status,
        note=_exception_note(election, cal.RUNOFF_DEADLINE) if certified_on else "",
    )
    return [voting, results, runoff, certified]


def _handover_steps(election: Election, handover: Handover | None, today: date) -> list[Step]:
    steps = []
    deadlines = election.deadline_dates()
    handover_due = deadlines.get(cal.HANDOVER_DEADLINE) if election.results_on else election.election_day
    for item in HandoverItem:
        done = handover.item_dates()[item] if handover else None
        due = handover.item_due_on(item) if handover else None
        late = handover.item_days_late(item, today) if (handover and done) else 0
        steps.append(
            Step(
                f"handover_{item.value}",
                _("Handover: %(item)s") % {"item": item.label},
                on=done,
                figures=_("due %(due)s") % {"due": due.isoformat()} if due else "",
                status=DONE if done else _open_status(due or handover_due, today),
                note=_("%(n)s days late") % {"n": late} if late else "",
            )
        )
    members = list(handover.outgoing_members.all()) if handover else []
    issued = [m for m in members if m.certificate_id]
    steps.append(
        Step(
            "departure_certificates",
            _("Departure certificates issued"),
            on=timezone.localtime(
                max(
                    Document.objects.filter(pk__in=[m.certificate_id for m in issued]).values_list(
                        "created_at", flat=True
                    )
                )
            ).date()
            if issued
            else None,
            figures=_("%(issued)s of %(members)s outgoing members")
            % {"issued": len(issued), "members": len(members)}
            if members
            else "",
            names=_names([m.name for m in issued]),
            status=DONE if members and len(issued) == len(members) else _open_status(handover_due, today),
        )
    )
    return steps


def _oversight_steps(election: Election, today: date) -> list[Step]:
    complaints = Complaint.objects.filter(cycle_id=election.cycle_id, region_id=election.region_id).filter(
        Q(election=election) | Q(election__isnull=True)
    )
    received = list(complaints)
    open_ = [c for c in received if c.is_open]
    late = [c for c in received if c.days_late(today)]
    complaint_step = Step(
        "complaints",
        _("Complaints and petitions"),
        on=max((c.answered_on for c in received if c.answered_on), default=None),
        figures=_("%(n)s received, %(answered)s answered, %(late)s late")
        % {"n": len(received), "answered": len(received) - len(open_), "late": len(late)}
        if received
        else _("None received"),
        names=_names([c.reference for c in open_]),
        status=DONE if not open_ else PENDING,
        note=_("%(n)s open") % {"n": len(open_)} if open_ else "",
    )
    visits = list(
        SupervisionVisit.objects.filter(cycle_id=election.cycle_id, region_id=election.region_id).order_by(
            "visited_on"
        )
    )
    visit_step = Step(
        "visits",
        _("Supervision visits"),
        on=visits[-1].visited_on if visits else None,
        figures=_("%(n)s visits") % {"n": len(visits)} if visits else "",
        names=_names(sorted({v.group_name for v in visits})),
        status=DONE if visits else MISSING,
    )
    return [complaint_step, visit_step]


def election_record_steps(election: Election, *, today: date | None = None) -> list[Step]:
    """Every step of the election in the order of the sheet (the caller has scoped ``election``)."""
    today = today or timezone.localdate()
    handover = Handover.objects.filter(election=election).select_related("election__cycle__rule_set").first()
    if handover is not None:
        handover.election = election
    day = Step(
        "election_day",
        _("Election day fixed"),
        on=election.election_day,
        status=DONE if election.election_day else MISSING,
    )
    steps = [
        _departure_audit_step(election, handover, today),
        _committee_step(election, today),
        day,
        *_roll_steps(election, today),
        *_candidate_steps(election, today),
        *_ballot_steps(election, today),
        *_voting_steps(election, today),
        *_handover_steps(election, handover, today),
        *_oversight_steps(election, today),
    ]
    return steps


def exceptions_rows(election: Election) -> list[dict]:
    """The deadline exceptions recorded on the election (missed deadline, due, done, reason, by)."""
    return [
        {
            "deadline": str(DEADLINE_LABELS.get(x.get("deadline"), x.get("deadline"))),
            "due": x.get("due", ""),
            "done": x.get("done", ""),
            "reason": x.get("reason", ""),
            "by": x.get("by", ""),
        }
        for x in election.exceptions
    ]


def record_data_version(election: Election, steps: list[Step]) -> str:
    """SHA-256 of the data the sheet prints: the same data makes the same sheet, stored once."""
    data = {
        "election": election.pk,
        "steps": [step.as_data() for step in steps],
        "exceptions": election.exceptions,
    }
    return hashlib.sha256(
        json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()
    ).hexdigest()


@transaction.atomic
def election_record_make(*, actor, election: Election, today: date | None = None) -> Document:
    """选举纪实表 — print the record sheet of one election (PDF, stored with its hash and the data version)."""
    from ..pdf import election_record_pdf

    today = today or timezone.localdate()
    with translation.override("zh-hans"):
        steps = election_record_steps(election, today=today)
        version = record_data_version(election, steps)
        content, font_warning = election_record_pdf(
            election=election, steps=steps, exceptions=exceptions_rows(election), on=today
        )
        title = f"{election.region.name}{Body(election.body).label}选举纪实表"
    return document_store(
        actor=actor,
        kind=DocumentKind.ELECTION_RECORD,
        region=election.region,
        title=title,
        content=content,
        filename=f"election-record-{election.pk}.pdf",
        content_type="application/pdf",
        subject=election,
        data_version=version,
        font_warning=font_warning,
    )
