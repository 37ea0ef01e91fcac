"""Election-day arrangements (投票安排): venues, ballot boxes, count staff and ballot writers, proxies
(委托投票), the voters of mobile boxes (流动票箱)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from election_admin.choices_cycles import Body
from election_admin.models import Election
from voters.models import Voter
from voters.services.rolls import roll_for_election

from ..choices import MOBILE_BOX_MIN_SCRUTINEERS, BoxKind, StaffRole
from ..models import BallotBox, CountStaff, MobileBoxVoter, Proxy, Venue
from .common import lock_election, require_entry, require_not_candidate_side

ACTIVE_VOTER = ("registered", "restored")


def _on_roll(election: Election):
    """The voters registered (not struck) on the roll this election uses."""
    return Voter.objects.filter(**roll_for_election(election).filter_kwargs(), status__in=ACTIVE_VOTER)


@transaction.atomic
def venue_create(*, actor, election: Election, kind: str, name: str, address: str = "") -> Venue:
    """Record a venue (选举会场 / 投票站) of an election."""
    require_entry(actor)
    election = lock_election(actor, election)
    venue = Venue(election=election, kind=kind, name=name.strip(), address=address.strip())
    venue.full_clean()
    venue.save()
    audit_record(
        actor=actor,
        event_type="venue.created",
        region_code=election.region_id,
        obj=venue,
        after={"kind": kind, "name": venue.name},
    )
    return venue


@transaction.atomic
def ballot_box_create(*, actor, venue: Venue, label: str, kind: str = BoxKind.FIXED) -> BallotBox:
    """Record a ballot box (票箱) at a venue; a mobile box needs three scrutineers before its count."""
    require_entry(actor)
    election = lock_election(actor, venue.election)
    box = BallotBox(election=election, venue=venue, kind=kind, label=label.strip(), created_by=actor)
    box.full_clean()
    box.save()
    audit_record(
        actor=actor,
        event_type="ballot_box.created",
        region_code=election.region_id,
        obj=box,
        after={"venue": venue.name, "kind": kind, "label": box.label},
    )
    return box


@transaction.atomic
def count_staff_add(
    *,
    actor,
    election: Election,
    role: str,
    name: str,
    voter: Voter | None = None,
    box: BallotBox | None = None,
) -> CountStaff:
    """Add an announcer, teller, scrutineer (唱票、计票、监票人) or ballot writer (代写人); candidates and
    their close relatives are refused."""
    require_entry(actor)
    election = lock_election(actor, election)
    if voter is not None:
        if voter.cycle_id != election.cycle_id or voter.region_id != election.region_id:
            raise ValidationError(_("The person must be on this village's roll."))
        require_not_candidate_side(election, voter.pk, StaffRole(role).label.lower())
    if box is not None and box.election_id != election.pk:
        raise ValidationError(_("The ballot box belongs to another election."))
    staff = CountStaff(election=election, role=role, name=name.strip(), voter=voter, box=box)
    staff.full_clean()
    staff.save()
    audit_record(
        actor=actor,
        event_type="count_staff.added",
        region_code=election.region_id,
        obj=staff,
        after={"role": role, "name": staff.name, "box": box.label if box else ""},
    )
    return staff


def mobile_box_ready(box: BallotBox) -> bool:
    """A mobile ballot box goes out with at least three scrutineers (ZJ §24)."""
    return (
        not box.is_mobile or box.staff.filter(role=StaffRole.SCRUTINEER).count() >= MOBILE_BOX_MIN_SCRUTINEERS
    )


def proxy_deadline(election: Election) -> date | None:
    if election.election_day is None:
        return None
    return election.election_day - timedelta(days=election.cycle.rule_set.proxy_filing_days_before)


@transaction.atomic
def proxy_file(
    *, actor, election: Election, principal: Voter, proxy: Voter, relation: str, filed_on: date
) -> Proxy:
    """File a proxy vote (委托投票): written, to a close relative on the same roll, at most the rule
    set's number of principals per proxy, no candidate as proxy, by the filing deadline; none in party
    elections."""
    require_entry(actor)
    election = lock_election(actor, election)
    if election.body == Body.PARTY_BRANCH:
        raise ValidationError(_("Party branch elections allow no proxy votes."))
    on_roll = _on_roll(election)
    if not on_roll.filter(pk=principal.pk).exists() or not on_roll.filter(pk=proxy.pk).exists():
        raise ValidationError(_("Both the voter and the proxy must be registered on this village's roll."))
    if principal.pk == proxy.pk:
        raise ValidationError(_("A voter cannot be their own proxy."))
    if not relation.strip():
        raise ValidationError({"relation": _("Say how the proxy is related to the voter (close relative).")})
    deadline = proxy_deadline(election)
    if deadline is not None and filed_on > deadline:
        raise ValidationError(_("Proxies must be filed by %(day)s.") % {"day": deadline.isoformat()})
    require_not_candidate_side(election, proxy.pk, _("a proxy"))
    if Proxy.objects.filter(election=election, principal=proxy).exists():
        raise ValidationError(_("This proxy has given their own vote to someone else; no re-delegation."))
    if Proxy.objects.filter(election=election, proxy=principal).exists():
        raise ValidationError(_("This voter already votes for others; they cannot also hand on their vote."))
    limit = election.cycle.rule_set.proxy_limit
    if Proxy.objects.filter(election=election, proxy=proxy).count() >= limit:
        raise ValidationError(_("A proxy may vote for at most %(limit)s voters.") % {"limit": limit})
    if Proxy.objects.filter(election=election, principal=principal).exists():
        raise ValidationError(_("This voter has already named a proxy."))
    item = Proxy(
        election=election,
        principal=principal,
        proxy=proxy,
        relation=relation.strip(),
        filed_on=filed_on,
        filed_by=actor,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        event_type="proxy.filed",
        region_code=election.region_id,
        obj=item,
        after={"principal": principal.pk, "proxy": proxy.pk, "relation": item.relation, "filed_on": filed_on},
    )
    return item


@transaction.atomic
def mobile_box_voter_add(*, actor, box: BallotBox, voter: Voter, reason: str = "") -> MobileBoxVoter:
    """Put a voter on a mobile box's list (流动票箱投票选民): a registered voter of this election's roll, on
    one mobile box at most; the list is published before the day."""
    require_entry(actor)
    election = lock_election(actor, box.election)
    box = BallotBox.objects.get(pk=box.pk, election=election)
    if not box.is_mobile:
        raise ValidationError(_("Only a mobile ballot box has its own list of voters."))
    if not _on_roll(election).filter(pk=voter.pk).exists():
        raise ValidationError(_("The person must be on this village's roll."))
    other = MobileBoxVoter.objects.filter(election=election, voter=voter).select_related("box").first()
    if other is not None:
        raise ValidationError(
            _("%(name)s is already on the list of %(box)s.") % {"name": voter.name, "box": other.box.label}
        )
    item = MobileBoxVoter(election=election, box=box, voter=voter, reason=reason.strip(), added_by=actor)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        event_type="mobile_box.voter_added",
        region_code=election.region_id,
        obj=item,
        after={"box": box.label, "voter": voter.pk, "reason": item.reason},
    )
    return item


@transaction.atomic
def mobile_box_voter_remove(*, actor, item: MobileBoxVoter) -> None:
    """Take a voter off a mobile box's list (they will vote at the venue after all)."""
    require_entry(actor)
    election = lock_election(actor, item.election)
    item = MobileBoxVoter.objects.select_related("box").get(pk=item.pk, election=election)
    audit_record(
        actor=actor,
        event_type="mobile_box.voter_removed",
        region_code=election.region_id,
        obj=item,
        before={"box": item.box.label, "voter": item.voter_id, "reason": item.reason},
    )
    item.delete()
