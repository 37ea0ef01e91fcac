"""Election services: election days (one or a township in bulk), seats, risk class and the election
committee. Every change recomputes the legal calendar and moves the progress counters with it."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

from .. import legal_calendar as cal
from ..choices_cycles import BODIES_WITH_WOMEN_POST, DEADLINE_LABELS, Body, RiskClass
from ..models import CommitteeMember, Cycle, Election, RuleSet
from ..scoping import region_in_area
from .cycles import elections_may_edit
from .progress import progress_move, progress_move_many, progress_snapshot

# Stages after which the election day is history and cannot move.
DAY_FIXED_STAGES = frozenset({cal.VOTING_DONE, cal.RUNOFF, cal.RESULTS_CERTIFIED, cal.HANDED_OVER})


def election_calendar_refresh(election: Election, rules: RuleSet) -> None:
    """Recompute the election's dated deadlines and its next deadline (in memory; the caller saves)."""
    if election.election_day is None:
        election.deadlines = {}
        election.next_deadline_key, election.next_deadline_on = "", None
        return
    deadlines = cal.deadlines_for(
        election.election_day, rules.calendar_rules(), results_on=election.results_on
    )
    election.deadlines = {key: value.isoformat() for key, value in deadlines.items()}
    key, due = cal.next_deadline(election.stage, deadlines)
    election.next_deadline_key, election.next_deadline_on = key or "", due


def missed_deadline_warnings(election: Election, today: date) -> list[str]:
    """Plain-language warnings for every deadline this election has now missed."""
    if not election.deadlines:
        return []
    warnings = []
    for key, due, met_on in cal.missed_deadlines(
        election.stage, election.deadline_dates(), today, election.reached_dates()
    ):
        values = {"village": election.region.name, "deadline": DEADLINE_LABELS[key], "due": due.isoformat()}
        if met_on is None:
            warnings.append(_("%(village)s: “%(deadline)s” was due by %(due)s and is now missed.") % values)
        else:
            warnings.append(
                _("%(village)s: “%(deadline)s” is now due by %(due)s but was done on %(done)s.")
                % {**values, "done": met_on.isoformat()}
            )
    return warnings


def _lock_visible(actor, election_pk: int) -> Election:
    election = (
        Election.objects.visible_to(actor)
        .select_related("cycle__rule_set", "region")
        .select_for_update(of=("self",))
        .filter(pk=election_pk)
        .first()
    )
    if election is None:
        raise ValidationError(_("This election does not exist or is outside your area."))
    return election


def _require_editor(actor) -> None:
    if not elections_may_edit(actor):
        raise PermissionDenied(
            _("Only township staff and above change election days, seats and risk classes.")
        )


def _check_day(election: Election, election_day: date) -> None:
    cycle = election.cycle
    if not cycle.window_start <= election_day <= cycle.window_end:
        raise ValidationError(
            {
                "election_day": _(
                    "The election day must lie within the cycle's window, %(start)s to %(end)s."
                )
                % {"start": cycle.window_start.isoformat(), "end": cycle.window_end.isoformat()}
            }
        )
    if election.stage in DAY_FIXED_STAGES:
        raise ValidationError(
            {
                "election_day": _("%(village)s has already voted; its election day can no longer move.")
                % {"village": election.region.name}
            }
        )


def _set_day(actor, election: Election, election_day: date, today: date) -> list[str]:
    before = progress_snapshot(election)
    old_day = election.election_day
    election.election_day = election_day
    election_calendar_refresh(election, election.cycle.rule_set)
    election.full_clean()
    election.save()
    audit_record(
        actor=actor,
        event_type="election.day_set",
        region_code=election.region_id,
        obj=election,
        before={"election_day": old_day},
        after={"election_day": election_day, "deadlines": election.deadlines},
    )
    return before, progress_snapshot(election)


@transaction.atomic
def election_day_set(
    *, actor, election: Election, election_day: date, today: date | None = None
) -> list[str]:
    """Set or move one election's day (确定选举日); deadlines are recomputed and every deadline now missed
    is returned as a warning."""
    _require_editor(actor)
    today = today or timezone.localdate()
    election = _lock_visible(actor, election.pk)
    _check_day(election, election_day)
    before, after = _set_day(actor, election, election_day, today)
    progress_move(before=before, after=after)
    return missed_deadline_warnings(election, today)


@transaction.atomic
def election_days_set_bulk(
    *,
    actor,
    cycle: Cycle,
    area_code: str,
    election_day: date,
    bodies: list[str] | None = None,
    region_codes: list[str] | None = None,
    today: date | None = None,
) -> tuple[int, list[str]]:
    """Set the same election day for every election of a cycle in a township (or a list of villages):
    all or nothing — one village outside the user's area, outside the cycle, or already voted refuses
    the whole assignment."""
    _require_editor(actor)
    today = today or timezone.localdate()
    if not region_in_area(area_code, actor.area_code) or not area_code.startswith(cycle.region_id):
        raise ValidationError({"area": _("This area is outside your area or outside the cycle.")})
    if region_codes:
        outside = [
            code
            for code in region_codes
            if not (region_in_area(code, actor.area_code) and code.startswith(area_code))
        ]
        if outside:
            raise ValidationError(
                {
                    "area": _("These villages are outside your area: %(codes)s. Nothing was changed.")
                    % {"codes": ", ".join(outside[:10])}
                }
            )
    elections = (
        Election.objects.visible_to(actor)
        .filter(cycle=cycle, region__code__startswith=area_code)
        .select_related("cycle__rule_set", "region")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if bodies:
        elections = elections.filter(body__in=bodies)
    if region_codes:
        elections = elections.filter(region_id__in=region_codes)
    elections = list(elections)
    if not elections:
        raise ValidationError({"area": _("No elections of this cycle in the chosen area.")})
    for election in elections:
        _check_day(election, election_day)
    moves = []
    warnings: list[str] = []
    for election in elections:
        moves.append(_set_day(actor, election, election_day, today))
        warnings += missed_deadline_warnings(election, today)
    progress_move_many(moves)
    return len(elections), warnings


@transaction.atomic
def election_update(
    *,
    actor,
    election: Election,
    seats_vice_chair: int,
    seats_member: int,
    seats_women_member: int,
    risk_class: str,
    risk_reason: str,
) -> Election:
    """Change seats per post (职数) and the risk class (一类/二类/难点村) of one election."""
    _require_editor(actor)
    election = _lock_visible(actor, election.pk)
    rules = election.cycle.rule_set
    before = {
        "seats_vice_chair": election.seats_vice_chair,
        "seats_member": election.seats_member,
        "seats_women_member": election.seats_women_member,
        "risk_class": election.risk_class,
        "risk_reason": election.risk_reason,
    }
    seats_changed = (seats_vice_chair, seats_member, seats_women_member) != (
        election.seats_vice_chair,
        election.seats_member,
        election.seats_women_member,
    )
    errors: dict[str, str] = {}
    if seats_changed and cal.stage_reached(election.stage, cal.CANDIDATES_PUBLISHED):
        errors["seats_member"] = _("Seats cannot change once the official candidates are published.")
    if seats_women_member > 1:
        errors["seats_women_member"] = _("There is at most one women's post.")
    elif seats_women_member and election.body not in BODIES_WITH_WOMEN_POST:
        errors["seats_women_member"] = _("The %(body)s has no separate women's post.") % {
            "body": Body(election.body).label
        }
    elif seats_women_member and not rules.has_women_post:
        errors["seats_women_member"] = _("The rule set of this cycle has no separate women's post.")
    total = 1 + seats_vice_chair + seats_member + seats_women_member
    low, high = rules.size_range(election.body)
    if not low <= total <= high:
        errors["seats_member"] = _("%(body)s: %(total)s seats in all; the law allows %(low)s–%(high)s.") % {
            "body": Body(election.body).label,
            "total": total,
            "low": low,
            "high": high,
        }
    if risk_class != RiskClass.NORMAL and not risk_reason.strip():
        errors["risk_reason"] = _("Say why the village is classed “%(class)s”.") % {
            "class": RiskClass(risk_class).label
        }
    if errors:
        raise ValidationError(errors)
    election.seats_vice_chair, election.seats_member, election.seats_women_member = (
        seats_vice_chair,
        seats_member,
        seats_women_member,
    )
    election.risk_class, election.risk_reason = risk_class, risk_reason.strip()
    election.full_clean()
    election.save()
    audit_record(
        actor=actor,
        event_type="election.updated",
        region_code=election.region_id,
        obj=election,
        before=before,
        after={
            "seats_vice_chair": seats_vice_chair,
            "seats_member": seats_member,
            "seats_women_member": seats_women_member,
            "risk_class": risk_class,
            "risk_reason": election.risk_reason,
        },
    )
    return election


@transaction.atomic
def committee_member_add(
    *,
    actor,
    election: Election,
    name: str,
    role: str = CommitteeMember.Role.MEMBER,
    id_hash: str = "",
    is_reserve: bool = False,
) -> CommitteeMember:
    """Add a member to the village election committee (村民选举委员会), in selection order.

    ``is_reserve`` adds the next name of the selection result as a reserve (候补), who steps in when a member
    leaves; ``id_hash`` is the keyed hash of the member's ID number (hashed by the caller, as on the roll)."""
    _require_editor(actor)
    election = _lock_visible(actor, election.pk)
    rules = election.cycle.rule_set
    serving = election.committee.filter(is_active=True).count()
    if not is_reserve and serving >= rules.election_committee_size_max:
        raise ValidationError(
            {
                "name": _("The election committee has at most %(max)s members.")
                % {"max": rules.election_committee_size_max}
            }
        )
    if is_reserve and role == CommitteeMember.Role.CHAIR:
        raise ValidationError(
            {"role": _("A reserve steps in as a member; the committee then chooses its chair.")}
        )
    if role == CommitteeMember.Role.CHAIR and election.committee.filter(is_active=True, role=role).exists():
        raise ValidationError({"role": _("The committee already has a chair.")})
    if id_hash and election.committee.filter(id_hash=id_hash).exists():
        raise ValidationError({"name": _("This person is already on the committee's list.")})
    last = election.committee.order_by("-selection_order").first()
    member = CommitteeMember(
        election=election,
        name=name.strip(),
        role=role,
        selection_order=(last.selection_order + 1) if last else 1,
        is_active=not is_reserve,
        is_reserve=is_reserve,
        id_hash=id_hash,
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        event_type="committee.member_added",
        region_code=election.region_id,
        obj=member,
        after={
            "election": election.pk,
            "name": member.name,
            "role": role,
            "selection_order": member.selection_order,
            "is_reserve": is_reserve,
            "identified": bool(id_hash),
        },
    )
    return member


@transaction.atomic
def committee_member_identify(*, actor, member: CommitteeMember, id_hash: str) -> CommitteeMember:
    """Record who a committee member is (the keyed hash of the ID number), so that a nomination of the
    member or of a close relative is recognised."""
    _require_editor(actor)
    member = CommitteeMember.objects.visible_to(actor).select_for_update().filter(pk=member.pk).first()
    if member is None:
        raise ValidationError(_("This member does not exist or is outside your area."))
    if member.election.committee.filter(id_hash=id_hash).exclude(pk=member.pk).exists():
        raise ValidationError(_("This person is already on the committee's list."))
    member.id_hash = id_hash
    member.save(update_fields=["id_hash"])
    audit_record(
        actor=actor,
        event_type="committee.member_identified",
        region_code=member.election.region_id,
        obj=member,
        after={"name": member.name},
    )
    return member


@transaction.atomic
def committee_member_leave(*, actor, member: CommitteeMember, reason: str) -> CommitteeMember:
    """A member leaves the election committee (e.g. nominated as a candidate); ``committee_vacancy_fill``
    then fills the place from the original selection order."""
    _require_editor(actor)
    member = CommitteeMember.objects.visible_to(actor).select_for_update().filter(pk=member.pk).first()
    if member is None:
        raise ValidationError(_("This member does not exist or is outside your area."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the member leaves.")})
    member.is_active = False
    member.left_reason = reason.strip()[:200]
    member.save(update_fields=["is_active", "left_reason"])
    audit_record(
        actor=actor,
        event_type="committee.member_left",
        region_code=member.election.region_id,
        obj=member,
        after={"reason": member.left_reason},
    )
    return member


@transaction.atomic
def committee_vacancy_fill(
    *, actor, member_left: CommitteeMember, exclude_id_hashes: frozenset[str] = frozenset()
) -> CommitteeMember | None:
    """递补 — the first reserve of the original selection result steps in for a member who left (VCOL §12).

    Reserves whose ID hash is in ``exclude_id_hashes`` (e.g. candidates and their relatives) are passed
    over. Returns None when no reserve is left: the village assembly then chooses a new member."""
    _require_editor(actor)
    member_left = CommitteeMember.objects.visible_to(actor).filter(pk=member_left.pk).first()
    if member_left is None:
        raise ValidationError(_("This member does not exist or is outside your area."))
    reserves = (
        CommitteeMember.objects.select_for_update()
        .filter(election_id=member_left.election_id, is_reserve=True)
        .order_by("selection_order")
    )
    reserve = next((r for r in reserves if not (r.id_hash and r.id_hash in exclude_id_hashes)), None)
    if reserve is None:
        return None
    reserve.is_reserve, reserve.is_active, reserve.replaces = False, True, member_left
    reserve.full_clean()
    reserve.save(update_fields=["is_reserve", "is_active", "replaces"])
    audit_record(
        actor=actor,
        event_type="committee.member_stepped_in",
        region_code=member_left.election.region_id,
        obj=reserve,
        after={
            "name": reserve.name,
            "replaces": member_left.name,
            "selection_order": reserve.selection_order,
        },
    )
    return reserve
