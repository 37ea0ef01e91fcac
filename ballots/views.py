"""Election-day and count pages: the election's boxes, staff and proxies; a box's tally entry; the
comparison of two entries and its resolution; results with every decision's reason, and certification.
Thin: scope (404 out of area) → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from election_admin.models import Election
from election_admin.views_cycles import apply_validation_error

from . import selectors
from .choices import FIGURES, RUNOFF_ROUND, SheetStatus
from .forms import (
    BoxForm,
    CertifyForm,
    ComputeForm,
    CountStaffForm,
    ProxyForm,
    ResolveForm,
    TallyForm,
    write_in_initial,
)
from .models import BallotBox, RoundResult, TallySheet, Venue
from .services import notices as notice_services
from .services import results as result_services
from .services.common import may_enter, may_supervise
from .services.election_day import ballot_box_create, count_staff_add, proxy_file, venue_create
from .services.notices import result_notice_existing
from .services.tally import TallyConflict, entry_values, tally_entry_save, tally_resolve


def _election(request, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.visible_to(request.user).select_related("cycle__rule_set", "region"), pk=election_id
    )


@login_required
def election_day(request, election_id: int):
    election = _election(request, election_id)
    form = BoxForm(request.POST or None)
    if request.method == "POST":
        if not may_enter(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                venue = Venue.objects.filter(election=election, name=data["venue_name"].strip()).first()
                venue = venue or venue_create(
                    actor=request.user, election=election, kind=data["venue_kind"], name=data["venue_name"]
                )
                ballot_box_create(actor=request.user, venue=venue, label=data["label"], kind=data["kind"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Ballot box recorded."))
                return redirect("ballots_election_day", election.pk)
    context = {"election": election, "form": form, "may_enter": may_enter(request.user)}
    context.update(selectors.election_day_overview(request.user, election))
    return render(request, "ballots/election_day.html", context)


NOT_ON_ROLL = _lazy("No one on this election's roll has that name and ID ending.")


@login_required
def count_staff_create(request, election_id: int):
    """Add an announcer, teller or scrutineer from the roll; the service refuses candidates' sides."""
    election = _election(request, election_id)
    if not may_enter(request.user):
        raise PermissionDenied
    boxes = BallotBox.objects.visible_to(request.user).filter(election=election).order_by("id")
    form = CountStaffForm(request.POST or None, boxes=boxes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voter = selectors.roll_voter(request.user, election, data["name"], data["id_last4"])
        if voter is None:
            form.add_error(None, NOT_ON_ROLL)
        else:
            try:
                count_staff_add(
                    actor=request.user,
                    election=election,
                    role=data["role"],
                    name=voter.name,
                    voter=voter,
                    box=data["box"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Count staff recorded."))
                return redirect("ballots_election_day", election.pk)
    return render(
        request,
        "ballots/staff_form.html",
        {"election": election, "form": form, "title": _("Add count staff"), "testid": "staff-form"},
    )


@login_required
def proxy_create(request, election_id: int):
    """File a proxy vote: the voter and the proxy found on the roll by name and the ID's last four."""
    election = _election(request, election_id)
    if not may_enter(request.user):
        raise PermissionDenied
    form = ProxyForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        principal = selectors.roll_voter(
            request.user, election, data["principal_name"], data["principal_last4"]
        )
        proxy = selectors.roll_voter(request.user, election, data["proxy_name"], data["proxy_last4"])
        if principal is None:
            form.add_error("principal_name", NOT_ON_ROLL)
        if proxy is None:
            form.add_error("proxy_name", NOT_ON_ROLL)
        if principal is not None and proxy is not None:
            try:
                proxy_file(
                    actor=request.user,
                    election=election,
                    principal=principal,
                    proxy=proxy,
                    relation=data["relation"],
                    filed_on=data["filed_on"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Proxy vote filed."))
                return redirect("ballots_election_day", election.pk)
    return render(
        request,
        "ballots/staff_form.html",
        {"election": election, "form": form, "title": _("File a proxy vote"), "testid": "proxy-form"},
    )


@login_required
def tally_entry(request, box_id: int):
    box = get_object_or_404(
        BallotBox.objects.visible_to(request.user).select_related("election__region", "election__cycle"),
        pk=box_id,
    )
    if not may_enter(request.user):
        raise PermissionDenied
    election = box.election
    round_number = selectors.counting_round(election)
    lines = selectors.vote_lines(election, round_number)
    sheet = TallySheet.objects.filter(box=box, round_number=round_number).first()
    mine = sheet.entries.filter(entered_by=request.user).first() if sheet else None
    conflict = None
    if request.method == "POST":
        form = TallyForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                tally_entry_save(
                    actor=request.user,
                    box=box,
                    figures=form.figures(),
                    votes=form.votes(),
                    expected_version=form.cleaned_data["expected_version"],
                    round_number=round_number,
                )
            except TallyConflict as error:
                conflict = entry_values(error.current)
                data = request.POST.copy()
                data["expected_version"] = error.current.version
                form = TallyForm(data, lines=lines)
                form.is_valid()
                form.add_error(None, error.messages[0])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your entry of the tally sheet is saved."))
                return redirect("ballots_election_day", election.pk)
    else:
        initial = {"expected_version": mine.version if mine else None}
        if mine is not None:
            initial.update({name: getattr(mine, name) for name in FIGURES})
            initial.update({line.field: mine.votes.get(line.key, 0) for line in lines})
            initial.update(write_in_initial(lines, mine.votes))
        form = TallyForm(initial=initial, lines=lines)
    stored = []
    if conflict is not None:
        stored = [(form[name].label, conflict.get(name)) for name in FIGURES] + [
            (f"{line.post_label} · {line.name}", conflict.get(line.key, 0)) for line in lines
        ]
    return render(
        request,
        "ballots/tally_entry.html",
        {
            "election": election,
            "box": box,
            "sheet": sheet,
            "form": form,
            "stored": stored,
            "is_runoff": round_number == RUNOFF_ROUND,
        },
    )


@login_required
def tally_compare(request, sheet_id: int):
    sheet = get_object_or_404(
        TallySheet.objects.visible_to(request.user).select_related(
            "box", "election__region", "election__cycle"
        ),
        pk=sheet_id,
    )
    election = sheet.election
    lines = selectors.vote_lines(election, sheet.round_number)
    rows = selectors.comparison_rows(sheet, lines)
    may_resolve = (
        may_supervise(request.user)
        and sheet.status == SheetStatus.MISMATCH
        and not sheet.entries.filter(entered_by=request.user).exists()
    )
    agreed = {row["key"]: row["values"][0] for row in rows if row["values"] and not row["differs"]}
    initial = {name: agreed.get(name) for name in FIGURES}
    initial.update({line.field: agreed.get(line.key) for line in lines})
    initial.update(write_in_initial(lines, {k: v for k, v in agreed.items() if v}))
    form = ResolveForm(request.POST or None, initial=initial, lines=lines)
    if request.method == "POST":
        if not may_resolve:
            raise PermissionDenied
        if form.is_valid():
            try:
                tally_resolve(
                    actor=request.user,
                    sheet=sheet,
                    figures=form.figures(),
                    votes=form.votes(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The tally sheet is agreed."))
                return redirect("ballots_election_day", election.pk)
    entrants = [e.entered_by for e in sheet.entries.select_related("entered_by").order_by("id")]
    return render(
        request,
        "ballots/tally_compare.html",
        {
            "election": election,
            "sheet": sheet,
            "rows": rows,
            "entrants": entrants,
            "form": form,
            "may_resolve": may_resolve,
        },
    )


@login_required
def results(request, election_id: int):
    election = _election(request, election_id)
    current = result_services.current_result(election, None)
    blockers = result_services.certification_blockers(election) if current else []
    notice = result_notice_existing(current) if current and current.is_certified else None
    reasons = result_services.result_reasons(current) if current else []
    decision = current.outcome.get("decision", {}) if current else {}
    return render(
        request,
        "ballots/results.html",
        {
            "election": election,
            "result": current,
            "decision": decision,
            "reasons": reasons,
            "history": selectors.results_of(election),
            "compute_form": ComputeForm(),
            "certify_form": CertifyForm(),
            "blockers": blockers,
            "notice": notice,
            "may_enter": may_enter(request.user),
            "may_certify": may_supervise(request.user),
            "may_issue_certificates": getattr(request.user, "role", "") in ("county_bureau", "system_admin"),
            "runoff_pending": selectors.counting_round(election) == 2
            and (current is None or current.round_number == 1),
        },
    )


@login_required
@require_POST
def results_compute(request, election_id: int):
    election = _election(request, election_id)
    if not may_enter(request.user):
        raise PermissionDenied
    form = ComputeForm(request.POST)
    form.is_valid()
    try:
        result_services.results_compute(
            actor=request.user,
            election=election,
            correction_reason=form.cleaned_data.get("correction_reason", ""),
            round_number=selectors.counting_round(election),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Results computed from the agreed tally sheets."))
    return redirect("ballots_results", election.pk)


@login_required
@require_POST
def results_certify(request, result_id: int):
    result = get_object_or_404(
        RoundResult.objects.visible_to(request.user).select_related("election"), pk=result_id
    )
    if not may_supervise(request.user):
        raise PermissionDenied
    form = CertifyForm(request.POST)
    form.is_valid()
    try:
        result_services.results_certify(
            actor=request.user,
            result=result,
            confirmed=bool(form.cleaned_data.get("confirmed")),
            despite_complaints=bool(form.cleaned_data.get("despite_complaints")),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Results certified. The result notice is being made."))
    return redirect("ballots_results", result.election_id)


@login_required
@require_POST
def certificates(request, result_id: int):
    result = get_object_or_404(RoundResult.objects.visible_to(request.user), pk=result_id)
    try:
        document = notice_services.certificates_generate(actor=request.user, result=result)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("ballots_results", result.election_id)
    return redirect("document_download", document.pk)


@login_required
@require_POST
def tally_report(request, election_id: int):
    """Make the election's tally report in the background; the job page links the workbook."""
    from django.db import transaction

    from election_admin.health import task_enqueue
    from election_admin.services.jobs import job_create

    from .tasks import tally_report_task

    election = _election(request, election_id)
    with transaction.atomic():
        job = job_create(actor=request.user, kind="tally_report", region=election.region, total=1)
        transaction.on_commit(lambda: task_enqueue(tally_report_task, election.pk, job.pk, job_id=job.pk))
    return redirect("job_detail", pk=job.pk)
