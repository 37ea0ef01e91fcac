"""The pure rules of the candidate list (差额 and order) — no Django import, tested exhaustively.

Committees elected by villagers or residents: each post needs between ``seats + margin_min`` and
``seats + margin_max`` candidates (VCOL §15; SH §12 members +1…+3; BJ §16 +1…+2 per post), taken in
nomination-vote order; passed nominees beyond the cap are reserves who fill a gap after a withdrawal.
Party branch committees: at least 20 % more candidates than seats (CPC §13), rounded up, no cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from .strokes import stroke_sort_key

T = TypeVar("T")


@dataclass(frozen=True)
class Margin:
    """How many more candidates than seats a post needs: at least ``minimum``, at most ``maximum``
    extra (None: no upper limit)."""

    minimum: int
    maximum: int | None


def party_extra(seats: int, percent: int) -> int:
    """Extra candidates a party branch needs: ``percent`` of the seats, rounded up (5 seats, 20 % → 1)."""
    return (seats * percent + 99) // 100


def party_margin(seats: int, percent: int) -> Margin:
    return Margin(minimum=party_extra(seats, percent), maximum=None)


def candidates_needed(seats: int, margin: Margin) -> tuple[int, int | None]:
    """(fewest, most) candidates a post of ``seats`` seats may have on the official list."""
    low = seats + margin.minimum
    high = None if margin.maximum is None else seats + margin.maximum
    return low, high


@dataclass(frozen=True)
class Ranked(Generic[T]):
    """One passed nominee with what decides the order: the tally, then the nomination time, then the name."""

    item: T
    tally: int
    nominated_at: datetime
    name: str


def tally_order(items: Sequence[Ranked[T]]) -> list[Ranked[T]]:
    """Nomination-vote order: most nominations first; ties by earlier nomination, then by surname strokes."""
    return sorted(items, key=lambda r: (-r.tally, r.nominated_at, stroke_sort_key(r.name)))


@dataclass(frozen=True)
class Cut(Generic[T]):
    """The official candidates of one post, the reserves after them, and a tie at the cut-off if any."""

    official: list[T]
    reserves: list[T]
    tie_at_cutoff: list[T]


def cut_list(ordered: Sequence[Ranked[T]], cap: int | None, *, by_tally: bool = True) -> Cut[T]:
    """Take the first ``cap`` of an ordered post list (all when ``cap`` is None). When the last official
    and the first reserve have the same tally, the cut-off is undecided: those tied are returned in
    ``tie_at_cutoff`` (the village must break the tie, e.g. by a preliminary vote)."""
    if cap is None or len(ordered) <= cap:
        return Cut([r.item for r in ordered], [], [])
    official, reserves = list(ordered[:cap]), list(ordered[cap:])
    tied: list[T] = []
    if by_tally and cap > 0 and official[-1].tally == reserves[0].tally:
        tally = official[-1].tally
        tied = [r.item for r in ordered if r.tally == tally]
    return Cut([r.item for r in official], [r.item for r in reserves], tied)


def direct_nomination_limit(ballots_returned: int, seats: int) -> int:
    """The most nominations a post can have received in a direct nomination: each voter names at most as
    many people as there are seats (ZJ §17, BJ §16), so the tallies add up to no more than this."""
    return ballots_returned * seats
