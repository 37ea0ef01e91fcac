"""Composition targets (结构目标) and the reserve pool (后备人才库).

``evaluate`` is the pure rule: given the targets and a list of people (a candidate list or, later, the
people elected) it says which targets are met. ``targets_on_candidates`` feeds it the candidates app's list;
``targets_on_results`` is the hook for the ballots app, which passes the people elected (until it exists,
results are "not counted yet")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from candidates.choices import CandidateStatus, Education, PartyMembership, Post
from candidates.models import Candidate
from election_admin.choices import RegionLevel
from election_admin.choices_cycles import Body
from election_admin.models import Cycle, Election, Region
from voters.choices import Gender

from ..choices import ReservePost, TargetKind
from ..models import CompositionTarget, Reserve
from .common import require_cycle_rules_editor, require_supervisor

# Targets that apply unless the county changes them: every committee should have a woman; the elected
# committees a member aged 35 or under; the villagers' and residents' committees a chair who is also the
# party secretary (一肩挑) where that is intended.
DEFAULT_TARGETS: dict[str, tuple[str, ...]] = {
    Body.VILLAGERS_COMMITTEE: (TargetKind.WOMAN, TargetKind.YOUNG, TargetKind.DUAL_ROLE),
    Body.RESIDENTS_COMMITTEE: (TargetKind.WOMAN, TargetKind.YOUNG, TargetKind.DUAL_ROLE),
    Body.SUPERVISION_COMMITTEE: (TargetKind.WOMAN,),
    Body.PARTY_BRANCH: (TargetKind.WOMAN, TargetKind.YOUNG),
}
# 一肩挑 concerns the chair of the villagers' or residents' committee only.
DUAL_ROLE_BODIES = frozenset({Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE})
ACTIVE_CANDIDATE_STATUSES = (CandidateStatus.IN_REVIEW, CandidateStatus.PASSED)


@dataclass(frozen=True)
class TargetSpec:
    kind: str
    is_active: bool = True
    minimum: int = 1
    age_max: int = 35

    @property
    def label(self) -> str:
        if self.kind == TargetKind.WOMAN:
            return _("At least %(n)s woman or women") % {"n": self.minimum}
        if self.kind == TargetKind.YOUNG:
            return _("At least %(n)s aged %(age)s or under") % {"n": self.minimum, "age": self.age_max}
        return str(TargetKind(self.kind).label)


@dataclass(frozen=True)
class Person:
    """Someone on a candidate list or elected: what the targets look at."""

    name: str
    gender: str
    birth_date: date | None
    post: str = ""
    is_dual_role: bool = False


@dataclass(frozen=True)
class TargetResult:
    spec: TargetSpec
    is_met: bool | None  # None: nothing to evaluate yet (no list, not counted)
    count: int = 0
    names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.spec.label


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def evaluate(specs: list[TargetSpec], people: list[Person] | None, on: date) -> list[TargetResult]:
    """Which active targets ``people`` meet on day ``on`` (election day). ``people`` None: not known yet."""
    results = []
    for spec in specs:
        if not spec.is_active:
            continue
        if people is None or not people:
            results.append(TargetResult(spec=spec, is_met=None))
            continue
        if spec.kind == TargetKind.WOMAN:
            matching = [p for p in people if p.gender == Gender.FEMALE]
            needed = spec.minimum
        elif spec.kind == TargetKind.YOUNG:
            matching = [
                p for p in people if (age := age_on(p.birth_date, on)) is not None and age <= spec.age_max
            ]
            needed = spec.minimum
        else:
            matching = [p for p in people if p.post == Post.CHAIR and p.is_dual_role]
            needed = 1
        results.append(
            TargetResult(
                spec=spec,
                is_met=len(matching) >= needed,
                count=len(matching),
                names=tuple(p.name for p in matching),
            )
        )
    return results


def _specs_from(stored: list[CompositionTarget], body: str) -> list[TargetSpec]:
    by_kind = {t.kind: t for t in stored if t.body == body}
    specs = []
    for kind in TargetKind.values:
        if kind == TargetKind.DUAL_ROLE and body not in DUAL_ROLE_BODIES:
            continue
        target = by_kind.get(kind)
        if target is not None:
            specs.append(TargetSpec(kind, target.is_active, target.minimum, target.age_max))
        else:
            specs.append(TargetSpec(kind, is_active=kind in DEFAULT_TARGETS.get(body, ())))
    return specs


def targets_for(cycle: Cycle, body: str) -> list[TargetSpec]:
    """The targets of one body in a cycle: those the county set, else the defaults (every kind listed,
    inactive ones marked so)."""
    return _specs_from(list(CompositionTarget.objects.filter(cycle=cycle, body=body)), body)


@transaction.atomic
def targets_set(*, actor, cycle: Cycle, body: str, specs: list[TargetSpec]) -> list[TargetSpec]:
    """Set a body's composition targets for the cycle (县级设定结构目标)."""
    require_cycle_rules_editor(actor, cycle)
    if body not in cycle.bodies:
        raise ValidationError(_("This cycle does not elect that body."))
    before = [spec.__dict__ for spec in targets_for(cycle, body)]
    for spec in specs:
        if spec.kind == TargetKind.DUAL_ROLE and body not in DUAL_ROLE_BODIES:
            raise ValidationError(_("一肩挑 concerns the chair of the villagers' or residents' committee."))
        if not 1 <= spec.minimum <= 9:
            raise ValidationError({"minimum": _("At least 1 and at most 9.")})
        if not 18 <= spec.age_max <= 60:
            raise ValidationError({"age_max": _("An age from 18 to 60.")})
        target, _created = CompositionTarget.objects.select_for_update().get_or_create(
            cycle=cycle, body=body, kind=spec.kind, defaults={"updated_by": actor}
        )
        target.is_active, target.minimum, target.age_max, target.updated_by = (
            spec.is_active,
            spec.minimum,
            spec.age_max,
            actor,
        )
        target.full_clean()
        target.save()
    after = targets_for(cycle, body)
    audit_record(
        actor=actor,
        event_type="targets.set",
        region_code=cycle.region_id,
        obj=cycle,
        before={"body": body, "targets": before},
        after={"body": body, "targets": [spec.__dict__ for spec in after]},
    )
    return after


def _person(candidate: Candidate) -> Person:
    return Person(
        name=candidate.voter.name,
        gender=candidate.voter.gender,
        birth_date=candidate.voter.birth_date,
        post=candidate.post,
        is_dual_role=candidate.is_dual_role_intended,
    )


def candidate_people(election: Election) -> list[Person]:
    """The election's candidate list: the official list once published, else the candidates still standing
    (in review or passed)."""
    candidates = list(
        Candidate.objects.filter(election=election, status__in=ACTIVE_CANDIDATE_STATUSES).select_related(
            "voter"
        )
    )
    listed = [c for c in candidates if c.list_position is not None]
    return [_person(c) for c in (listed or candidates)]


def targets_on_candidates(election: Election, *, today: date | None = None) -> list[TargetResult]:
    """Which targets the candidate list of this election meets (on its election day)."""
    on = election.election_day or today or timezone.localdate()
    return evaluate(targets_for(election.cycle, election.body), candidate_people(election), on)


def _elected_people(election: Election) -> list[Person] | None:
    """The people elected in the certified results (ballots app) — None while no round is certified."""
    from .records import elected_candidates

    elected = elected_candidates(election)
    return [_person(c) for c in elected] or None


def targets_on_results(
    election: Election, *, elected: list[Person] | None = None, today: date | None = None
) -> list[TargetResult]:
    """Which targets the result meets. The ballots app passes the people elected; without them the result's
    targets read "not counted yet"."""
    on = election.election_day or today or timezone.localdate()
    people = elected if elected is not None else _elected_people(election)
    return evaluate(targets_for(election.cycle, election.body), people, on)


@dataclass
class TargetCount:
    body: str
    spec: TargetSpec
    elections: int = 0
    with_list: int = 0
    met: int = 0

    @property
    def not_met(self) -> int:
        return self.with_list - self.met

    @property
    def body_label(self) -> str:
        return str(Body(self.body).label)


def targets_county_counts(
    user, cycle: Cycle, *, area_code: str = "", today: date | None = None
) -> list[TargetCount]:
    """For each body and active target: elections in the area, those with a candidate list, those whose list
    meets it. Two queries (elections, candidates) whatever the number of villages."""
    today = today or timezone.localdate()
    elections = Election.objects.visible_to(user).filter(cycle=cycle)
    if area_code:
        elections = elections.in_area(area_code)
    elections = list(elections.only("id", "body", "election_day", "cycle_id"))
    stored = list(CompositionTarget.objects.filter(cycle=cycle))
    specs = {body: _specs_from(stored, body) for body in {e.body for e in elections}}
    people: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in (
        Candidate.objects.filter(election__in=[e.pk for e in elections], status__in=ACTIVE_CANDIDATE_STATUSES)
        .select_related("voter")
        .only(
            "election_id",
            "post",
            "list_position",
            "is_dual_role_intended",
            "voter__name",
            "voter__gender",
            "voter__birth_date",
        )
    ):
        people[candidate.election_id].append(candidate)
    counts: dict[tuple[str, str], TargetCount] = {}
    for election in elections:
        candidates = people.get(election.pk, [])
        listed = [c for c in candidates if c.list_position is not None]
        persons = [_person(c) for c in (listed or candidates)]
        results = {
            r.spec.kind: r for r in evaluate(specs[election.body], persons, election.election_day or today)
        }
        for spec in specs[election.body]:
            if not spec.is_active:
                continue
            count = counts.setdefault((election.body, spec.kind), TargetCount(body=election.body, spec=spec))
            count.elections += 1
            result = results[spec.kind]
            if result.is_met is not None:
                count.with_list += 1
                count.met += 1 if result.is_met else 0
    order = {body: index for index, body in enumerate(Body.values)}
    kinds = {kind: index for index, kind in enumerate(TargetKind.values)}
    return sorted(counts.values(), key=lambda c: (order[c.body], kinds[c.spec.kind]))


# --- Reserve pool ------------------------------------------------------------------------------------


@transaction.atomic
def reserve_add(
    *,
    actor,
    region: Region,
    post: str,
    name: str,
    gender: str,
    education: str,
    party_membership: str = PartyMembership.NONE,
    birth_date: date | None = None,
    age: int | None = None,
    notes: str = "",
    today: date | None = None,
) -> Reserve:
    """后备人才入库 — add a person to a village's reserve pool for a post."""
    require_supervisor(actor)
    today = today or timezone.localdate()
    region = Region.objects.visible_to(actor).filter(code=region.code).first()
    errors: dict[str, str] = {}
    if region is None or region.level != RegionLevel.VILLAGE_LEVEL:
        raise ValidationError({"region": _("Choose a village or community in your area.")})
    if post not in ReservePost.values:
        errors["post"] = _("Choose the post.")
    if not name.strip():
        errors["name"] = _("Enter the name.")
    if gender not in Gender.values:
        errors["gender"] = _("Choose the gender.")
    if education not in Education.values:
        errors["education"] = _("Choose the education.")
    if party_membership not in PartyMembership.values:
        errors["party_membership"] = _("Choose the party membership.")
    if birth_date is None and age is None:
        errors["birth_date"] = _("Enter the birth date or the age.")
    elif birth_date is not None and not 18 <= (age_on(birth_date, today) or 0) <= 70:
        errors["birth_date"] = _("A reserve is between 18 and 70 years old.")
    elif birth_date is None and not 18 <= age <= 70:
        errors["age"] = _("A reserve is between 18 and 70 years old.")
    if errors:
        raise ValidationError(errors)
    reserve = Reserve(
        region=region,
        post=post,
        name=name.strip(),
        gender=gender,
        birth_date=birth_date,
        age=None if birth_date else age,
        education=education,
        party_membership=party_membership,
        notes=notes.strip(),
        added_by=actor,
        added_on=today,
    )
    reserve.full_clean()
    reserve.save()
    audit_record(
        actor=actor,
        event_type="reserve.added",
        region_code=region.code,
        obj=reserve,
        after={"post": post, "name": reserve.name, "gender": gender, "education": education},
    )
    return reserve


@transaction.atomic
def reserve_remove(*, actor, reserve: Reserve, reason: str) -> Reserve:
    """Take a person out of the reserve pool (elected, moved away, no longer suitable), with the reason."""
    require_supervisor(actor)
    reserve = Reserve.objects.visible_to(actor).select_for_update().filter(pk=reserve.pk).first()
    if reserve is None:
        raise ValidationError(_("This person does not exist or is outside your area."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person leaves the pool.")})
    reserve.is_active, reserve.removed_reason = False, reason.strip()[:200]
    reserve.full_clean()
    reserve.save(update_fields=["is_active", "removed_reason"])
    audit_record(
        actor=actor,
        event_type="reserve.removed",
        region_code=reserve.region_id,
        obj=reserve,
        after={"reason": reason},
    )
    return reserve


@dataclass
class ReserveCount:
    post: str
    total: int = 0
    women: int = 0
    young: int = 0
    party_members: int = 0
    college: int = 0

    @property
    def label(self) -> str:
        return str(ReservePost(self.post).label)


COLLEGE_OR_ABOVE = frozenset({Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE})
PARTY = frozenset({PartyMembership.CPC_MEMBER, PartyMembership.CPC_PROBATIONARY})


def reserve_counts(user, *, area_code: str = "", today: date | None = None) -> list[ReserveCount]:
    """Reserves in the pool per post, with women, aged 35 or under, party members, college or above."""
    today = today or timezone.localdate()
    qs = Reserve.objects.visible_to(user).filter(is_active=True)
    if area_code:
        qs = qs.in_area(area_code)
    counts = {post: ReserveCount(post=post) for post in ReservePost.values}
    for reserve in qs.only(
        "post", "gender", "birth_date", "age", "added_on", "education", "party_membership"
    ):
        count = counts[reserve.post]
        count.total += 1
        count.women += reserve.gender == Gender.FEMALE
        age = reserve.age_on(today)
        count.young += age is not None and age <= 35
        count.party_members += reserve.party_membership in PARTY
        count.college += reserve.education in COLLEGE_OR_ABOVE
    return list(counts.values())
