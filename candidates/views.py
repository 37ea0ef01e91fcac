"""Candidate pages: an election's nominations and list, nominating from the roll, confirming, the
candidate's page (details, township review, relatives, withdrawal), publication, the election committee's
ID numbers and reserves, and the county overview. Thin: permission → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin import legal_calendar as cal
from election_admin.models import CommitteeMember, Election, Region
from election_admin.views_cycles import apply_validation_error
from voters.choices import VoterStatus
from voters.idnumber import IdProblem, age_on, parse_id
from voters.models import Voter
from voters.pii import id_hash
from voters.services.rolls import roll_for_election

from . import selectors
from .choices import RelationKind
from .forms import (
    CandidateDetailsForm,
    CommitteeAddForm,
    CommitteeIdentifyForm,
    DeclineForm,
    NominationForm,
    NominationRoundForm,
    PublishForm,
    RelationForm,
    ReviewForm,
    WithdrawForm,
)
from .models import Candidate, CandidateListPublication, Nomination, NominationRound, QualificationReview
from .services import committee as committee_services
from .services import nominations as nomination_services
from .services import publication as publication_services
from .services import review as review_services
from .services.common import candidates_may_edit, is_party, require_editor
from .services.lists import candidate_list_check, official_list

PAGE_SIZE = 100


def election_for(request, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.visible_to(request.user).select_related("cycle__rule_set", "region__parent"),
        pk=election_id,
    )


def _deny_department_staff(request) -> None:
    if getattr(request.user, "is_department_reviewer", False):
        raise PermissionDenied(_("Joint-review department staff work on the joint-review pages only."))


def _show_recusals(request, recusals) -> None:
    for recusal in recusals:
        messages.warning(request, recusal.message)


def _find_on_roll(request, election: Election, id_number: str) -> Voter:
    """The voter of the election's roll with this ID number (an active registration first)."""
    parsed = parse_id(id_number)
    if isinstance(parsed, IdProblem):
        raise ValidationError({"id_number": parsed.message})
    ref = roll_for_election(election)
    found = Voter.objects.visible_to(request.user).filter(
        **ref.filter_kwargs(), id_hash=id_hash(parsed.number)
    )
    voter = found.exclude(status=VoterStatus.STRUCK).first() or found.first()
    if voter is None:
        raise ValidationError(
            {
                "id_number": _(
                    "No voter with this ID number is on the roll of %(village)s: a candidate must be a registered "
                    "voter of the village."
                )
                % {"village": election.region.name}
            }
        )
    return voter


def _find_in_cycle(request, election: Election, id_number: str) -> Voter:
    parsed = parse_id(id_number)
    if isinstance(parsed, IdProblem):
        raise ValidationError({"id_number": parsed.message})
    voter = (
        Voter.objects.visible_to(request.user)
        .filter(cycle_id=election.cycle_id, id_hash=id_hash(parsed.number))
        .exclude(status=VoterStatus.STRUCK)
        .order_by("roll")
        .first()
    )
    if voter is None:
        raise ValidationError({"id_number": _("No voter of this cycle in your area has this ID number.")})
    return voter


def _chosen_voter(request, election: Election, voter_id) -> Voter | None:
    if not voter_id:
        return None
    return get_object_or_404(
        Voter.objects.visible_to(request.user).filter(cycle_id=election.cycle_id), pk=voter_id
    )


# --- An election's candidates -------------------------------------------------------------------------


@login_required
def candidate_election(request, election_id: int):
    """候选人 — the nominations of one election, the official list as it stands and what it still lacks."""
    election = election_for(request, election_id)
    today = timezone.localdate()
    lists = official_list(election)
    problems = candidate_list_check(election, lists) if election.stage == cal.ROLL_PUBLISHED else []
    nominations = list(selectors.election_nominations(request.user, election))
    for nomination in nominations:
        nomination.age = (
            age_on(nomination.voter.birth_date, election.election_day) if election.election_day else None
        )
    for entry in lists:
        for candidate in entry.official + entry.reserves + entry.in_review + entry.failed + entry.withdrawn:
            candidate.age = (
                age_on(candidate.voter.birth_date, election.election_day) if election.election_day else None
            )
    due = publication_services.candidates_deadline(election)
    return render(
        request,
        "candidates/election.html",
        {
            "election": election,
            "lists": lists,
            "problems": problems,
            "nominations": nominations,
            "round": NominationRound.objects.visible_to(request.user).filter(election=election).first(),
            "publications": CandidateListPublication.objects.visible_to(request.user)
            .filter(election=election)
            .select_related("document"),
            "due": due,
            "days_left": (due - today).days if due else None,
            "days_late": cal.days_late(due, today),
            "withdrawal_by": publication_services.withdrawal_deadline(election),
            "is_open": election.stage == cal.ROLL_PUBLISHED,
            "is_published": cal.stage_reached(election.stage, cal.CANDIDATES_PUBLISHED),
            "may_edit": candidates_may_edit(request.user),
            "is_party": is_party(election),
            "committee": CommitteeMember.objects.visible_to(request.user).filter(election=election),
        },
    )


@login_required
def nomination_round(request, election_id: int):
    election = election_for(request, election_id)
    require_editor(request.user)
    existing = NominationRound.objects.visible_to(request.user).filter(election=election).first()
    initial = (
        {"held_on": existing.held_on, "ballots_returned": existing.ballots_returned}
        if existing
        else {"held_on": timezone.localdate()}
    )
    form = NominationRoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            nomination_services.nomination_round_record(
                actor=request.user, election=election, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Nomination round recorded."))
            return redirect("candidate_election", election_id=election.pk)
    return render(
        request, "candidates/round.html", {"election": election, "form": form, "existing": existing}
    )


@login_required
def nomination_create(request, election_id: int):
    """提名 — find the nominee on the roll (name or last four of the ID) or type the ID number."""
    election = election_for(request, election_id)
    require_editor(request.user)
    q = request.GET.get("q", "")
    chosen = _chosen_voter(request, election, request.POST.get("voter") or request.GET.get("voter"))
    form = NominationForm(
        request.POST or None, election=election, initial={"voter": chosen.pk if chosen else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            voter = chosen or _find_on_roll(request, election, data["id_number"])
            nomination = nomination_services.nomination_record(
                actor=request.user,
                election=election,
                voter=voter,
                post=data["post"],
                method=data["method"],
                nominating_count=data["nominating_count"],
                by_households=data.get("by_households", False),
                tally=data["tally"],
                note=data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s nominated for %(post)s.")
                % {"name": nomination.voter.name, "post": nomination.get_post_display()},
            )
            if request.POST.get("next") == "another":
                return redirect("nomination_create", election_id=election.pk)
            return redirect("candidate_election", election_id=election.pk)
    results = selectors.roll_search(request.user, election, q) if q and not chosen else []
    for voter in results:
        voter.age = age_on(voter.birth_date, election.election_day) if election.election_day else None
    return render(
        request,
        "candidates/nominate.html",
        {"election": election, "form": form, "q": q, "results": results, "chosen": chosen},
    )


def _nomination_for(request, nomination_id: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related(
            "voter", "election__region", "election__cycle"
        ),
        pk=nomination_id,
    )


@login_required
def nomination_confirm(request, nomination_id: int):
    """The nominee agrees to stand: the candidate's details, then the review."""
    nomination = _nomination_for(request, nomination_id)
    election = election_for(request, nomination.election_id)
    require_editor(request.user)
    initial = {"party_membership": nomination_services.default_party_membership(election, nomination.voter)}
    form = CandidateDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = nomination_services.nomination_confirm(
                actor=request.user, nomination=nomination, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s stands for %(post)s; the township review comes next.")
                % {"name": nomination.voter.name, "post": nomination.get_post_display()},
            )
            for declined in result.declined:
                messages.info(
                    request,
                    _("The nomination for %(post)s is set aside: one post per person.")
                    % {"post": declined.get_post_display()},
                )
            _show_recusals(request, result.recusals)
            return redirect("candidate_election", election_id=election.pk)
    age = age_on(nomination.voter.birth_date, election.election_day) if election.election_day else None
    return render(
        request,
        "candidates/confirm.html",
        {"election": election, "nomination": nomination, "form": form, "age": age},
    )


@login_required
@require_POST
def nomination_decline(request, nomination_id: int):
    nomination = _nomination_for(request, nomination_id)
    require_editor(request.user)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason (e.g. the nominee does not agree to stand)."))
    else:
        try:
            nomination_services.nomination_decline(
                actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Nomination of %(name)s set aside.") % {"name": nomination.voter.name}
            )
    return redirect("candidate_election", election_id=nomination.election_id)


# --- One candidate -----------------------------------------------------------------------------------


def _candidate_for(request, candidate_id: int) -> Candidate:
    _deny_department_staff(request)
    return get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related(
            "voter",
            "nomination",
            "occupation",
            "joint_review",
            "election__region",
            "election__cycle__rule_set",
        ),
        pk=candidate_id,
    )


@login_required
def candidate_detail(request, candidate_id: int):
    """候选人 — details for the statistics, the township review, the joint review's verdicts, declared close
    relatives, and the written withdrawal."""
    candidate = _candidate_for(request, candidate_id)
    election = election_for(request, candidate.election_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if request.method == "POST" else None
    details_form = CandidateDetailsForm(
        post if action == "details" else None,
        initial={
            "education": candidate.education,
            "party_membership": candidate.party_membership,
            "occupation": candidate.occupation_id,
            "is_incumbent": candidate.is_incumbent,
            "is_dual_role_intended": candidate.is_dual_role_intended,
        },
    )
    review_form = ReviewForm(post if action == "review" else None)
    relation_form = RelationForm(post if action == "relation" else None)
    withdraw_form = WithdrawForm(
        post if action == "withdraw" else None, initial={"received_on": timezone.localdate()}
    )
    if action:
        require_editor(request.user)
        form = {
            "details": details_form,
            "review": review_form,
            "relation": relation_form,
            "withdraw": withdraw_form,
        }.get(action)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "details":
                    review_services.candidate_update(actor=request.user, candidate=candidate, **data)
                    messages.success(request, _("Details saved."))
                elif action == "review":
                    review_services.qualification_review_record(
                        actor=request.user, candidate=candidate, **data
                    )
                    messages.success(request, _("Township review recorded."))
                elif action == "relation":
                    relative = _chosen_voter(request, election, data["relative"]) or _find_in_cycle(
                        request, election, data["id_number"]
                    )
                    result = nomination_services.close_relation_declare(
                        actor=request.user,
                        candidate=candidate,
                        relative=relative,
                        kind=data["kind"],
                        note=data["note"],
                    )
                    messages.success(request, _("Close relation recorded."))
                    _show_recusals(request, result.recusals)
                elif action == "withdraw":
                    result = publication_services.candidate_withdraw(
                        actor=request.user, candidate=candidate, **data
                    )
                    messages.success(request, _("%(name)s has withdrawn.") % {"name": candidate.voter.name})
                    for substitute in result.substitutes:
                        messages.info(
                            request,
                            _("%(name)s moves up onto the official list.") % {"name": substitute.voter.name},
                        )
                    for warning in result.warnings:
                        messages.warning(request, warning)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("candidate_detail", candidate_id=candidate.pk)
    relative_q = request.GET.get("relative_q", "")
    relative_results = selectors.roll_search(request.user, election, relative_q) if relative_q else []
    relatives = [
        (voter, RelationKind(kind).label)
        for voter, kind in selectors.close_relatives(election.cycle_id, candidate.voter.id_hash)
    ]
    return render(
        request,
        "candidates/candidate.html",
        {
            "candidate": candidate,
            "election": election,
            "age": age_on(candidate.voter.birth_date, election.election_day)
            if election.election_day
            else None,
            "qualification": QualificationReview.objects.filter(candidate=candidate)
            .select_related("negative_item", "reviewed_by")
            .first(),
            "verdicts": candidate.verdicts.select_related(
                "department", "negative_item", "entered_by"
            ).order_by("department__sort_order"),
            "relatives": relatives,
            "relative_q": relative_q,
            "relative_results": relative_results,
            "details_form": details_form,
            "review_form": review_form,
            "relation_form": relation_form,
            "withdraw_form": withdraw_form,
            "may_edit": candidates_may_edit(request.user),
            "may_review": candidates_may_edit(request.user)
            and candidate.joint_review_id is None
            and candidate.status in ("in_review", "failed")
            and election.stage == cal.ROLL_PUBLISHED,
            "may_withdraw": candidates_may_edit(request.user) and candidate.status in ("in_review", "passed"),
            "withdrawal_by": publication_services.withdrawal_deadline(election),
        },
    )


# --- Publication -------------------------------------------------------------------------------------


@login_required
def candidate_list_publish(request, election_id: int):
    """公布正式候选人名单 — the list as it will print, what is missing, and the publish button."""
    election = election_for(request, election_id)
    require_editor(request.user)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = publication_services.candidate_list_publish(
                actor=request.user,
                election=election,
                exception_reason=form.cleaned_data["exception_reason"] or None,
                term_number=form.cleaned_data["term_number"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The official candidate list is published: %(count)s candidates. Print the notice and post it."
                )
                % {"count": publication.candidate_count},
            )
            return redirect("candidate_election", election_id=election.pk)
    lists = official_list(election)
    for entry in lists:
        for candidate in entry.official:
            candidate.age = (
                age_on(candidate.voter.birth_date, election.election_day) if election.election_day else None
            )
    today = timezone.localdate()
    due = publication_services.candidates_deadline(election)
    return render(
        request,
        "candidates/publish.html",
        {
            "election": election,
            "form": form,
            "lists": lists,
            "problems": candidate_list_check(election, lists),
            "due": due,
            "is_late": bool(due and today > due),
            "already": CandidateListPublication.objects.filter(election=election).exists(),
            "is_party": is_party(election),
        },
    )


# --- The election committee: ID numbers and reserves ----------------------------------------------------


@login_required
def committee_members(request, election_id: int):
    """选委会成员 — record members' ID numbers (or choose them from the roll) and the reserves, so that a
    member who is nominated, or (where the rule set says so) a candidate's close relative, leaves."""
    election = election_for(request, election_id)
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if request.method == "POST" else None
    add_form = CommitteeAddForm(post if action == "add" else None)
    identify_form = CommitteeIdentifyForm(post if action == "identify" else None)
    if action:
        require_editor(request.user)
        form = add_form if action == "add" else identify_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                voter = _chosen_voter(request, election, data.get("voter"))
                if action == "add":
                    committee_services.committee_member_add_identified(
                        actor=request.user,
                        election=election,
                        name=data["name"],
                        role=data["role"],
                        is_reserve=data["is_reserve"],
                        id_number=data["id_number"],
                        voter=voter,
                    )
                    messages.success(request, _("Added to the election committee's list."))
                else:
                    member = get_object_or_404(
                        CommitteeMember.objects.visible_to(request.user).filter(election=election),
                        pk=data["member"],
                    )
                    recusals = committee_services.committee_member_identify_by(
                        actor=request.user, member=member, id_number=data["id_number"], voter=voter
                    )
                    messages.success(request, _("ID number recorded for %(name)s.") % {"name": member.name})
                    _show_recusals(request, recusals)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect("committee_members", election_id=election.pk)
    q = request.GET.get("q", "")
    return render(
        request,
        "candidates/committee.html",
        {
            "election": election,
            "members": CommitteeMember.objects.visible_to(request.user)
            .filter(election=election)
            .select_related("replaces")
            .order_by("selection_order"),
            "add_form": add_form,
            "identify_form": identify_form,
            "q": q,
            "results": selectors.roll_search(request.user, election, q) if q else [],
            "chosen": _chosen_voter(request, election, request.GET.get("voter")),
            "identify_member": request.GET.get("member", ""),
            "may_edit": candidates_may_edit(request.user),
            "recuses_relatives": election.cycle.rule_set.committee_recuses_relatives,
        },
    )


# --- The county overview ----------------------------------------------------------------------------


@login_required
def candidates_overview(request):
    """候选人工作进度 — every village whose official list is late, short of the margin, or still in review."""
    _deny_department_staff(request)
    today = timezone.localdate()
    area = request.GET.get("area", "").strip()
    if area and not Region.objects.visible_to(request.user).filter(code=area).exists():
        area = ""
    rows = selectors.candidates_overview(request.user, area_code=area, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    townships = []
    if request.user.region_id and len(request.user.region_id) == 6:
        townships = Region.objects.visible_to(request.user).filter(parent_id=request.user.region_id)
    return render(
        request,
        "candidates/overview.html",
        {
            "page": page,
            "total": len(rows),
            "late": sum(1 for r in rows if r.late_days),
            "short": sum(1 for r in rows if r.short),
            "in_review": sum(1 for r in rows if r.in_review),
            "area": area,
            "townships": townships,
            "today": today,
        },
    )
