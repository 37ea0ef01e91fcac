"""Pages of the returns (逐级上报): the cycles, one region's return and the returns below it (who has and
has not reported), one version with its history and the submit / review forms, and a printable copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from election_admin.choices import RegionLevel
from election_admin.models import Cycle, Region
from election_admin.views_cycles import apply_validation_error

from . import services
from .choices import ReturnStatus
from .figures import live_figures, live_labels
from .forms import DueDatesForm, ReviewForm, SubmitForm
from .models import Return, ReturnDueDate, ReturnEvent
from .selectors import (
    children_states,
    current_return,
    days_overdue,
    due_dates,
    may_open_returns,
    may_review,
    may_set_due_dates,
    may_submit,
    region_reports_in_cycle,
    visible_cycles,
)
from .snapshot import differences, figure_sections


def _require_returns_user(user) -> None:
    if not may_open_returns(user):
        raise PermissionDenied(_("Township staff and the bureaus above use the returns."))


def _labels(stored: dict) -> dict:
    """The stored labels, overridden by today's (in the page's language) where the statistics app has them;
    today's first, so that their order (the statistics app's) orders the page."""
    live = live_labels()
    return {**live, **{key: label for key, label in stored.items() if key not in live}}


def _snapshot_context(ret: Return | None) -> dict:
    """The submitted figures and, for the current version, what changed since (the difference table)."""
    if ret is None:
        return {"sections": [], "empty_figures": 0, "changes": []}
    labels = _labels(ret.figure_labels)
    sections, empty = figure_sections(ret.figures, labels)
    changes = []
    if ret.is_current:
        changes = differences(ret.figures, live_figures(ret.region, ret.cycle), labels)
    return {"sections": sections, "empty_figures": empty, "changes": changes}


def _children_context(cycle: Cycle, region: Region, current: Return | None) -> dict:
    states = children_states(cycle, region)
    today, dates = timezone.localdate(), due_dates(cycle)
    for state in states:
        state.due_on = dates.get(state.region.level)
        state.days_overdue = days_overdue(state, state.due_on, today)
    rested_on = {ref["region"]: ref["version"] for ref in (current.children if current else [])}
    for state in states:
        state.newer_than_rested_on = bool(
            current
            and state.current
            and state.region.code in rested_on
            and rested_on[state.region.code] != state.current.version
        )
    counts = {
        "total": len(states),
        "accepted": sum(1 for s in states if s.status == ReturnStatus.ACCEPTED),
        "submitted": sum(1 for s in states if s.status == ReturnStatus.SUBMITTED),
        "sent_back": sum(1 for s in states if s.status == ReturnStatus.SENT_BACK),
        "not_reported": sum(1 for s in states if not s.has_reported),
        "overdue": sum(1 for s in states if s.days_overdue),
    }
    now_refs = [(s.region.code, s.current.version if s.current else None, s.status) for s in states]
    rested_refs = [(r["region"], r["version"], r["status"]) for r in (current.children if current else [])]
    return {
        "children_changed": current is not None and now_refs != rested_refs,
        "children": states,
        "counts": counts,
        "not_reported": [s for s in states if not s.has_reported],
        "missing_now": [s for s in states if not s.is_accepted],
    }


def _submit(request, cycle: Cycle, region: Region, form: SubmitForm):
    """Handle a posted submit form: the redirect on success, None when the form shows errors."""
    if not form.is_valid():
        return None
    try:
        ret, created = services.return_submit(
            actor=request.user, cycle=cycle, region=region, **form.cleaned_data
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    if created:
        messages.success(
            request,
            _("Return submitted (version %(version)s); it awaits review by the bureau above.")
            % {"version": ret.version},
        )
    else:
        messages.info(
            request, _("The figures have not changed since this return was submitted: nothing new.")
        )
    return redirect("returns_detail", pk=ret.pk)


@login_required
def home(request):
    """The cycles of the user's area with their own return's status and a link to the returns below."""
    user = request.user
    _require_returns_user(user)
    cycles = list(visible_cycles(user))
    own = {}
    if user.region_id:
        own = {
            r.cycle_id: r
            for r in Return.objects.filter(region_id=user.region_id, is_current=True, cycle__in=cycles)
        }
    level = user.region.level if user.region_id else None
    due = dict(ReturnDueDate.objects.filter(cycle__in=cycles, level=level).values_list("cycle_id", "due_on"))
    rows = [
        {
            "cycle": cycle,
            "code": user.region_id or cycle.region_id,
            "own": own.get(cycle.pk),
            "due_on": due.get(cycle.pk),
        }
        for cycle in cycles
    ]
    return render(request, "returns/home.html", {"rows": rows})


@login_required
def region_returns(request, cycle_id: int, code: str):
    """One region in one cycle: its own return (submit it here) and the returns of the regions below it."""
    user = request.user
    cycle = get_object_or_404(Cycle.objects.visible_to(user).select_related("region"), pk=cycle_id)
    region = get_object_or_404(Region.objects.visible_to(user).select_related("parent"), code=code)
    if not (region.code.startswith(cycle.region_id) or cycle.region_id.startswith(region.code)):
        raise Http404
    _require_returns_user(user)
    reports = region_reports_in_cycle(region, cycle)
    current = current_return(cycle, region) if reports else None
    can_submit = reports and may_submit(user, region)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = SubmitForm(request.POST if action == "submit" else None)
    can_set_due = may_set_due_dates(user, cycle) and region.code == cycle.region_id
    dates = due_dates(cycle)
    due_form = DueDatesForm(
        request.POST if action == "due_dates" else None,
        initial={f"due_{level}": day for level, day in dates.items()},
    )
    if action == "submit":
        if not can_submit:
            raise PermissionDenied(_("Only the region's own office submits its return."))
        response = _submit(request, cycle, region, form)
        if response is not None:
            return response
    elif action == "due_dates":
        if not can_set_due:
            raise PermissionDenied(
                _("Only the bureau of the cycle's area sets the due dates of the returns.")
            )
        if due_form.is_valid():
            try:
                services.return_due_dates_set(actor=user, cycle=cycle, dates=due_form.dates())
            except ValidationError as error:
                apply_validation_error(due_form, error)
            else:
                messages.success(request, _("Due dates saved."))
                return redirect("returns_region", cycle_id=cycle.pk, code=region.code)
    elif action:
        raise PermissionDenied
    context = {
        "cycle": cycle,
        "region": region,
        "reports": reports,
        "current": current,
        "can_submit": can_submit,
        "form": form,
        "due_form": due_form,
        "can_set_due": can_set_due,
        "own_due_on": dates.get(region.level),
        "due_dates": [(RegionLevel(level).label, day) for level, day in sorted(dates.items(), reverse=True)],
        **_snapshot_context(current),
        **_children_context(cycle, region, current),
    }
    context["show_submit"] = can_submit and (
        current is None
        or current.status == ReturnStatus.SENT_BACK
        or bool(context["changes"])
        or context["children_changed"]
    )
    context["may_review_children"] = any(may_review(user, s.region) for s in context["children"][:1])
    return render(request, "returns/region.html", context)


@login_required
def return_detail(request, pk: int):
    """One version of a return: the frozen figures, the difference with today's, the history of every
    version, and the forms of whoever may act on it (re-submit; accept or send back)."""
    user = request.user
    ret = get_object_or_404(
        Return.objects.visible_to(user).select_related(
            "cycle", "region__parent", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )
    can_submit = ret.is_current and may_submit(user, ret.region)
    can_review = ret.is_open_for_review and may_review(user, ret.region)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    submit_form = SubmitForm(request.POST if action == "submit" else None)
    review_form = ReviewForm(request.POST if action in ("accept", "send_back") else None)
    if action == "submit":
        if not can_submit:
            raise PermissionDenied(_("Only the region's own office submits its return."))
        response = _submit(request, ret.cycle, ret.region, submit_form)
        if response is not None:
            return response
    elif action in ("accept", "send_back"):
        if not may_review(user, ret.region):
            raise PermissionDenied(_("Only the bureau of the region above reviews a return."))
        if review_form.is_valid():
            service = services.return_accept if action == "accept" else services.return_send_back
            try:
                service(actor=user, return_obj=ret, comment=review_form.cleaned_data["comment"])
            except ValidationError as error:
                apply_validation_error(review_form, error)
            else:
                messages.success(
                    request,
                    _("Return accepted.") if action == "accept" else _("Return sent back with your comment."),
                )
                return redirect("returns_detail", pk=ret.pk)
    elif action:
        raise PermissionDenied
    snapshot = _snapshot_context(ret)
    versions = list(
        Return.objects.filter(cycle=ret.cycle, region=ret.region).select_related(
            "submitted_by", "reviewed_by"
        )
    )
    events = list(
        ReturnEvent.objects.filter(return_obj__cycle=ret.cycle, return_obj__region=ret.region)
        .select_related("actor", "return_obj")
        .order_by("at", "id")
    )
    context = {
        "ret": ret,
        "cycle": ret.cycle,
        "region": ret.region,
        "versions": versions,
        "events": events,
        "can_submit": can_submit,
        "show_submit": can_submit and (ret.status == ReturnStatus.SENT_BACK or bool(snapshot["changes"])),
        "can_review": can_review,
        "submit_form": submit_form,
        "review_form": review_form,
        **snapshot,
    }
    if can_submit and ret.region.level != RegionLevel.TOWNSHIP:
        context.update(_children_context(ret.cycle, ret.region, ret))
        context["show_submit"] = context["show_submit"] or context["children_changed"]
    return render(request, "returns/detail.html", context)


@login_required
def return_print(request, pk: int):
    """The return as submitted, for signing off on paper: figures, SHA-256, who submitted and reviewed."""
    user = request.user
    ret = get_object_or_404(
        Return.objects.visible_to(user).select_related(
            "cycle", "region__parent", "submitted_by", "reviewed_by"
        ),
        pk=pk,
    )
    sections, empty = figure_sections(ret.figures, _labels(ret.figure_labels))
    return render(request, "returns/print.html", {"ret": ret, "sections": sections, "empty_figures": empty})
