"""Roll pages: the roll, keyboard-first entry, edit, strike/restore, the audited reveal, the ID check as the
clerk types, and the ballot-day card check. Thin: permission → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.models import Election, Region
from election_admin.views_cycles import apply_validation_error

from . import selectors
from .choices import VoterStatus
from .forms import CardCheckForm, RollFilterForm, StrikeForm, VoterForm
from .importing.template import TEMPLATE_FILENAME, build_template
from .models import Objection, RollImport, Voter
from .services import cards as card_services
from .services import registration as reg
from .services.publication import objection_window
from .services.rolls import (
    pii_may_reveal,
    roll_for_election,
    roll_is_published,
    roll_may_edit,
    roll_publications,
)

PAGE_SIZE = 50


def election_for(request, election_id: int) -> Election:
    return get_object_or_404(
        Election.objects.visible_to(request.user).select_related("cycle__rule_set", "region__parent"),
        pk=election_id,
    )


def voter_for(request, voter_id: int) -> Voter:
    return get_object_or_404(Voter.objects.visible_to(request.user).select_related("region"), pk=voter_id)


def election_of_voter(request, voter: Voter) -> Election:
    election = reg.roll_election_for_voter(voter)
    return election_for(request, election.pk)


def _require_editor(request) -> None:
    if not roll_may_edit(request.user):
        raise PermissionDenied(_("City and province bureaus follow the rolls; they do not change them."))


@login_required
def voter_roll(request, election_id: int):
    """选民名单 — search, filter and page through a roll; counts and the roll's documents on top."""
    election = election_for(request, election_id)
    ref = roll_for_election(election)
    form = RollFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    voters = selectors.roll_voters(request.user, ref, **{k: v for k, v in filters.items() if v})
    page = Paginator(voters, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "voters/roll.html",
        {
            "election": election,
            "ref": ref,
            "form": form,
            "page": page,
            "counts": selectors.roll_counts(request.user, ref),
            "publications": roll_publications(ref).select_related("document"),
            "is_published": roll_is_published(ref),
            "window": objection_window(ref),
            "imports": RollImport.objects.visible_to(request.user).filter(**ref.filter_kwargs())[:5],
            "open_objections": Objection.objects.visible_to(request.user)
            .filter(**ref.filter_kwargs())
            .open()
            .count(),
            "overdue_objections": Objection.objects.visible_to(request.user)
            .filter(**ref.filter_kwargs())
            .overdue(today)
            .count(),
            "may_edit": roll_may_edit(request.user),
        },
    )


def _entry_context(request, election, form, **extra):
    ref = roll_for_election(election)
    return {
        "election": election,
        "ref": ref,
        "form": form,
        "groups": selectors.roll_groups(request.user, ref),
        "recent": Voter.objects.visible_to(request.user)
        .filter(**ref.filter_kwargs())
        .order_by("-created_at", "-id")[:8],
        "is_published": roll_is_published(ref),
        **extra,
    }


@login_required
def voter_create(request, election_id: int):
    """登记选民 — the keyboard-first form: type the ID number, Enter moves on, save returns to a fresh form."""
    election = election_for(request, election_id)
    _require_editor(request)
    ref = roll_for_election(election)
    published = roll_is_published(ref)
    if request.method == "POST":
        form = VoterForm(request.POST, is_published=published)
        if form.is_valid():
            data = form.cleaned_data
            try:
                voter = reg.voter_register(
                    actor=request.user,
                    election=election,
                    name=data["name"],
                    id_number=data["id_number"],
                    gender=data["gender"],
                    birth_date=data["birth_date"],
                    ethnicity=data["ethnicity"],
                    group=data["group"],
                    address=data["address"],
                    phone=data["phone"],
                    category=data["category"],
                    approval_reference=data["approval_reference"],
                    notes=data["notes"],
                    correction_reason=data.get("correction_reason", ""),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("Registered %(name)s (%(id)s).") % {"name": voter.name, "id": voter.id_masked}
                )
                sticky = urlencode(
                    {"group": voter.group, "category": voter.category, "ethnicity": voter.ethnicity}
                )
                return redirect(f"{reverse('voter_create', kwargs={'election_id': election.pk})}?{sticky}")
    else:
        form = VoterForm(
            is_published=published,
            initial={k: request.GET.get(k) for k in ("group", "category", "ethnicity") if request.GET.get(k)},
        )
    return render(request, "voters/voter_form.html", _entry_context(request, election, form))


@login_required
@require_POST
def voter_id_check(request, election_id: int):
    """htmx: birth date, gender and age from the ID number as it is typed, and any duplicate (POSTed, never
    in a URL)."""
    election = election_for(request, election_id)
    exclude = request.POST.get("voter")
    exclude_pk = None
    if exclude and exclude.isdigit():
        exclude_pk = get_object_or_404(Voter.objects.visible_to(request.user), pk=int(exclude)).pk
    number = request.POST.get("id_number", "")
    check = (
        reg.voter_id_check(election=election, id_number=number, exclude_pk=exclude_pk)
        if number.strip()
        else None
    )
    return render(
        request,
        "voters/_id_check.html",
        {"check": check, "election": election, "typed": bool(number.strip())},
    )


@login_required
def voter_edit(request, voter_id: int):
    """One voter: change details, strike off with a reason, restore, reveal the ID number (audited)."""
    voter = voter_for(request, voter_id)
    election = election_of_voter(request, voter)
    ref = roll_for_election(election)
    published = roll_is_published(ref)
    initial = {
        "name": voter.name,
        "gender": voter.gender,
        "birth_date": voter.birth_date,
        "ethnicity": voter.ethnicity,
        "group": voter.group,
        "address": voter.address,
        "category": voter.category,
        "approval_reference": voter.approval_reference,
        "notes": voter.notes,
    }
    if request.method == "POST":
        _require_editor(request)
        form = VoterForm(request.POST, initial=initial, is_published=published, is_edit=True)
        if form.is_valid():
            data = form.cleaned_data
            changes = {
                k: data[k]
                for k in reg.EDITABLE_FIELDS
                if k in data and k != "id_number" and data[k] != initial.get(k)
            }
            if "phone" in changes and not data["phone"]:
                changes.pop("phone")
            if data["id_number"]:
                changes["id_number"] = data["id_number"]
            try:
                reg.voter_update(
                    actor=request.user,
                    voter=voter,
                    correction_reason=data.get("correction_reason", ""),
                    **changes,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("voter_edit", voter_id=voter.pk)
    else:
        form = VoterForm(initial=initial, is_published=published, is_edit=True)
    return render(
        request,
        "voters/voter_edit.html",
        {
            "voter": voter,
            "election": election,
            "form": form,
            "strike_form": StrikeForm(),
            "is_published": published,
            "may_edit": roll_may_edit(request.user),
            "may_reveal": pii_may_reveal(request.user),
            "objections": voter.objections.all(),
        },
    )


@login_required
@require_POST
def voter_strike(request, voter_id: int):
    voter = voter_for(request, voter_id)
    _require_editor(request)
    form = StrikeForm(request.POST)
    if form.is_valid():
        try:
            reg.voter_strike(
                actor=request.user,
                voter=voter,
                reason=form.cleaned_data["reason"],
                correction_reason=form.cleaned_data["correction_reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s struck off the roll.") % {"name": voter.name})
    else:
        messages.error(request, _("Give the reason for striking this voter off."))
    return redirect("voter_edit", voter_id=voter.pk)


@login_required
@require_POST
def voter_restore(request, voter_id: int):
    voter = voter_for(request, voter_id)
    _require_editor(request)
    try:
        reg.voter_restore(
            actor=request.user, voter=voter, correction_reason=request.POST.get("correction_reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is back on the roll.") % {"name": voter.name})
    return redirect("voter_edit", voter_id=voter.pk)


@login_required
@require_POST
def voter_reveal(request, voter_id: int):
    """显示完整号码 — township staff and above; an audit event every time."""
    voter = voter_for(request, voter_id)
    field = "phone" if request.POST.get("field") == "phone" else "id_number"
    if field == "phone":
        value = reg.voter_reveal_phone(actor=request.user, voter=voter)
    else:
        value = reg.voter_reveal_id(actor=request.user, voter=voter)
    return render(request, "voters/_revealed.html", {"value": value, "field": field})


@login_required
def voter_template(request):
    """选民登记表模板 — the .xlsx clerks fill in."""
    response = HttpResponse(
        build_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(TEMPLATE_FILENAME)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def voter_card_check(request):
    """核验选民证 — ballot-day staff type the card number and check code; only voters of their own area."""
    villages = Region.objects.filter(
        code__in=Election.objects.visible_to(request.user).filter(cycle__status="open").values("region_id")
    ).order_by("code")
    form = CardCheckForm(request.GET or None, regions=villages)
    result = None
    if form.is_valid():
        voter = card_services.card_check(
            user=request.user,
            region_id=form.cleaned_data["region"],
            serial=form.cleaned_data["serial"],
            code=form.cleaned_data["code"],
        )
        result = {"ok": voter is not None, "voter": voter}
    return render(
        request, "voters/card_check.html", {"form": form, "result": result, "struck": VoterStatus.STRUCK}
    )
