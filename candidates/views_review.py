"""Joint-review pages (联审): the county opens a batch with its departments; each department's staff (or
the bureau on its behalf, with the paper's reference) enter pass or fail per candidate; the bureau closes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.models import Cycle, Region
from election_admin.views_cycles import apply_validation_error
from voters.idnumber import age_on

from . import selectors
from .forms import JointReviewOpenForm, PassRemainingForm, VerdictForm
from .models import Candidate, Department
from .services import review as review_services
from .services.common import joint_review_may_run
from .services.review import waiting_for_joint_review


def _county_of(user) -> Region | None:
    if user.region_id and len(user.region_id) == 6:
        return user.region
    return None


def _may_open_page(user) -> bool:
    return joint_review_may_run(user) or getattr(user, "is_department_reviewer", False)


def _review_for(request, review_id: int):
    return get_object_or_404(selectors.joint_reviews_visible(request.user), pk=review_id)


@login_required
def joint_review_list(request):
    """联审 — the county's joint-review batches; the bureau opens one, a department sees its own queue."""
    user = request.user
    if not (_may_open_page(user) or user.is_system_admin):
        raise PermissionDenied(_("The joint review is run by the county bureau and the departments."))
    county = _county_of(user)
    cycles = Cycle.objects.visible_to(user).filter(status="open")
    if county is not None:
        cycles = cycles.filter(region__code__in=county.ancestor_codes + [county.code])
    open_form = None
    if joint_review_may_run(user) and county is not None:
        open_form = JointReviewOpenForm(request.POST or None, cycles=cycles)
        if request.method == "POST" and open_form.is_valid():
            try:
                review = review_services.joint_review_open(
                    actor=user,
                    cycle=open_form.cleaned_data["cycle"],
                    county=county,
                    departments=list(open_form.cleaned_data["departments"]),
                )
            except ValidationError as error:
                apply_validation_error(open_form, error)
            else:
                messages.success(
                    request,
                    _("Joint review #%(number)s opened with %(count)s candidates.")
                    % {"number": review.number, "count": review.candidates.count()},
                )
                return redirect("joint_review_detail", review_id=review.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the county bureau opens and closes the joint review."))
    reviews = list(selectors.joint_reviews_visible(user).order_by("-opened_at")[:50])
    for review in reviews:
        review.candidate_count = review.candidates.count()
    waiting = (
        [(cycle, waiting_for_joint_review(cycle, county.code).count()) for cycle in cycles]
        if county is not None and joint_review_may_run(user)
        else []
    )
    return render(
        request,
        "candidates/joint_review_list.html",
        {
            "reviews": reviews,
            "open_form": open_form,
            "waiting": waiting,
            "department": selectors.department_of(user),
            "county": county,
        },
    )


@login_required
def joint_review_detail(request, review_id: int):
    """One batch: candidates × departments. A department sees and fills its own column; the bureau sees all
    and may enter a department's verdicts on its behalf (choose the department)."""
    review = _review_for(request, review_id)
    user = request.user
    own_department = selectors.department_of(user)
    departments = list(review.departments.all())
    if own_department is not None:
        entering = own_department
    else:
        code = request.GET.get("department", "")
        entering = (
            next((d for d in departments if d.code == code), None) if joint_review_may_run(user) else None
        )
    rows = selectors.joint_review_rows(user, review)
    for row in rows:
        election = row.candidate.election
        row.age = (
            age_on(row.candidate.voter.birth_date, election.election_day) if election.election_day else None
        )
        row.entering_verdict = row.verdicts.get(entering.pk) if entering else None
    shown = [own_department] if own_department else departments
    return render(
        request,
        "candidates/joint_review_detail.html",
        {
            "review": review,
            "rows": rows,
            "departments": shown,
            "entering": entering,
            "own_department": own_department,
            "progress": selectors.joint_review_progress(review),
            "verdict_form": VerdictForm(review=review),
            "may_run": joint_review_may_run(user),
            "is_on_behalf": entering is not None and own_department is None,
        },
    )


def _back(review, department: Department | None, is_department_user: bool) -> str:
    url = reverse("joint_review_detail", args=[review.pk])
    if department is not None and not is_department_user:
        url += f"?department={department.code}"
    return url


@login_required
@require_POST
def verdict_enter(request, review_id: int, candidate_id: int):
    review = _review_for(request, review_id)
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).filter(joint_review=review), pk=candidate_id
    )
    own_department = selectors.department_of(request.user)
    form = VerdictForm(request.POST, review=review)
    department = own_department
    if form.is_valid():
        department = own_department or form.cleaned_data["department"]
        if department is None:
            messages.error(request, _("Choose the department whose verdict you enter."))
        else:
            try:
                review_services.department_verdict_enter(
                    actor=request.user,
                    review=review,
                    candidate=candidate,
                    department=department,
                    outcome=form.cleaned_data["outcome"],
                    negative_item=form.cleaned_data["negative_item"],
                    reason=form.cleaned_data["reason"],
                    paper_reference=form.cleaned_data["paper_reference"],
                )
            except ValidationError as error:
                messages.error(request, f"{candidate.voter.name}：" + " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(department)s: verdict on %(name)s saved.")
                    % {"department": department.name, "name": candidate.voter.name},
                )
    else:
        messages.error(request, _("Choose pass or fail."))
    return redirect(_back(review, department, own_department is not None))


@login_required
@require_POST
def verdicts_pass_remaining(request, review_id: int):
    review = _review_for(request, review_id)
    own_department = selectors.department_of(request.user)
    form = PassRemainingForm(request.POST, review=review)
    department = own_department
    if form.is_valid():
        department = own_department or form.cleaned_data["department"]
    if department is None:
        messages.error(request, _("Choose the department whose verdicts you enter."))
    else:
        try:
            count = review_services.department_verdicts_pass_remaining(
                actor=request.user,
                review=review,
                department=department,
                paper_reference=form.cleaned_data.get("paper_reference", "") if form.is_valid() else "",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(department)s: %(count)s more candidates pass.")
                % {"department": department.name, "count": count},
            )
    return redirect(_back(review, department, own_department is not None))


@login_required
@require_POST
def joint_review_close(request, review_id: int):
    review = _review_for(request, review_id)
    try:
        closing = review_services.joint_review_close(actor=request.user, review=review)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Joint review #%(number)s closed: %(passed)s passed, %(failed)s failed.")
            % {"number": review.number, "passed": len(closing.passed), "failed": len(closing.failed)},
        )
        for candidate in closing.failed:
            messages.warning(
                request,
                _("%(name)s (%(village)s) failed the joint review and is struck off the candidates.")
                % {"name": candidate.voter.name, "village": candidate.election.region.name},
            )
    return redirect("joint_review_detail", review_id=review.pk)


@login_required
@require_POST
def candidate_reveal_id(request, candidate_id: int):
    """The full ID number of a candidate, for checking records (audited). Answers a fragment to htmx."""
    candidate = get_object_or_404(Candidate.objects.visible_to(request.user), pk=candidate_id)
    number = review_services.candidate_reveal_id(actor=request.user, candidate=candidate)
    fragment = format_html('<span class="font-monospace" data-testid="revealed-id">{}</span>', number)
    if request.headers.get("HX-Request"):
        return HttpResponse(fragment)
    return render(request, "candidates/revealed.html", {"candidate": candidate, "number": number})
