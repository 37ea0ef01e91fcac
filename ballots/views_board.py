"""Pages of the live count board (唱票) and of the tie re-vote (再次投票).

Thin like ``views.py``: scope (404 out of area) → form → service → message → redirect. The clerk's
page is keyboard-only (static/js/count_board.js); the projector page polls its totals with htmx.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from election_admin.views_cycles import apply_validation_error

from . import selectors
from .models import BallotBox, BoardBallot, LiveBoard, RoundResult
from .services import board as board_services
from .services import ties as tie_services
from .services.common import may_enter, may_supervise

RECENT = 12


# ----------------------------------------------------------------------------------------------------
# Forms (shape only; the services check the rules)


class BallotForm(forms.Form):
    """One ballot: per post the list numbers marked "for" and the names written in; blank / unreadable."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
    is_blank = forms.BooleanField(
        label=_lazy("Blank ballot"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    is_unreadable = forms.BooleanField(
        label=_lazy("Unreadable ballot"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, setup: board_services.BoardSetup, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup = setup
        self.posts = []
        labels = setup.post_labels
        for post, seats in setup.seats.items():
            marks, write_ins = f"marks_{post}", f"write_ins_{post}"
            self.fields[marks] = forms.CharField(
                label=_("%(post)s · numbers marked for (%(seats)s seat(s))")
                % {"post": labels[post], "seats": seats},
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control board-marks"}),
            )
            self.fields[write_ins] = forms.CharField(
                label=labels[post],
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control"}),
            )
            self.posts.append((post, labels[post], seats, setup.post_lines(post), marks, write_ins))

    @property
    def post_rows(self):
        """Per post: label, seats, the numbered candidates and the two bound fields."""
        return [
            (post, label, seats, lines, self[marks], self[write_ins])
            for post, label, seats, lines, marks, write_ins in self.posts
        ]

    def clean(self):
        cleaned = super().clean()
        typed_marks = {post: cleaned.get(f"marks_{post}", "") for post in self.setup.seats}
        typed_write_ins = {post: cleaned.get(f"write_ins_{post}", "") for post in self.setup.seats}
        try:
            cleaned["marks"] = board_services.parse_marks(self.setup, typed_marks)
            cleaned["write_ins"] = board_services.parse_write_ins(self.setup, typed_write_ins)
        except ValidationError as error:
            apply_validation_error(self, error)
        return cleaned

    def ballot(self) -> dict:
        data = self.cleaned_data
        return {
            "token": data["token"],
            "marks": data.get("marks", {}),
            "write_ins": data.get("write_ins", {}),
            "is_blank": bool(data.get("is_blank")),
            "is_unreadable": bool(data.get("is_unreadable")),
        }


class CloseForm(forms.Form):
    voted = forms.IntegerField(label=_lazy("Voters who voted"), min_value=0)
    issued = forms.IntegerField(label=_lazy("Ballots issued"), min_value=0)
    confirmed = forms.BooleanField(label=_lazy("Every ballot of this box has been read out and entered."))


def _new_token() -> str:
    return secrets.token_urlsafe(18)


def _initial_for(ballot: BoardBallot, setup: board_services.BoardSetup) -> dict:
    """The entry form filled with a stored ballot (to correct it)."""
    number = {(line.post, line.person): line.number for line in setup.lines}
    initial = {"token": _new_token(), "is_blank": ballot.is_blank, "is_unreadable": ballot.is_unreadable}
    for post, ids in (ballot.marks or {}).items():
        initial[f"marks_{post}"] = " ".join(str(number.get((post, i), "?")) for i in ids)
    for post, names in (ballot.write_ins or {}).items():
        initial[f"write_ins_{post}"] = "、".join(names)
    return initial


# ----------------------------------------------------------------------------------------------------
# What the pages show


def _board(request, board_id: int) -> LiveBoard:
    return get_object_or_404(
        LiveBoard.objects.visible_to(request.user).select_related(
            "box", "election__region", "election__cycle__rule_set"
        ),
        pk=board_id,
    )


def board_view_data(board: LiveBoard, setup: board_services.BoardSetup) -> dict:
    """Running totals per post and candidate (write-ins included), as the clerk and projector show them."""
    posts = []
    votes = board.votes or {}
    for post, seats in setup.seats.items():
        rows = []
        for line in setup.post_lines(post):
            rows.append(
                {"number": line.number, "name": line.name, "votes": votes.get(f"{post}|{line.person}", 0)}
            )
        known = {f"{post}|{line.person}" for line in setup.post_lines(post)}
        for key, n in sorted(votes.items()):
            if key.startswith(f"{post}|") and key not in known:
                person = key.partition("|")[2]
                name = person.partition(":")[2] if person.startswith("write_in:") else person
                rows.append(
                    {"number": "", "name": name, "votes": n, "write_in": person.startswith("write_in:")}
                )
        posts.append(
            {
                "post": post,
                "label": setup.post_labels[post],
                "seats": seats,
                "rows": rows,
                "void": (board.post_void or {}).get(post, 0),
            }
        )
    return {
        "posts": posts,
        "returned": board.returned,
        "invalid": board.invalid,
        "valid": board.returned - board.invalid,
    }


def _names(setup: board_services.BoardSetup) -> dict[tuple[str, str], str]:
    return {(line.post, line.person): f"{line.number} {line.name}" for line in setup.lines}


def _recent(board: LiveBoard, setup) -> list[dict]:
    names = _names(setup)
    labels = setup.post_labels
    rows = []
    for ballot in BoardBallot.objects.filter(board=board).order_by("-sequence")[:RECENT]:
        by_post: dict[str, list[str]] = {}
        for post, ids in (ballot.marks or {}).items():
            by_post.setdefault(post, []).extend(names.get((post, i), i) for i in ids)
        for post, written in (ballot.write_ins or {}).items():
            by_post.setdefault(post, []).extend(f"＋{n}" for n in written)
        parts = [f"{labels.get(post, post)}：" + "、".join(who) for post, who in by_post.items()]
        rows.append({"ballot": ballot, "parts": parts, "verdict": ballot.verdict})
    return rows


# ----------------------------------------------------------------------------------------------------
# Views


@login_required
def board_for_box(request, box_id: int):
    """Open the box's count board for the round being counted (POST), or go to it if it is open."""
    box = get_object_or_404(
        BallotBox.objects.visible_to(request.user).select_related("election__region", "election__cycle"),
        pk=box_id,
    )
    election = box.election
    round_number = selectors.counting_round(election)
    board = LiveBoard.objects.filter(box=box, round_number=round_number).first()
    if board is not None:
        return redirect("ballots_board", board.pk)
    if request.method == "POST":
        if not may_enter(request.user):
            raise PermissionDenied
        try:
            board = board_services.board_open(actor=request.user, box=box, round_number=round_number)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The count board is open. Enter the ballots as they are read out."))
            return redirect("ballots_board", board.pk)
    return render(
        request,
        "ballots/board_open.html",
        {
            "election": election,
            "box": box,
            "round_number": round_number,
            "may_enter": may_enter(request.user),
        },
    )


@login_required
def board(request, board_id: int):
    """The clerk's page: enter a ballot (Enter saves), the running count, the last ballots with undo."""
    board = _board(request, board_id)
    setup = board_services.board_setup(board.election, board.round_number)
    form = BallotForm(initial={"token": _new_token()}, setup=setup)
    if request.method == "POST":
        if not may_enter(request.user):
            raise PermissionDenied
        form = BallotForm(request.POST, setup=setup)
        if form.is_valid():
            try:
                ballot, created = board_services.board_ballot_add(
                    actor=request.user, board=board, **form.ballot()
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if not created:
                    messages.info(
                        request, _("Ballot %(number)s was already saved.") % {"number": ballot.sequence}
                    )
                elif ballot.verdict["valid"] and not ballot.verdict["void_posts"]:
                    messages.success(request, _("Ballot %(number)s saved.") % {"number": ballot.sequence})
                else:
                    why = "；".join(r["zh"] for r in ballot.verdict["reasons"])
                    messages.warning(
                        request,
                        _("Ballot %(number)s saved: %(why)s") % {"number": ballot.sequence, "why": why},
                    )
                return redirect("ballots_board", board.pk)
    return render(
        request,
        "ballots/board_entry.html",
        {
            "election": board.election,
            "board": board,
            "form": form,
            "totals": board_view_data(board, setup),
            "recent": _recent(board, setup),
            "may_enter": may_enter(request.user) and board.is_open,
        },
    )


@login_required
@require_POST
def board_withdraw(request, ballot_id: int):
    ballot = get_object_or_404(
        BoardBallot.objects.visible_to(request.user).select_related("board__election"), pk=ballot_id
    )
    if not may_enter(request.user):
        raise PermissionDenied
    try:
        board_services.board_ballot_withdraw(actor=request.user, ballot=ballot)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ballot %(number)s taken back.") % {"number": ballot.sequence})
    return redirect("ballots_board", ballot.board_id)


@login_required
def board_correct(request, ballot_id: int):
    ballot = get_object_or_404(
        BoardBallot.objects.visible_to(request.user).select_related(
            "board__box", "board__election__region", "board__election__cycle__rule_set"
        ),
        pk=ballot_id,
    )
    if not may_enter(request.user):
        raise PermissionDenied
    board = ballot.board
    setup = board_services.board_setup(board.election, board.round_number)
    form = BallotForm(request.POST or None, initial=_initial_for(ballot, setup), setup=setup)
    if request.method == "POST" and form.is_valid():
        try:
            corrected = board_services.board_ballot_correct(
                actor=request.user, ballot=ballot, **form.ballot()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Ballot %(old)s corrected; entered again as ballot %(new)s.")
                % {"old": ballot.sequence, "new": corrected.sequence},
            )
            return redirect("ballots_board", board.pk)
    return render(
        request,
        "ballots/board_correct.html",
        {"election": board.election, "board": board, "ballot": ballot, "form": form},
    )


@login_required
def board_close(request, board_id: int):
    board = _board(request, board_id)
    if not may_enter(request.user):
        raise PermissionDenied
    setup = board_services.board_setup(board.election, board.round_number)
    form = CloseForm(request.POST or None, initial={"voted": None, "issued": None})
    if request.method == "POST" and form.is_valid():
        try:
            board_services.board_close(
                actor=request.user,
                board=board,
                voted=form.cleaned_data["voted"],
                issued=form.cleaned_data["issued"],
                confirm=form.cleaned_data["confirmed"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The count board is closed; the box's tally sheet is agreed."))
            return redirect("ballots_election_day", board.election_id)
    return render(
        request,
        "ballots/board_close.html",
        {"election": board.election, "board": board, "form": form, "totals": board_view_data(board, setup)},
    )


@login_required
def board_projector(request, board_id: int):
    """The room's screen: big running totals, refreshed every 2 s (htmx polls ``board_projector_totals``)."""
    board = _board(request, board_id)
    setup = board_services.board_setup(board.election, board.round_number)
    return render(
        request,
        "ballots/board_projector.html",
        {"election": board.election, "board": board, "totals": board_view_data(board, setup)},
    )


@login_required
def board_projector_totals(request, board_id: int):
    board = _board(request, board_id)
    setup = board_services.board_setup(board.election, board.round_number)
    return render(
        request,
        "ballots/board_projector_totals.html",
        {"board": board, "totals": board_view_data(board, setup)},
    )


# ----------------------------------------------------------------------------------------------------
# Tie re-vote


class TieRevoteForm(forms.Form):
    held_on = forms.DateField(
        label=_lazy("Date of the re-vote"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ballots = forms.IntegerField(label=_lazy("Ballots cast in the re-vote"), min_value=0)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person, name in self.people:
            self.fields[f"p_{person}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": name},
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "min": 0}),
            )

    def votes(self) -> dict[str, int]:
        return {person: self.cleaned_data[f"p_{person}"] for person, _name in self.people}


@login_required
def tie_revote(request, result_id: int, index: int):
    """Record the re-vote among the people tied in a computed result (township staff or above)."""
    result = get_object_or_404(
        RoundResult.objects.visible_to(request.user).select_related("election__region", "election__cycle"),
        pk=result_id,
    )
    election = result.election
    pending = tie_services.pending_ties(result)
    if index < 0 or index >= len(pending):
        messages.info(request, _("This tie has been decided already."))
        return redirect("ballots_results", election.pk)
    tie = pending[index]
    form = TieRevoteForm(request.POST or None, initial={"held_on": timezone.localdate()}, people=tie.people)
    if request.method == "POST":
        if not may_supervise(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                record = tie_services.tie_revote_record(
                    actor=request.user,
                    result=result,
                    tie_id=tie.id,
                    held_on=form.cleaned_data["held_on"],
                    ballots=form.cleaned_data["ballots"],
                    votes=form.votes(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if record.is_settled:
                    messages.success(request, _("Re-vote recorded; the results are computed again."))
                else:
                    messages.warning(
                        request,
                        _("The re-vote tied again: another re-vote among the people still tied is needed."),
                    )
                return redirect("ballots_results", election.pk)
    return render(
        request,
        "ballots/tie_revote.html",
        {
            "election": election,
            "result": result,
            "tie": tie,
            "held": [
                (record, [(tie_services.person_name(result, p), n) for p, n in record.votes.items()])
                for record in tie.held
            ],
            "form": form,
            "may_certify": may_supervise(request.user),
        },
    )
