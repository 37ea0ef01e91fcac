"""Progress counters: the running totals the dashboards read (one row per province, city and county ×
stage × election day × next deadline).

Every service that changes an election's stage, election day, next deadline or results takes a
``progress_snapshot`` before and after and calls ``progress_move`` in the same transaction, so the
counters always equal what ``progress_counters_rebuild`` would compute from the elections.

The counters hold the elections of cycles that are not closed: closing a cycle takes its elections off
(``progress_cycle_closed``), so a region with the last term's cycle loaded (for the statistics'
comparison) does not count its villages twice.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Substr

from ..choices_cycles import CycleStatus
from ..models import Election, ProgressCounter
from ..models.elections import NO_DATE

# Counters are kept for the province, city and county levels (the pages of the country, a province and a
# city read them); county and township pages group their few thousand elections directly.
COUNTER_CODE_LENGTHS = (2, 4, 6)


@dataclass(frozen=True)
class Snapshot:
    region_code: str
    stage: str
    election_day: date | None
    due_on: date | None
    registered: int
    voted: int
    first_round_filled: int
    counted: bool = True  # False for an election of a closed cycle: it is on no counter


def progress_snapshot(election: Election) -> Snapshot:
    has_results = election.voted_count is not None
    return Snapshot(
        region_code=election.region_id,
        stage=election.stage,
        election_day=election.election_day,
        due_on=election.next_deadline_on,
        registered=(election.registered_count or 0) if has_results else 0,
        voted=(election.voted_count or 0) if has_results else 0,
        first_round_filled=1 if election.filled_in_first_round else 0,
        counted=election.cycle.status != CycleStatus.CLOSED,
    )


Key = tuple[str, str, date, date]


def _add(deltas: dict[Key, list[int]], snapshot: Snapshot, sign: int) -> None:
    if not snapshot.counted:
        return
    for length in COUNTER_CODE_LENGTHS:
        key = (
            snapshot.region_code[:length],
            snapshot.stage,
            snapshot.election_day or NO_DATE,
            snapshot.due_on or NO_DATE,
        )
        row = deltas[key]
        row[0] += sign
        row[1] += sign * snapshot.registered
        row[2] += sign * snapshot.voted
        row[3] += sign * snapshot.first_round_filled


def progress_move(*, before: Snapshot | None, after: Snapshot | None) -> None:
    """Move one election's contribution from ``before`` to ``after`` (either may be None)."""
    if before == after:
        return
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    if before is not None:
        _add(deltas, before, -1)
    if after is not None:
        _add(deltas, after, +1)
    _apply(deltas)


def progress_add_many(snapshots: Iterable[Snapshot]) -> None:
    """Add many new elections at once (cycle creation)."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for snapshot in snapshots:
        _add(deltas, snapshot, +1)
    _apply(deltas)


def progress_move_many(pairs: Iterable[tuple[Snapshot, Snapshot]]) -> None:
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for before, after in pairs:
        if before != after:
            _add(deltas, before, -1)
            _add(deltas, after, +1)
    _apply(deltas)


def _apply(deltas: dict[Key, list[int]]) -> None:
    """Upsert the deltas, in key order (so concurrent writers lock rows in the same order)."""
    if not connection.in_atomic_block:
        raise RuntimeError("progress counters must change inside the transaction of the election change")
    rows = [(key, values) for key, values in sorted(deltas.items()) if any(values)]
    if not rows:
        return
    table = connection.ops.quote_name(ProgressCounter._meta.db_table)
    columns = "region_code, stage, election_day, due_on, elections, registered, voted, first_round_filled"
    updates = ", ".join(
        f"{name} = {table}.{name} + excluded.{name}"
        for name in ("elections", "registered", "voted", "first_round_filled")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params: list = []
            for (code, stage, election_day, due_on), values in chunk:
                params += [code, stage, election_day.isoformat(), due_on.isoformat(), *values]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {placeholders} "
                f"ON CONFLICT (region_code, stage, election_day, due_on) DO UPDATE SET {updates}",
                params,
            )


def counter_totals_from_elections(code_length: int, prefix: str = "", elections=None):
    """The counters of one level, computed from the elections (for the rebuild and for checks): those of
    cycles that are not closed, or the ``elections`` given."""
    has_results = Q(voted_count__isnull=False)
    if elections is None:
        elections = Election.objects.exclude(cycle__status=CycleStatus.CLOSED)
    return (
        elections.filter(region__code__startswith=prefix)
        .annotate(
            code=Substr("region_id", 1, code_length),
            day=Coalesce("election_day", Value(NO_DATE)),
            due=Coalesce("next_deadline_on", Value(NO_DATE)),
        )
        .values("code", "stage", "day", "due")
        .annotate(
            n=Count("id"),
            reg=Coalesce(Sum("registered_count", filter=has_results), 0),
            vot=Coalesce(Sum("voted_count", filter=has_results), 0),
            first=Coalesce(
                Sum(Case(When(filled_in_first_round=True, then=1), default=0, output_field=IntegerField())), 0
            ),
        )
        .order_by()
    )


@transaction.atomic
def progress_counters_rebuild() -> int:
    """Recompute every counter from the elections (repair, or after loading data in bulk)."""
    ProgressCounter.objects.all().delete()
    created = 0
    for length in COUNTER_CODE_LENGTHS:
        batch = [
            ProgressCounter(
                region_code=row["code"],
                stage=row["stage"],
                election_day=row["day"],
                due_on=row["due"],
                elections=row["n"],
                registered=row["reg"],
                voted=row["vot"],
                first_round_filled=row["first"],
            )
            for row in counter_totals_from_elections(length)
        ]
        ProgressCounter.objects.bulk_create(batch, batch_size=2000)
        created += len(batch)
    return created


def _as_date(value) -> date:
    return date.fromisoformat(str(value)[:10]) if not isinstance(value, date) else value


def progress_cycle_closed(cycle) -> None:
    """Take the elections of a cycle being closed off the counters (in the closing transaction)."""
    elections = Election.objects.filter(cycle=cycle)
    deltas: dict[Key, list[int]] = {}
    for length in COUNTER_CODE_LENGTHS:
        for row in counter_totals_from_elections(length, elections=elections):
            key = (row["code"], row["stage"], _as_date(row["day"]), _as_date(row["due"]))
            deltas[key] = [-row["n"], -row["reg"], -row["vot"], -row["first"]]
    _apply(deltas)
    ProgressCounter.objects.filter(elections=0).delete()
