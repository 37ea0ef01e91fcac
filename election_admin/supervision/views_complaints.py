"""Pages of the complaints register (信访/举报台账), supervision visits and a cycle's supervision settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.views_cycles import apply_validation_error

from .forms import (
    ComplaintAnswerForm,
    ComplaintAssignForm,
    ComplaintForm,
    FollowUpForm,
    SettingsForm,
    VisitForm,
)
from .models import Complaint, SupervisionVisit
from .selectors import REGISTER_FILTERS, complaint_counts, complaint_register, visit_coverage
from .services import complaints as complaint_services
from .services import visits as visit_services
from .services.common import may_see_phones, may_set_cycle_rules, may_supervise
from .views import area_of, cycle_or_404


def _require_supervisor(user) -> None:
    if not may_supervise(user):
        raise PermissionDenied(_("Township staff and above keep the supervision records."))


@login_required
def complaint_list(request, cycle_id: int):
    """The register: complaints of the round and, read-only, the objections to the voter roll."""
    cycle = cycle_or_404(request.user, cycle_id)
    _require_supervisor(request.user)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status not in REGISTER_FILTERS:
        status = ""
    area = area_of(request.user, cycle)
    entries = complaint_register(request.user, cycle, today, area_code=area, status=status)
    return render(
        request,
        "supervision/complaint_list.html",
        {
            "cycle": cycle,
            "entries": entries,
            "counts": complaint_counts(complaint_register(request.user, cycle, today, area_code=area))
            if status
            else complaint_counts(entries),
            "status": status,
            "filters": [
                ("", _("All")),
                ("open", _("Open")),
                ("late", _("Late")),
                ("serious", _("Serious")),
                ("answered", _("Answered")),
            ],
            "answer_days": complaint_services.complaint_answer_days(cycle),
        },
    )


@login_required
def complaint_create(request, cycle_id: int):
    cycle = cycle_or_404(request.user, cycle_id)
    _require_supervisor(request.user)
    today = timezone.localdate()
    form = ComplaintForm(request.POST or None, user=request.user, cycle=cycle, initial={"received_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_services.complaint_receive(
                actor=request.user, cycle=cycle, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Complaint %(ref)s registered; to be answered by %(due)s.")
                % {"ref": complaint.reference, "due": complaint.due_on.isoformat()},
            )
            return redirect("supervision_complaint_detail", complaint_id=complaint.pk)
    return render(
        request,
        "supervision/complaint_form.html",
        {"cycle": cycle, "form": form, "answer_days": complaint_services.complaint_answer_days(cycle)},
    )


@login_required
def complaint_detail(request, complaint_id: int):
    """One complaint: what it says, who handles it, its answer — assigned and answered from here."""
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).select_related("cycle", "region__parent", "election"),
        pk=complaint_id,
    )
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    post = request.POST if request.method == "POST" else None
    assign_form = ComplaintAssignForm(
        post if action == "assign" else None,
        initial={"assigned_to": complaint.assigned_to, "assigned_on": complaint.assigned_on or today},
    )
    answer_form = ComplaintAnswerForm(post if action == "answer" else None, initial={"answered_on": today})
    form = {"assign": assign_form, "answer": answer_form}.get(action)
    if action and form is None:
        raise PermissionDenied
    if form is not None and form.is_valid():
        try:
            if action == "assign":
                complaint_services.complaint_assign(
                    actor=request.user, complaint=complaint, **form.cleaned_data
                )
                messages.success(request, _("Assignment saved."))
            else:
                complaint = complaint_services.complaint_answer(
                    actor=request.user, complaint=complaint, **form.cleaned_data
                )
                late = complaint.days_late(today)
                if late:
                    messages.warning(
                        request, _("Answer recorded, %(days)s days after the due date.") % {"days": late}
                    )
                else:
                    messages.success(request, _("Answer recorded within the time."))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("supervision_complaint_detail", complaint_id=complaint.pk)
    return render(
        request,
        "supervision/complaint_detail.html",
        {
            "complaint": complaint,
            "days_late": complaint.days_late(today),
            "phone": complaint.complainant_phone
            if may_see_phones(request.user)
            else complaint.complainant_phone_masked,
            "assign_form": assign_form,
            "answer_form": answer_form,
        },
    )


@login_required
def visit_list(request, cycle_id: int):
    """督导检查 — the visits of the cycle in the user's area, coverage, and the form to record one."""
    cycle = cycle_or_404(request.user, cycle_id)
    _require_supervisor(request.user)
    area = area_of(request.user, cycle)
    form = VisitForm(
        request.POST or None, user=request.user, cycle=cycle, initial={"visited_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_services.visit_record(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("supervision_visits", cycle_id=cycle.pk)
    visits = (
        SupervisionVisit.objects.visible_to(request.user)
        .filter(cycle=cycle)
        .in_area(area)
        .select_related("region__parent")
    )
    return render(
        request,
        "supervision/visit_list.html",
        {
            "cycle": cycle,
            "visits": visits,
            "coverage": visit_coverage(request.user, cycle, area_code=area),
            "form": form,
            "follow_up_form": FollowUpForm(initial={"done_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def visit_follow_up(request, visit_id: int):
    visit = get_object_or_404(SupervisionVisit.objects.visible_to(request.user), pk=visit_id)
    _require_supervisor(request.user)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            visit_services.visit_follow_up_done(
                actor=request.user, visit=visit, done_on=form.cleaned_data["done_on"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Follow-up marked done."))
    else:
        messages.error(request, _("Enter the date the follow-up was done."))
    return redirect("supervision_visits", cycle_id=visit.cycle_id)


@login_required
def settings_edit(request, cycle_id: int):
    """The cycle's answer time for complaints (the county's choice; 15 days unless changed)."""
    cycle = cycle_or_404(request.user, cycle_id)
    if not may_set_cycle_rules(request.user, cycle):
        raise PermissionDenied(_("Only the bureau of the cycle's area sets this for a cycle."))
    form = SettingsForm(
        request.POST or None,
        initial={"complaint_answer_days": complaint_services.complaint_answer_days(cycle)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint_services.supervision_settings_set(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("supervision_cycle", cycle_id=cycle.pk)
    return render(request, "supervision/settings_form.html", {"cycle": cycle, "form": form})
