"""The lists of election day (公示): the proxy votes, and each mobile ballot box's voters with their notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from election_admin.views_cycles import apply_validation_error

from . import selectors
from .choices import BoxKind, StaffRole
from .forms import MobileBoxVoterForm
from .models import BallotBox, MobileBoxVoter
from .services.common import may_enter
from .services.election_day import mobile_box_voter_add, mobile_box_voter_remove
from .services.lists import mobile_box_list_publish, proxy_list_publish
from .views import NOT_ON_ROLL, _election


def _mobile_box(request, box_id: int) -> BallotBox:
    return get_object_or_404(
        BallotBox.objects.visible_to(request.user).select_related("election__region", "election__cycle"),
        pk=box_id,
        kind=BoxKind.MOBILE,
    )


@login_required
def mobile_box_voters(request, box_id: int):
    """流动票箱投票选民: the list of one mobile box — add a voter from the roll, take one off, publish."""
    box = _mobile_box(request, box_id)
    election = box.election
    form = MobileBoxVoterForm(request.POST or None)
    if request.method == "POST":
        if not may_enter(request.user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            voter = selectors.roll_voter(request.user, election, data["name"], data["id_last4"])
            if voter is None:
                form.add_error(None, NOT_ON_ROLL)
            else:
                try:
                    mobile_box_voter_add(actor=request.user, box=box, voter=voter, reason=data["reason"])
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, _("%(name)s is on the list.") % {"name": voter.name})
                    return redirect("ballots_mobile_box_voters", box.pk)
    items = (
        MobileBoxVoter.objects.filter(box=box).select_related("voter").order_by("voter__group", "voter__name")
    )
    return render(
        request,
        "ballots/mobile_box.html",
        {
            "election": election,
            "box": box,
            "form": form,
            "items": items,
            "scrutineers": box.staff.filter(role=StaffRole.SCRUTINEER).order_by("id"),
            "may_enter": may_enter(request.user),
        },
    )


@login_required
@require_POST
def mobile_box_voter_delete(request, item_id: int):
    item = get_object_or_404(
        MobileBoxVoter.objects.visible_to(request.user).select_related("voter"), pk=item_id
    )
    try:
        mobile_box_voter_remove(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is off the list.") % {"name": item.voter.name})
    return redirect("ballots_mobile_box_voters", item.box_id)


@login_required
@require_POST
def mobile_box_publish(request, box_id: int):
    box = _mobile_box(request, box_id)
    try:
        document = mobile_box_list_publish(actor=request.user, box=box)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ballots_mobile_box_voters", box.pk)
    return redirect("document_download", document.pk)


@login_required
@require_POST
def proxies_publish(request, election_id: int):
    election = _election(request, election_id)
    try:
        document = proxy_list_publish(actor=request.user, election=election)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ballots_election_day", election.pk)
    return redirect("document_download", document.pk)
