"""Scoped reads of the ballots app: what the election-day, tally and results pages show."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count

from election_admin.choices_cycles import Stage
from election_admin.models import Election

from .choices import FIGURES, FIRST_ROUND, RUNOFF_ROUND
from .models import BallotBox, CountStaff, Proxy, RoundResult, TallySheet, Venue
from .services.tally import vote_key

POST_ORDER = ["chair", "vice_chair", "women_member", "member"]


@dataclass(frozen=True)
class VoteLine:
    """One line of a tally sheet: a candidate on their post."""

    key: str
    field: str
    name: str
    post: str
    post_label: str


def runoff_seats(election: Election) -> list[dict]:
    """The posts with seats left after round 1, from its current result's plan, in the plan's order: each
    ``{"post", "seats", "pool", …}`` with the run-off list (``pool``) in round-1 vote order, as the ballot
    paper and the count board number it (candidate ids; written-in names as ``w:name``)."""
    first = (
        RoundResult.objects.filter(election=election, round_number=FIRST_ROUND, is_current=True)
        .only("outcome")
        .first()
    )
    plan = (first.outcome.get("plan") if first else None) or {}
    return [s for s in plan.get("seats", []) if s.get("seats")]


def vote_lines(election: Election, round_number: int = FIRST_ROUND) -> list[VoteLine]:
    """The candidates' lines of the tally sheet, in post and list order (empty without candidates); for the
    run-off, only the people on its list, in its order (written-in people of the list go in the write-in
    rows)."""
    lines = _official_lines(election)
    if round_number == RUNOFF_ROUND:
        rank = {
            (item["post"], person): i
            for item in runoff_seats(election)
            for i, person in enumerate(item["pool"])
        }
        lines = [line for line in lines if (line.post, line.key.partition("|")[2]) in rank]
        posts = [line.post for line in lines]
        lines.sort(key=lambda line: (posts.index(line.post), rank[(line.post, line.key.partition("|")[2])]))
    return lines


def _official_lines(election: Election) -> list[VoteLine]:
    if not apps.is_installed("candidates"):
        return []
    from candidates.models import Candidate

    rows = Candidate.objects.filter(election=election, status="passed").select_related("voter")
    rows = sorted(
        rows,
        key=lambda c: (
            POST_ORDER.index(c.post) if c.post in POST_ORDER else 9,
            c.list_position or 999,
            c.pk,
        ),
    )
    return [
        VoteLine(
            key=vote_key(c.post, str(c.pk)),
            field=f"v{c.pk}",
            name=c.voter.name,
            post=c.post,
            post_label=str(c.get_post_display()),
        )
        for c in rows
    ]


def counting_round(election: Election) -> int:
    """Round 1, or the run-off (另行选举) once round 1 left seats and the election waits for it."""
    return RUNOFF_ROUND if election.stage == Stage.RUNOFF else FIRST_ROUND


def election_day_overview(user, election: Election) -> dict:
    boxes = list(
        BallotBox.objects.visible_to(user)
        .filter(election=election)
        .select_related("venue")
        .annotate(mobile_voter_count=Count("mobile_voters"))
        .order_by("id")
    )
    round_number = counting_round(election)
    sheets = {s.box_id: s for s in TallySheet.objects.filter(election=election, round_number=round_number)}
    return {
        "round_number": round_number,
        "is_runoff": round_number == RUNOFF_ROUND,
        "venues": Venue.objects.visible_to(user).filter(election=election),
        "boxes": [(box, sheets.get(box.pk)) for box in boxes],
        "mobile_boxes": [box for box in boxes if box.is_mobile],
        "staff": CountStaff.objects.visible_to(user).filter(election=election).select_related("box"),
        "proxies": Proxy.objects.visible_to(user)
        .filter(election=election)
        .select_related("principal", "proxy"),
    }


def comparison_rows(sheet: TallySheet, lines: list[VoteLine]) -> list[dict]:
    """Every line of the sheet with the two entries side by side and whether they differ."""
    entries = list(sheet.entries.order_by("id"))
    labels = {line.key: f"{line.post_label} · {line.name}" for line in lines}
    keys = list(FIGURES) + [line.key for line in lines]
    for entry in entries:
        keys += [k for k in entry.votes if k not in keys]
    rows = []
    for key in keys:
        values = []
        for entry in entries:
            value = getattr(entry, key) if key in FIGURES else entry.votes.get(key, 0)
            values.append(value)
        rows.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "values": values,
                "differs": len(set(values)) > 1,
            }
        )
    return rows


def results_of(election: Election) -> list[RoundResult]:
    return list(RoundResult.objects.filter(election=election).order_by("round_number", "-version"))


def roll_voter(user, election: Election, name: str, last4: str):
    """The one voter of the election's roll the user may see with this name and ID ending, or None."""
    from voters.models import Voter
    from voters.services.rolls import roll_for_election

    ref = roll_for_election(election)
    found = list(
        Voter.objects.visible_to(user)
        .filter(**ref.filter_kwargs(), name=name.strip(), id_masked__endswith=last4.strip().upper())
        .order_by("id")[:2]
    )
    return found[0] if len(found) == 1 else None
