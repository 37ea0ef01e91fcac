"""Roll-wide pages: import, publication and supplements, voter cards, export, carry-over and objections."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.health import task_enqueue
from election_admin.services import jobs as job_services
from election_admin.views_cycles import apply_validation_error

from .choices import ImportStatus, ObjectionKind
from .forms import DecisionForm, ImportUploadForm, ObjectionForm, PublishForm
from .importing.safety import DEFAULT_LIMITS
from .models import Objection, RollImport, Voter
from .services import carry_over as carry_services
from .services import imports as import_services
from .services import objections as objection_services
from .services import publication as publication_services
from .services.exports import roll_export
from .services.rolls import (
    pii_may_reveal,
    roll_for_election,
    roll_is_published,
    roll_may_edit,
    roll_publications,
)
from .tasks import voter_cards_task
from .views import _require_editor, election_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- import -------------------------------------------------------------------------------------


@login_required
def voter_import(request, election_id: int):
    """导入选民名单 — upload; hostile or oversized files are refused at once, before reading them."""
    election = election_for(request, election_id)
    _require_editor(request)
    ref = roll_for_election(election)
    form = ImportUploadForm()
    refused = ""
    if request.method == "POST":
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > DEFAULT_LIMITS.max_bytes + 1024 * 1024:
            # refused from the request's declared length, before Django reads the body
            refused = _(
                "The file is larger than %(mb)s MB; a roll is never that big. Remove pictures and extra sheets."
            ) % {"mb": DEFAULT_LIMITS.max_bytes // (1024 * 1024)}
        else:
            form = ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    roll_import, created = import_services.roll_import_upload(
                        actor=request.user, election=election, upload=form.cleaned_data["file"]
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    if not created:
                        messages.info(request, _("This file was uploaded before; here is its check again."))
                    return redirect("voter_import_detail", import_id=roll_import.pk)
    return render(
        request,
        "voters/import_upload.html",
        {
            "election": election,
            "form": form,
            "refused": refused,
            "imports": RollImport.objects.visible_to(request.user).filter(**ref.filter_kwargs())[:10],
            "is_published": roll_is_published(ref),
        },
    )


@login_required
def voter_import_detail(request, import_id: int):
    """The preview: progress while checking, then counts, every row error and the error workbook."""
    roll_import = get_object_or_404(
        RollImport.objects.visible_to(request.user).select_related(
            "job", "apply_job", "election__region", "error_document"
        ),
        pk=import_id,
    )
    context = {
        "roll_import": roll_import,
        "election": roll_import.election,
        "job": roll_import.apply_job if roll_import.status == ImportStatus.APPLYING else roll_import.job,
        "apply_job": roll_import.apply_job,
        "may_edit": roll_may_edit(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "voters/_import_status.html", context)
    return render(request, "voters/import_detail.html", context)


@login_required
@require_POST
def voter_import_confirm(request, import_id: int):
    roll_import = get_object_or_404(RollImport.objects.visible_to(request.user), pk=import_id)
    _require_editor(request)
    """导入 — the rows are written by a background job; the import page shows its progress and outcome."""
    try:
        import_services.roll_import_confirm(actor=request.user, roll_import=roll_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("voter_import_detail", import_id=roll_import.pk)


# --- publication, cards, export -----------------------------------------------------------------


@login_required
def roll_publish(request, election_id: int):
    """公布选民名单 — publish with the PDF notice; late only with a recorded reason."""
    election = election_for(request, election_id)
    _require_editor(request)
    ref = roll_for_election(election)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            publication_services.roll_publish_request(
                actor=request.user, election=election, exception_reason=form.cleaned_data["exception_reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:  # the notice is made in the background: this page shows the job's progress and outcome
            return redirect("roll_publish", election_id=election.pk)
    return render(
        request,
        "voters/publish.html",
        {
            "election": election,
            "form": form,
            "ref": ref,
            "count": Voter.objects.active().filter(**ref.filter_kwargs()).count(),
            "deadline": election.deadline_dates().get("roll_published") if election.deadlines else None,
            "today": timezone.localdate(),
            "publications": roll_publications(ref).select_related("document"),
            "job": publication_services.roll_publish_latest_job(election),
        },
    )


@login_required
@require_POST
def roll_supplement(request, election_id: int):
    """补充公告 — post the changes since the last notice."""
    election = election_for(request, election_id)
    _require_editor(request)
    try:
        publication = publication_services.roll_supplement_publish(actor=request.user, election=election)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Supplementary notice published: %(added)s added, %(removed)s removed, %(corrected)s corrected."
            )
            % {
                "added": publication.added_count,
                "removed": publication.removed_count,
                "corrected": publication.corrected_count,
            },
        )
    return redirect("voter_roll", election_id=election.pk)


@login_required
@require_POST
def voter_cards(request, election_id: int):
    """选民证 — the card sheets are made in the background; the job page links to the PDF when done."""
    election = election_for(request, election_id)
    _require_editor(request)
    with transaction.atomic():
        job = job_services.job_create(
            actor=request.user,
            kind="voter_cards",
            region=election.region,
            total=1,
            params={"election_id": election.pk},
        )
        job_id, user_id = job.pk, request.user.pk
        transaction.on_commit(
            lambda: task_enqueue(voter_cards_task, job_id, election.pk, user_id, job_id=job_id)
        )
    return redirect("job_detail", pk=job.pk)


@login_required
def voter_export(request, election_id: int):
    """导出 — the roll as .xlsx, masked; in full (POST, township staff and above) it is a reveal, audited."""
    election = election_for(request, election_id)
    full = request.method == "POST" and request.POST.get("full") == "1"
    content, filename = roll_export(actor=request.user, election=election, full=full)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- carry-over -----------------------------------------------------------------------------------


@login_required
def roll_carry_over(request, election_id: int):
    """结转上届名单 — tick off the dead and moved (with the reason), carry the rest over."""
    election = election_for(request, election_id)
    _require_editor(request)
    preview = carry_services.carry_over_preview(user=request.user, election=election)
    if request.method == "POST":
        leave_out = {}
        for voter in preview.voters:
            if request.POST.get(f"leave_{voter.pk}"):
                leave_out[voter.pk] = request.POST.get(f"reason_{voter.pk}", "") or request.POST.get(
                    "default_reason", ""
                )
        try:
            count = carry_services.roll_carry_over(actor=request.user, election=election, leave_out=leave_out)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(count)s voters carried over; %(left)s left out. Now add the new adults.")
                % {"count": count, "left": len(leave_out)},
            )
            return redirect("voter_roll", election_id=election.pk)
    return render(request, "voters/carry_over.html", {"election": election, "preview": preview})


# --- objections -----------------------------------------------------------------------------------


@login_required
def objection_list(request, election_id: int):
    """申诉 — the objections to this roll and the form to record a new one."""
    election = election_for(request, election_id)
    ref = roll_for_election(election)
    voters = (
        Voter.objects.visible_to(request.user)
        .filter(**ref.filter_kwargs())
        .active()
        .order_by("group", "name")
    )
    form = ObjectionForm(
        request.POST if request.method == "POST" else None,
        voters=voters,
        initial={"filed_on": timezone.localdate()},
    )
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = objection_services.objection_file(
                    actor=request.user,
                    election=election,
                    kind=data["kind"],
                    filed_by=data["filed_by"],
                    filed_on=data["filed_on"],
                    grounds=data["grounds"],
                    voter=data["voter"] if data["kind"] != ObjectionKind.EXCLUSION else None,
                    proposed_name=data["proposed_name"],
                    proposed_id_number=data["proposed_id_number"],
                    proposed_group=data["proposed_group"],
                    corrections=form.corrections() if data["kind"] == ObjectionKind.ERROR else None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("Objection recorded; it must be decided by %(due)s.")
                    % {"due": objection.due_on.isoformat()},
                )
                return redirect("objection_detail", objection_id=objection.pk)
    return render(
        request,
        "voters/objections.html",
        {
            "election": election,
            "form": form,
            "objections": Objection.objects.visible_to(request.user)
            .filter(**ref.filter_kwargs())
            .select_related("voter", "decision_document"),
            "window": publication_services.objection_window(ref),
            "today": timezone.localdate(),
            "may_edit": roll_may_edit(request.user),
        },
    )


@login_required
def objection_detail(request, objection_id: int):
    """One objection and its decision (upheld changes the roll in the same transaction)."""
    objection = get_object_or_404(
        Objection.objects.visible_to(request.user).select_related(
            "voter", "election__region", "decision_document"
        ),
        pk=objection_id,
    )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _require_editor(request)
        if form.is_valid():
            try:
                objection_services.objection_decide(
                    actor=request.user,
                    objection=objection,
                    decision=form.cleaned_data["decision"],
                    decision_text=form.cleaned_data["decision_text"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Decision recorded; print the decision notice."))
                return redirect("objection_detail", objection_id=objection.pk)
    return render(
        request,
        "voters/objection_detail.html",
        {
            "objection": objection,
            "election": objection.election,
            "form": form,
            "today": timezone.localdate(),
            "may_edit": roll_may_edit(request.user),
            "may_reveal": pii_may_reveal(request.user),
            "ImportStatus": ImportStatus,
        },
    )
