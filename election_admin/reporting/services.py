"""Write side of the statistics: the people elected and the election-day figures, materialised from
certified results; party posts and hand-kept figures recorded by township staff; lists of the previous
term imported. Every user-triggered write checks scope, runs in a transaction and is audited."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices import Role
from election_admin.choices_cycles import Body, Stage
from election_admin.models import Cycle, Election

from . import arithmetic as ar
from .models import COMMITTEE_BODIES, ElectedMember, ElectionDayFigures, PartyPost, Post, Source, level_codes
from .selectors import previous_cycle

log = logging.getLogger(__name__)

FIRST_ROUND, RUNOFF_ROUND = 1, 2
# Roles that record party posts and hand-kept figures (the township and the bureaus above it).
RECORDING_ROLES = frozenset(
    {Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.CITY_BUREAU, Role.PROVINCE_BUREAU, Role.SYSTEM_ADMIN}
)


def _body_group(body: str) -> tuple[str, ...]:
    return COMMITTEE_BODIES if body in COMMITTEE_BODIES else (body,)


# ---------------------------------------------------------------------------------------------------
# Flags kept on the rows: re-elected, 交叉任职, 一肩挑.
def flags_refresh(*, cycle: Cycle | None, village_codes, previous_of: Cycle | None = None) -> None:
    """Recompute ``re_elected``, ``cross_serving`` and ``dual_role`` of the rows of ``cycle`` (or of
    the imported previous term of ``previous_of``) in the given villages."""
    codes = sorted(set(village_codes))
    if not codes:
        return
    rows = ElectedMember.objects.filter(region_id__in=codes)
    rows = rows.filter(cycle=cycle) if cycle is not None else rows.filter(previous_of=previous_of)
    previous = previous_index(cycle, codes) if cycle is not None else None
    changed = flags_apply(list(rows), previous)
    ElectedMember.objects.bulk_update(changed, ["cross_serving", "dual_role", "re_elected"], batch_size=2000)
    tally_refresh(cycle=cycle, previous_of=previous_of, townships={code[:9] for code in codes})


def tally_refresh(
    *, cycle: Cycle | None = None, previous_of: Cycle | None = None, townships=None, prefix: str = ""
):
    """Rewrite the MemberTally rows of ``cycle`` (or of the imported previous term of ``previous_of``) for
    the given townships (or every township under ``prefix``) from the people elected: one GROUP BY."""
    from .models import TALLY_SUMS, MemberTally
    from .selectors import MEMBER_FIGURES

    members = (
        ElectedMember.objects.filter(cycle=cycle)
        if cycle is not None
        else ElectedMember.objects.filter(previous_of=previous_of)
    )
    tallies = (
        MemberTally.objects.filter(cycle=cycle)
        if cycle is not None
        else MemberTally.objects.filter(previous_of=previous_of)
    )
    if townships is not None:
        townships = sorted(set(townships))
        members = members.filter(township_code__in=townships)
        tallies = tallies.filter(township_code__in=townships)
    elif prefix:
        members = (
            members.in_region(prefix)
            if len(prefix) in (2, 4, 6, 9)
            else members.filter(township_code__startswith=prefix)
        )
        tallies = (
            tallies.in_region(prefix)
            if len(prefix) in (2, 4, 6, 9)
            else tallies.filter(township_code__startswith=prefix)
        )
    keys = ["township_code", "body", "post", "party_post", "cross_serving"]
    aggregates = {f"a_{name}": Count("id", filter=condition) for name, condition in MEMBER_FIGURES.items()}
    aggregates["a_age_sum"] = Sum("age")
    jobs: dict[tuple, dict] = defaultdict(dict)
    for item in members.order_by().values(*keys, "occupation").annotate(n=Count("id")):
        jobs[tuple(item[k] for k in keys)][item["occupation"] or ""] = item["n"]
    rows = []
    for item in members.order_by().values(*keys).annotate(**aggregates):
        code = item["township_code"]
        rows.append(
            MemberTally(
                cycle=cycle,
                previous_of=previous_of if cycle is None else None,
                township_code=code,
                county_code=code[:6],
                city_code=code[:4],
                province_code=code[:2],
                body=item["body"],
                post=item["post"],
                party_post=item["party_post"],
                cross_serving=item["cross_serving"],
                occupations=jobs.get(tuple(item[k] for k in keys), {}),
                **{name: item[f"a_{name[2:]}"] or 0 for name in TALLY_SUMS},
            )
        )
    tallies.delete()
    MemberTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def previous_index(cycle: Cycle, codes) -> dict[tuple[str, str], set[str]]:
    """{(village, body): hashes of the previous term} (committee bodies count as one), with an entry
    ``(village, "")`` for every village that has a previous list at all."""
    prev = previous_cycle(cycle)
    earlier = Q(previous_of=cycle) | (Q(cycle=prev) if prev is not None else Q(pk__in=[]))
    index: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = ElectedMember.objects.filter(earlier, region_id__in=codes).values_list(
        "region_id", "body", "id_hash"
    )
    for region_id, body, id_hash in rows:
        for group_body in _body_group(body):
            index[(region_id, group_body)].add(id_hash)
        index[(region_id, "")].add(id_hash)
    return index


def flags_apply(rows: list[ElectedMember], previous: dict | None) -> list[ElectedMember]:
    """Set the flags on ``rows`` (all rows of their villages); ``previous`` None keeps ``re_elected``.
    Returns the rows whose flags changed."""
    by_village: dict[str, list[ElectedMember]] = defaultdict(list)
    for row in rows:
        by_village[row.region_id].append(row)
    changed = []
    for village, members in by_village.items():
        committee = {m.id_hash for m in members if m.body in COMMITTEE_BODIES}
        party = {m.id_hash for m in members if m.body == Body.PARTY_BRANCH}
        chairs = {m.id_hash for m in members if m.body in COMMITTEE_BODIES and m.post == Post.CHAIR}
        secretaries = {
            m.id_hash for m in members if m.body == Body.PARTY_BRANCH and m.party_post == PartyPost.SECRETARY
        }
        dual = chairs & secretaries
        has_previous = previous is not None and (village, "") in previous
        for m in members:
            cross = m.id_hash in committee and m.id_hash in party
            dual_role = m.id_hash in dual and (
                (m.body == Body.PARTY_BRANCH and m.party_post == PartyPost.SECRETARY)
                or (m.body in COMMITTEE_BODIES and m.post == Post.CHAIR)
            )
            if previous is None:
                re_elected = m.re_elected
            elif has_previous:
                re_elected = m.id_hash in previous.get((village, m.body), ())
            else:
                re_elected = None
            if (m.cross_serving, m.dual_role, m.re_elected) != (cross, dual_role, re_elected):
                m.cross_serving, m.dual_role, m.re_elected = cross, dual_role, re_elected
                changed.append(m)
    return changed


# ---------------------------------------------------------------------------------------------------
def _elected_rows(election: Election) -> list[tuple[int, dict]]:
    """(round, elected entry) of every person elected by the election's current certified results."""
    from ballots.models import RoundResult

    results = {
        r.round_number: r
        for r in RoundResult.objects.filter(election=election, is_current=True, status="certified")
    }
    first = results.get(FIRST_ROUND)
    if first is None or first.outcome.get("needs_rerun"):
        return []
    found = [(FIRST_ROUND, e) for e in first.outcome.get("decision", {}).get("elected", [])]
    runoff = results.get(RUNOFF_ROUND)
    if runoff is not None and runoff.outcome.get("is_decided"):
        found += [(RUNOFF_ROUND, e) for e in runoff.outcome.get("decision", {}).get("elected", [])]
    return found


def _day_figures(election: Election) -> dict | None:
    from ballots.models import BallotBox, RoundResult, TallySheet, Venue

    first = RoundResult.objects.filter(
        election=election, round_number=FIRST_ROUND, is_current=True, status="certified"
    ).first()
    if first is None:
        return None
    boxes = BallotBox.objects.filter(election=election)
    mobile_voted = TallySheet.objects.filter(
        election=election, round_number=FIRST_ROUND, status="agreed", box__kind="mobile"
    ).aggregate(n=Sum("voted"))["n"]
    return {
        "proxy_voters": first.totals.get("proxy_voted") or 0,
        "mobile_box_voters": mobile_voted or 0,
        "boxes": boxes.count(),
        "mobile_boxes": boxes.filter(kind="mobile").count(),
        "polling_stations": Venue.objects.filter(election=election, kind="station").count(),
    }


@transaction.atomic
def members_record(*, election: Election, actor=None) -> int:
    """Replace the rows of the people elected (and the election-day figures) of ``election`` from its
    current certified results. Idempotent; returns the number of people recorded. Party posts already
    recorded for a person are kept."""
    from candidates.models import Candidate

    election = Election.objects.select_related("cycle").get(pk=election.pk)
    entries = _elected_rows(election)
    ids = [int(e["person"]) for _round, e in entries if str(e.get("person", "")).isdigit()]
    candidates = {
        c.pk: c
        for c in Candidate.objects.filter(pk__in=ids, election=election).select_related("voter", "occupation")
    }
    kept_posts = dict(
        ElectedMember.objects.filter(election=election)
        .exclude(party_post="")
        .values_list("id_hash", "party_post")
    )
    ElectedMember.objects.filter(election=election).delete()
    day = election.election_day or election.results_on or timezone.localdate()
    rows = []
    for round_number, entry in entries:
        cand = candidates.get(int(entry["person"])) if str(entry.get("person", "")).isdigit() else None
        if cand is None:
            log.warning("statistics: elected person %s of election %s has no candidate", entry, election.pk)
            continue
        voter = cand.voter
        rows.append(
            ElectedMember(
                cycle=election.cycle,
                election=election,
                region_id=election.region_id,
                **level_codes(election.region_id),
                body=election.body,
                post=entry.get("post") or cand.post,
                party_post=kept_posts.get(voter.id_hash, ""),
                name=voter.name,
                gender=voter.gender,
                ethnicity=voter.ethnicity,
                birth_date=voter.birth_date,
                election_day=day,
                age=ar.age_on(voter.birth_date, day),
                education=cand.education,
                party_membership=cand.party_membership,
                occupation=cand.occupation.name if cand.occupation else "",
                id_hash=voter.id_hash,
                elected_round=round_number,
                source=Source.CERTIFIED,
            )
        )
    ElectedMember.objects.bulk_create(rows, ignore_conflicts=False)
    figures = _day_figures(election)
    if figures is not None:
        existing = ElectionDayFigures.objects.filter(election=election).first()
        kept = {
            "ballot_writer_voters": existing.ballot_writer_voters if existing else None,
            "booths": existing.booths if existing else None,
        }
        ElectionDayFigures.objects.update_or_create(
            election=election,
            defaults={
                **figures,
                **kept,
                "cycle": election.cycle,
                "region_id": election.region_id,
                "body": election.body,
                "recorded_at": timezone.now(),
            },
        )
    flags_refresh(cycle=election.cycle, village_codes=[election.region_id])
    if actor is not None:
        audit_record(
            actor=actor,
            event_type="statistics.members_recorded",
            region_code=election.region_id,
            obj=election,
            after={"people": len(rows), "figures": figures},
        )
    return len(rows)


def on_result_certified(sender, result, election, **kwargs) -> None:
    """``ballots.signals.result_certified`` listener: record the people elected of that election."""
    members_record(election=election, actor=result.certified_by)


def statistics_rebuild(*, cycle: Cycle, actor=None, stdout=None) -> int:
    """Rebuild every election's rows of ``cycle`` from its certified results (corrections, backfill)."""
    total = 0
    elections = Election.objects.filter(
        cycle=cycle, stage__in=[Stage.VOTING_DONE, Stage.RUNOFF, Stage.RESULTS_CERTIFIED, Stage.HANDED_OVER]
    ).order_by("pk")
    for election in elections.iterator():
        total += members_record(election=election, actor=actor)
    with transaction.atomic():
        tally_refresh(cycle=cycle, prefix=cycle.region_id)
        tally_refresh(previous_of=cycle, prefix=cycle.region_id)
    if stdout is not None:
        stdout.write(f"{cycle.name}: {total}")
    return total


# ---------------------------------------------------------------------------------------------------
def _require_recorder(actor, region_code: str) -> None:
    if actor is None or not actor.is_authenticated or actor.role not in RECORDING_ROLES:
        raise PermissionDenied(_("Township staff or a bureau records this."))
    if actor.area_code is None or not region_code.startswith(actor.area_code):
        raise PermissionDenied(_("This village is outside your area."))


@transaction.atomic
def party_posts_set(*, actor, election: Election, posts: dict[int, str]) -> None:
    """Record the party posts (书记/副书记/委员) of the members of a party branch, chosen by the new
    committee after its election. ``posts``: {ElectedMember pk: party post}. At most one secretary."""
    _require_recorder(actor, election.region_id)
    if election.body != Body.PARTY_BRANCH:
        raise ValidationError(_("Party posts are recorded for a party branch committee only."))
    rows = {m.pk: m for m in ElectedMember.objects.select_for_update().filter(election=election)}
    unknown = [pk for pk in posts if pk not in rows]
    if unknown:
        raise ValidationError(_("Someone in the list is not a member elected in this election."))
    invalid = [value for value in posts.values() if value not in PartyPost.values]
    if invalid:
        raise ValidationError({"party_post": _("Choose a party post from the list.")})
    after = {pk: posts.get(pk, m.party_post) for pk, m in rows.items()}
    if sum(1 for value in after.values() if value == PartyPost.SECRETARY) > 1:
        raise ValidationError({"party_post": _("A party branch has one secretary.")})
    before = {m.name: m.party_post for m in rows.values()}
    for pk, value in posts.items():
        rows[pk].party_post = value
    ElectedMember.objects.bulk_update(list(rows.values()), ["party_post"])
    flags_refresh(cycle=election.cycle, village_codes=[election.region_id])
    audit_record(
        actor=actor,
        event_type="statistics.party_posts_set",
        region_code=election.region_id,
        obj=election,
        before=before,
        after={m.name: m.party_post for m in rows.values()},
    )


@transaction.atomic
def day_figures_set(*, actor, election: Election, ballot_writer_voters: int | None, booths: int | None):
    """Record the hand-kept election-day figures the count does not know: voters helped by a ballot
    writer (代写) and secret-ballot booths (秘密写票处)."""
    _require_recorder(actor, election.region_id)
    figures = ElectionDayFigures.objects.select_for_update().filter(election=election).first()
    if figures is None:
        raise ValidationError(_("These figures are recorded after the results are certified."))
    for field, value in (("ballot_writer_voters", ballot_writer_voters), ("booths", booths)):
        if value is not None and value < 0:
            raise ValidationError({field: _("Enter a number of 0 or more.")})
    before = {"ballot_writer_voters": figures.ballot_writer_voters, "booths": figures.booths}
    figures.ballot_writer_voters, figures.booths = ballot_writer_voters, booths
    figures.save(update_fields=["ballot_writer_voters", "booths"])
    audit_record(
        actor=actor,
        event_type="statistics.day_figures_set",
        region_code=election.region_id,
        obj=election,
        before=before,
        after={"ballot_writer_voters": ballot_writer_voters, "booths": booths},
    )
    return figures


# ---------------------------------------------------------------------------------------------------
IMPORT_COLUMNS = [
    "village_code",
    "body",
    "post",
    "party_post",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "party_membership",
    "occupation",
    "id_hash",
]


@transaction.atomic
def previous_members_import(*, actor, cycle: Cycle, rows: list[dict], election_day: date) -> int:
    """Load the people elected in the term before ``cycle`` (往届当选人), for villages of the actor's area.

    ``rows``: dicts with ``IMPORT_COLUMNS`` (``id_hash`` is the keyed hash of the ID number; the Excel
    import computes it). Replaces the imported rows of the villages named; refuses villages for which
    the previous cycle in the system already holds people. Nothing is saved if any row is wrong."""
    from .models import Education

    if actor is None or not actor.is_authenticated or actor.role not in RECORDING_ROLES:
        raise PermissionDenied(_("Township staff or a bureau records this."))
    from election_admin.models import Region

    errors: list[str] = []
    prepared: list[ElectedMember] = []
    codes = {str(r.get("village_code", "")).strip() for r in rows}
    villages = set(Region.objects.filter(code__in=codes, level=5).values_list("code", flat=True))
    prev = previous_cycle(cycle)
    taken = set()
    if prev is not None:
        taken = set(
            ElectedMember.objects.filter(cycle=prev, region_id__in=codes).values_list("region_id", flat=True)
        )
    seen = set()
    for index, row in enumerate(rows, start=2):
        code = str(row.get("village_code", "")).strip()
        where = _("Row %(row)s") % {"row": row.get("row", index)}
        if code not in villages:
            errors.append(
                f"{where}: " + _("village code %(code)s is not a village or community.") % {"code": code}
            )
            continue
        if (
            actor.area_code is None
            or not code.startswith(actor.area_code)
            or not code.startswith(cycle.region_id)
        ):
            errors.append(
                f"{where}: " + _("village %(code)s is outside your area or the cycle.") % {"code": code}
            )
            continue
        if code in taken:
            errors.append(
                f"{where}: "
                + _("the previous cycle in the system already holds the people of %(code)s.") % {"code": code}
            )
            continue
        body = str(row.get("body", "")).strip()
        post = str(row.get("post", "")).strip()
        party_post = str(row.get("party_post", "") or "").strip()
        gender = str(row.get("gender", "")).strip()
        education = str(row.get("education", "")).strip()
        birth = row.get("birth_date")
        id_hash = str(row.get("id_hash", "")).strip()
        name = str(row.get("name", "")).strip()
        checks = [
            (body in Body.values, _("body")),
            (post in Post.values, _("post")),
            (party_post in PartyPost.values, _("party post")),
            (gender in ("male", "female"), _("gender")),
            (education in Education.values, _("education")),
            (isinstance(birth, date), _("birth date")),
            (bool(name), _("name")),
            (len(id_hash) >= 16, _("ID number")),
        ]
        bad = [str(label) for ok, label in checks if not ok]
        if bad:
            errors.append(f"{where}: " + _("check %(fields)s.") % {"fields": "、".join(bad)})
            continue
        key = (code, body, id_hash)
        if key in seen:
            errors.append(f"{where}: " + _("the same person appears twice for this body."))
            continue
        seen.add(key)
        prepared.append(
            ElectedMember(
                previous_of=cycle,
                region_id=code,
                **level_codes(code),
                body=body,
                post=post,
                party_post=party_post,
                name=name,
                gender=gender,
                ethnicity=str(row.get("ethnicity", "") or "").strip(),
                birth_date=birth,
                election_day=election_day,
                age=ar.age_on(birth, election_day),
                education=education,
                party_membership=str(row.get("party_membership", "") or "none").strip() or "none",
                occupation=str(row.get("occupation", "") or "").strip(),
                id_hash=id_hash,
                source=Source.IMPORTED,
            )
        )
    if errors:
        raise ValidationError(errors)
    touched = sorted({m.region_id for m in prepared})
    ElectedMember.objects.filter(previous_of=cycle, region_id__in=touched).delete()
    ElectedMember.objects.bulk_create(prepared, batch_size=2000)
    flags_refresh(cycle=None, previous_of=cycle, village_codes=touched)
    flags_refresh(cycle=cycle, village_codes=touched)
    audit_record(
        actor=actor,
        event_type="statistics.previous_imported",
        region_code=actor.area_code or "",
        obj=cycle,
        after={"people": len(prepared), "villages": len(touched)},
    )
    return len(prepared)


# ---------------------------------------------------------------------------------------------------
def _data_version(region_code: str, cycle: Cycle) -> str:
    """Changes whenever a figure of the region may have changed (elections, people, day figures)."""
    from django.db.models import Max

    elections = Election.objects.filter(cycle=cycle, region__code__startswith=region_code).aggregate(
        n=Count("id"), at=Max("updated_at")
    )
    people = (
        ElectedMember.objects.filter(cycle=cycle)
        .in_region(region_code)
        .aggregate(n=Count("id"), at=Max("recorded_at"))
    )
    previous = (
        ElectedMember.objects.filter(previous_of=cycle)
        .in_region(region_code)
        .aggregate(n=Count("id"), at=Max("recorded_at"))
    )
    days = ElectionDayFigures.objects.filter(cycle=cycle, region__code__startswith=region_code).aggregate(
        n=Count("id"), at=Max("recorded_at")
    )
    parts = [elections, people, previous, days]
    stamp = "|".join(f"{p['n']}:{p['at'].isoformat() if p['at'] else ''}" for p in parts)
    import hashlib

    return f"{cycle.pk}-{region_code}-" + hashlib.sha256(stamp.encode()).hexdigest()[:16]


def statistics_workbook_make(*, actor, cycle: Cycle, region):
    """Make (or return the stored copy of, when no figure changed) the statistics workbook of ``region``."""
    from election_admin.models import DocumentKind
    from election_admin.services.documents import document_store

    from .workbook import workbook_bytes

    if actor is not None and (actor.area_code is None or not region.code.startswith(actor.area_code)):
        raise PermissionDenied(_("This area is outside yours."))
    from election_admin.models import Document

    version = _data_version(region.code, cycle)
    stored = Document.objects.filter(
        kind=DocumentKind.STATISTICS_WORKBOOK,
        region=region,
        subject_type=cycle._meta.label_lower,
        subject_id=str(cycle.pk),
        data_version=version,
    ).first()
    if stored is not None:
        return stored
    content = workbook_bytes(region, cycle)
    return document_store(
        actor=actor,
        kind=DocumentKind.STATISTICS_WORKBOOK,
        region=region,
        subject=cycle,
        title=f"{region.name}{cycle.name}统计表",
        content=content,
        filename=f"statistics-{region.code}-{cycle.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        data_version=version,
    )
