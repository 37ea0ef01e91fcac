"""Statistics of the round and of the people elected, for any region and cycle — read side.

Every figure is an aggregate computed in the database in one ``GROUP BY`` per table (elections,
election-day figures, people elected), grouped by body and, for the hierarchy rows and charts, by
the child region. The conditions behind each figure are kept in ``ROUND_FIGURES`` / ``MEMBER_FIGURES``
and reused by the drill-down lists, so a number and the list behind it can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from election_admin import legal_calendar as cal
from election_admin.choices import CODE_LENGTH, RegionLevel
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Cycle, Election, Region

from . import arithmetic as ar
from .models import (
    COMMITTEE_BODIES,
    EDUCATION_BANDS,
    LEVEL_COLUMNS,
    MAJORITY_ETHNICITY,
    PARTY_MEMBERSHIPS,
    TALLY_SUMS,
    ElectedMember,
    ElectionDayFigures,
    MemberTally,
    PartyPost,
    Post,
)

# ---------------------------------------------------------------------------------------------------
# Body groups. "committee" is the villagers' or residents' committee (村(居)委会) of each village.
ROUND_GROUPS = {
    "committee": COMMITTEE_BODIES,
    "party_branch": (Body.PARTY_BRANCH,),
    "supervision": (Body.SUPERVISION_COMMITTEE,),
}
ROUND_GROUP_OF_BODY = {body: group for group, bodies in ROUND_GROUPS.items() for body in bodies}

# Conditions of the round figures on Election.
HELD = sorted(cal.HELD_STAGES)
COMPLETE = sorted(cal.COMPLETE_STAGES)


def _round_conditions(window_end: str) -> dict[str, Q]:
    return {
        "due": Q(),
        "held": Q(stage__in=HELD),
        "elected": Q(stage__in=COMPLETE),
        "on_time": Q(stage__in=COMPLETE, **{f"stage_dates__{Stage.RESULTS_CERTIFIED}__lte": window_end}),
        "late": Q(stage__in=HELD)
        & ~Q(stage__in=COMPLETE, **{f"stage_dates__{Stage.RESULTS_CERTIFIED}__lte": window_end}),
        "first_round_success": Q(stage__in=HELD, filled_in_first_round=True),
        "runoff": Q(stage_dates__has_key=Stage.RUNOFF),
        "rerun": Q(stage_dates__has_key=Stage.RERUN),
        "failed": Q(stage=Stage.FAILED),
        "with_turnout": Q(registered_count__isnull=False, voted_count__isnull=False),
    }


ROUND_COUNTS = ("due", "held", "elected", "on_time", "first_round_success", "runoff", "rerun", "failed")
DAY_FIGURES = (
    "proxy_voters",
    "mobile_box_voters",
    "ballot_writer_voters",
    "boxes",
    "mobile_boxes",
    "booths",
    "polling_stations",
)

# Member groups: (python predicate on a grouped row, Q for the drill-down).
MEMBER_GROUPS: dict[str, tuple] = {
    "both": (
        lambda r: (
            r["body"] in COMMITTEE_BODIES or (r["body"] == Body.PARTY_BRANCH and not r["cross_serving"])
        ),
        Q(body__in=COMMITTEE_BODIES) | Q(body=Body.PARTY_BRANCH, cross_serving=False),
    ),
    "committee": (lambda r: r["body"] in COMMITTEE_BODIES, Q(body__in=COMMITTEE_BODIES)),
    "party_branch": (lambda r: r["body"] == Body.PARTY_BRANCH, Q(body=Body.PARTY_BRANCH)),
    "supervision": (lambda r: r["body"] == Body.SUPERVISION_COMMITTEE, Q(body=Body.SUPERVISION_COMMITTEE)),
    "chairs": (
        lambda r: r["body"] in COMMITTEE_BODIES and r["post"] == Post.CHAIR,
        Q(body__in=COMMITTEE_BODIES, post=Post.CHAIR),
    ),
    "secretaries": (
        lambda r: r["body"] == Body.PARTY_BRANCH and r["party_post"] == PartyPost.SECRETARY,
        Q(body=Body.PARTY_BRANCH, party_post=PartyPost.SECRETARY),
    ),
}

MEMBER_FIGURES: dict[str, Q] = {
    "count": Q(),
    "women": Q(gender="female"),
    "party": Q(party_membership__in=PARTY_MEMBERSHIPS),
    "minority": ~Q(ethnicity__in=[MAJORITY_ETHNICITY, ""]),
    **{key: Q(age__gte=low, age__lte=high) for key, low, high in ar.AGE_BANDS},
    **{f"women_{key}": Q(gender="female", age__gte=low, age__lte=high) for key, low, high in ar.AGE_BANDS},
    **{key: Q(education__in=list(values)) for key, values in EDUCATION_BANDS.items()},
    "re_elected": Q(re_elected=True),
    "first_time": Q(re_elected=False),
    "compared": Q(re_elected__isnull=False),
    "cross_serving": Q(cross_serving=True),
    "dual_role": Q(dual_role=True, body=Body.PARTY_BRANCH),
}
# Counts shown as a share of the group's count (re-elected/first-time: of the people compared).
MEMBER_SHARES = (
    "women",
    "party",
    "minority",
    *[key for key, _low, _high in ar.AGE_BANDS],
    *EDUCATION_BANDS,
)


# ---------------------------------------------------------------------------------------------------
def child_length(code: str) -> int | None:
    """Code length of the level below ``code`` (None below a township: villages are the rows)."""
    lengths = sorted(CODE_LENGTH.values())
    longer = [n for n in lengths if n > len(code)]
    return longer[0] if longer else None


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest cycle that ended before ``cycle`` began and overlaps its area (covering it, or inside it)."""
    code = cycle.region_id
    covering = [code[:n] for n in CODE_LENGTH.values() if n <= len(code)]
    return (
        Cycle.objects.filter(window_end__lt=cycle.window_start)
        .filter(Q(region_id__in=covering) | Q(region__code__startswith=code))
        .exclude(pk=cycle.pk)
        .order_by("-window_end", "-pk")
        .first()
    )


def previous_members(cycle: Cycle):
    """The people of the term before ``cycle``: those of the previous cycle in the system, and the lists
    imported as the previous term of ``cycle``."""
    prev = previous_cycle(cycle)
    condition = Q(previous_of=cycle)
    if prev is not None:
        condition |= Q(cycle=prev)
    return ElectedMember.objects.filter(condition)


# ---------------------------------------------------------------------------------------------------
def _elections(cycle: Cycle, code: str):
    rows = Election.objects.filter(cycle=cycle)
    if code:
        rows = rows.filter(region__code__startswith=code)
    return rows


def _empty_round() -> dict:
    return {**dict.fromkeys(ROUND_COUNTS, 0), "registered": 0, "voted": 0, **dict.fromkeys(DAY_FIGURES, None)}


def _round_finish(row: dict) -> dict:
    row["on_time_pct"] = ar.share(row["on_time"], row["due"])
    row["first_round_success_pct"] = ar.share(row["first_round_success"], row["held"])
    row["elected_pct"] = ar.share(row["elected"], row["due"])
    row["turnout_pct"] = ar.share(row["voted"], row["registered"])
    return row


def _round_rows(cycle: Cycle, code: str, child_len: int | None) -> dict:
    """{(group, child or ""): figures} for the region and, with ``child_len``, each child region."""
    conditions = _round_conditions(cycle.window_end.isoformat())
    elections = _elections(cycle, code)
    keys = ["body"]
    if child_len:
        elections = elections.annotate(child=Substr("region_id", 1, child_len))
        keys.append("child")
    aggregates = {name: Count("id", filter=conditions[name]) for name in ROUND_COUNTS}
    aggregates["registered"] = Sum("registered_count", filter=conditions["with_turnout"])
    aggregates["voted"] = Sum("voted_count", filter=conditions["with_turnout"])
    out: dict = defaultdict(_empty_round)
    for item in elections.order_by().values(*keys).annotate(**aggregates):
        group = ROUND_GROUP_OF_BODY[item["body"]]
        for child in ("", item.get("child")) if child_len else ("",):
            if child is None:
                continue
            row = out[(group, child)]
            for name in ROUND_COUNTS:
                row[name] += item[name]
            row["registered"] += item["registered"] or 0
            row["voted"] += item["voted"] or 0
    days = ElectionDayFigures.objects.filter(cycle=cycle)
    if code:
        days = days.filter(region__code__startswith=code)
    if child_len:
        days = days.annotate(child=Substr("region_id", 1, child_len))
    for item in days.order_by().values(*keys).annotate(**{name: Sum(name) for name in DAY_FIGURES}):
        group = ROUND_GROUP_OF_BODY[item["body"]]
        for child in ("", item.get("child")) if child_len else ("",):
            if child is None:
                continue
            row = out[(group, child)]
            for name in DAY_FIGURES:
                if item[name] is not None:
                    row[name] = (row[name] or 0) + item[name]
    return out


def round_statistics(region: Region | None, cycle: Cycle) -> dict:
    """Round statistics of ``region`` (None: the whole cycle) by body group: ``{"committee": {...}, ...}``.

    Figures: due (elections of the cycle), held, elected (results certified or handed over), on_time
    (results certified no later than the cycle's last election day), first_round_success (committee
    filled in round 1, of those held), runoff (went to a run-off), rerun (re-run scheduled), failed
    (void, awaiting a re-run), registered / voted / turnout_pct (elections with certified figures),
    proxy / mobile-box / ballot-writer voters, boxes, mobile boxes, booths, polling stations."""
    code = region.code if region is not None else ""
    rows = _round_rows(cycle, code, None)
    return {group: _round_finish(dict(rows.get((group, ""), _empty_round()))) for group in ROUND_GROUPS}


def round_breakdown(region: Region | None, cycle: Cycle, group: str = "committee") -> list[dict]:
    """One row per child region (villages below a township) with the round figures of ``group``."""
    code = region.code if region is not None else ""
    child_len = child_length(code) if code else 2
    rows = _round_rows(cycle, code, child_len)
    names = _child_names(code, child_len)
    return [
        {"code": child, "name": names.get(child, child), **_round_finish(dict(rows[(g, child)]))}
        for (g, child) in sorted(rows)
        if g == group and child
    ]


def round_overview(region: Region, cycle: Cycle) -> tuple[dict, dict]:
    """Round statistics of ``region`` by group and of each child region by group, in one pass:
    ``({group: figures}, {group: [child rows]})``."""
    child_len = child_length(region.code)
    rows = _round_rows(cycle, region.code, child_len)
    totals = {group: _round_finish(dict(rows.get((group, ""), _empty_round()))) for group in ROUND_GROUPS}
    names = _child_names(region.code, child_len)
    children: dict = {group: [] for group in ROUND_GROUPS}
    for (group, child), row in sorted(rows.items()):
        if child:
            children[group].append(
                {"code": child, "name": names.get(child, child), **_round_finish(dict(row))}
            )
    return totals, children


def _child_names(code: str, child_len: int | None) -> dict[str, str]:
    if not child_len:
        return {}
    level = {length: level for level, length in CODE_LENGTH.items()}[child_len]
    regions = Region.objects.filter(level=level)
    if code:
        regions = regions.filter(code__startswith=code)
    return dict(regions.values_list("code", "name"))


# ---------------------------------------------------------------------------------------------------
def _member_aggregates() -> dict:
    aggregates = {f"n_{name}": Count("id", filter=condition) for name, condition in MEMBER_FIGURES.items()}
    aggregates["n_age_sum"] = Sum("age")
    return aggregates


def _tally_aggregates() -> dict:
    return {f"t_{name}": Sum(name) for name in TALLY_SUMS}


def _empty_members() -> dict:
    return {**{name: 0 for name in MEMBER_FIGURES}, "age_sum": 0}


def _member_rows(members, child_column: str | None, groups: dict) -> dict:
    """{(group, child or ""): sums}. ``members``: ElectedMember rows, or MemberTally rows (county and
    above: the same sums, added up per township in advance)."""
    keys = ["body", "post", "party_post", "cross_serving"]
    if child_column:
        keys.append(child_column)
    aggregates = _tally_aggregates() if members.model is MemberTally else _member_aggregates()
    out: dict = defaultdict(_empty_members)
    for item in members.order_by().values(*keys).annotate(**aggregates):
        if members.model is MemberTally:
            item = {**item, **{name: item[f"t_{name}"] for name in TALLY_SUMS}}
        children = ("", item[child_column]) if child_column else ("",)
        for group, (predicate, _q) in groups.items():
            if not predicate(item):
                continue
            for child in children:
                row = out[(group, child)]
                for name in MEMBER_FIGURES:
                    row[name] += item[f"n_{name}"] or 0
                row["age_sum"] += item["n_age_sum"] or 0
    return out


def _member_finish(row: dict, villages: int | None = None) -> dict:
    out = {name: row[name] for name in MEMBER_FIGURES}
    out["avg_age"] = ar.average(row["age_sum"], row["count"])
    for name in MEMBER_SHARES:
        out[f"{name}_pct"] = ar.share(row[name], row["count"])
    if row["compared"]:
        out["re_elected_pct"] = ar.share(row["re_elected"], row["compared"])
        out["first_time_pct"] = ar.share(row["first_time"], row["compared"])
    else:
        out["re_elected"] = out["first_time"] = None
        out["re_elected_pct"] = out["first_time_pct"] = None
    out["cross_serving_pct"] = ar.share(row["cross_serving"], row["count"])
    return out


def _members(cycle: Cycle | None, region_code: str, *, previous_of: Cycle | None = None, tally: bool = True):
    """The rows to add up: the township tallies for a county or above, the people for a township."""
    use_tally = tally and len(region_code) <= 6
    model = MemberTally if use_tally else ElectedMember
    if previous_of is not None:
        prev = previous_cycle(previous_of)
        condition = Q(previous_of=previous_of) | (Q(cycle=prev) if prev is not None else Q(pk__in=[]))
        rows = model.objects.filter(condition)
    else:
        rows = model.objects.filter(cycle=cycle)
    return rows.in_region(region_code)


def _member_groups(groups) -> dict:
    return {g: MEMBER_GROUPS[g] for g in (groups or MEMBER_GROUPS)}


def _add_village_shares(stats: dict) -> dict:
    """一肩挑 share: villages whose party secretary is also the committee chair, of the villages with a
    chair elected."""
    chairs = stats.get("chairs", {}).get("count") or 0
    secretaries = stats.get("secretaries", {})
    dual = secretaries.get("dual_role") or 0
    for row in stats.values():
        row["villages"] = chairs
        row["dual_role_villages"] = dual
        row["dual_role_pct"] = ar.share(dual, chairs)
    return stats


def member_statistics(
    region: Region | None, cycle: Cycle, body: str | None = None, posts=None, *, previous: bool = False
) -> dict:
    """Statistics of the people elected in ``region`` in ``cycle`` by group (``both`` — both committees
    counting each person once, ``committee``, ``party_branch``, ``supervision``, ``chairs``,
    ``secretaries``). ``body`` narrows to one group's key; ``posts`` is accepted for the groups of
    chairs/secretaries (kept for the contract). ``previous=True``: the same for the previous term."""
    code = region.code if region is not None else ""
    groups = _member_groups([body] if body else None)
    if body and body not in ("chairs", "secretaries"):
        groups.update({g: MEMBER_GROUPS[g] for g in ("chairs", "secretaries")})
    members = _members(None, code, previous_of=cycle) if previous else _members(cycle, code)
    rows = _member_rows(members, None, groups)
    stats = {g: _member_finish(rows.get((g, ""), _empty_members())) for g in groups}
    return _add_village_shares(stats)


def member_comparison(current: dict, previous: dict) -> dict:
    """{group: {figure: change}} — years for averages, points for shares (of published figures)."""
    out = {}
    for group, row in current.items():
        before = previous.get(group, {})
        out[group] = {
            name: ar.change(value, before.get(name))
            for name, value in row.items()
            if name.endswith("_pct") or name == "avg_age"
        }
    return out


def has_previous(region: Region | None, cycle: Cycle) -> bool:
    code = region.code if region is not None else ""
    return _members(None, code, previous_of=cycle).exists()


def member_breakdown(region: Region | None, cycle: Cycle, group: str = "both") -> list[dict]:
    """One row per child region with the member figures of ``group`` (women's share by township…)."""
    code = region.code if region is not None else ""
    child_len = child_length(code) if code else 2
    column = LEVEL_COLUMNS[child_len]
    groups = {group: MEMBER_GROUPS[group]}
    rows = _member_rows(_members(cycle, code, tally=child_len <= 9), column, groups)
    names = _child_names(code, child_len)
    return [
        {"code": child, "name": names.get(child, child), **_member_finish(rows[(g, child)])}
        for (g, child) in sorted(rows)
        if child
    ]


def occupations(region: Region | None, cycle: Cycle, group: str = "both") -> list[tuple[str, int]]:
    code = region.code if region is not None else ""
    rows = _members(cycle, code)
    condition = MEMBER_GROUPS[group][1]
    counts: dict[str, int] = defaultdict(int)
    if rows.model is MemberTally:
        # Sum the tallies' {occupation: n} in the database (json_each), not row by row in Python.
        from django.db import connection

        inner, params = rows.filter(condition).order_by().values("id").query.sql_with_params()
        each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
        cast = "::bigint" if connection.vendor == "postgresql" else ""
        table = MemberTally._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.key, SUM(e.value{cast}) FROM {table} t, {each}(t.occupations) e "  # noqa: S608
                f"WHERE t.id IN ({inner}) GROUP BY e.key",
                params,
            )
            for name, n in cursor.fetchall():
                counts[name or ""] += int(n)
    else:
        for item in rows.filter(condition).order_by().values("occupation").annotate(n=Count("id")):
            counts[item["occupation"] or ""] += item["n"]
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Drill:
    kind: str  # "villages" or "people"
    group: str
    figure: str


def villages_behind(user, cycle: Cycle, region_code: str, group: str, figure: str):
    """The elections (villages) behind a round figure, scoped to the user."""
    conditions = _round_conditions(cycle.window_end.isoformat())
    if group not in ROUND_GROUPS or figure not in conditions:
        return None
    rows = (
        Election.objects.visible_to(user)
        .filter(cycle=cycle, body__in=ROUND_GROUPS[group])
        .filter(conditions[figure])
    )
    if region_code:
        rows = rows.filter(region__code__startswith=region_code)
    return rows.select_related("region").order_by("region_id", "body")


def people_behind(user, cycle: Cycle, region_code: str, group: str, figure: str, *, previous: bool = False):
    """The people behind a member figure (names, post, gender, age, education — no ID numbers)."""
    if group not in MEMBER_GROUPS or figure not in MEMBER_FIGURES:
        return None
    rows = previous_members(cycle) if previous else ElectedMember.objects.filter(cycle=cycle)
    rows = (
        rows.visible_to(user)
        .in_region(region_code)
        .filter(MEMBER_GROUPS[group][1])
        .filter(MEMBER_FIGURES[figure])
    )
    return rows.select_related("region").order_by("region_id", "body", "post", "name")


def region_level_label(code: str) -> str:
    level = {length: level for level, length in CODE_LENGTH.items()}.get(len(code))
    return str(RegionLevel(level).label) if level else ""
