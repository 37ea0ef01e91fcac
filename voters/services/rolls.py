"""Which roll an election uses, its election day, whether it is published, and who may do what with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from election_admin.choices import Role
from election_admin.choices_cycles import Body
from election_admin.models import Election

from ..choices import RollKind
from ..models import RollPublication

# Who enters, imports, corrects and publishes rolls (city and province bureaus only watch).
ROLL_EDIT_ROLES = frozenset({Role.VILLAGE_CLERK, Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})
# Who may see an ID number or phone in full (audited): township staff and above, not village clerks —
# a village clerk works from the paper forms and has no need to read numbers back off the screen.
REVEAL_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})
MAIN_BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE)


def roll_may_edit(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in ROLL_EDIT_ROLES


def pii_may_reveal(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in REVEAL_ROLES


def require_roll_editor(user) -> None:
    if not roll_may_edit(user):
        raise PermissionDenied(_("City and province bureaus follow the rolls; they do not change them."))


@dataclass(frozen=True)
class RollRef:
    """One roll: a village's roll of one kind in one cycle, and the election whose day it counts from."""

    cycle_id: int
    region_id: str
    roll: str
    election: Election  # the election whose day decides the age (the villagers' / residents' committee)

    @property
    def election_day(self) -> date | None:
        return self.election.election_day

    def filter_kwargs(self) -> dict:
        return {"cycle_id": self.cycle_id, "region_id": self.region_id, "roll": self.roll}


def roll_kind_for(election: Election) -> str:
    return RollKind.PARTY if election.body == Body.PARTY_BRANCH else RollKind.VILLAGERS


def roll_for_election(election: Election) -> RollRef:
    """The roll an election uses; its age day is the village's main election day (the party branch's
    own day for the party roll)."""
    roll = roll_kind_for(election)
    main = election
    if roll == RollKind.VILLAGERS and election.body not in MAIN_BODIES:
        main = (
            Election.objects.filter(
                cycle_id=election.cycle_id, region_id=election.region_id, body__in=MAIN_BODIES
            )
            .select_related("cycle__rule_set", "region")
            .first()
            or election
        )
    return RollRef(cycle_id=election.cycle_id, region_id=election.region_id, roll=roll, election=main)


def roll_publications(ref: RollRef):
    return RollPublication.objects.filter(**ref.filter_kwargs()).order_by("number")


def roll_first_publication(ref: RollRef) -> RollPublication | None:
    return roll_publications(ref).first()


def roll_is_published(ref: RollRef) -> bool:
    return roll_publications(ref).exists()


def require_election_day(ref: RollRef) -> date:
    if ref.election_day is None:
        raise ValidationError(
            _("Set the election day first: a voter must be 18 on that day, so the roll counts from it.")
        )
    return ref.election_day


def require_unpublished_or_reason(ref: RollRef, correction_reason: str) -> bool:
    """True when the change is a correction of a published roll (a reason is then required)."""
    if not roll_is_published(ref):
        return False
    if not correction_reason.strip():
        raise ValidationError(
            _(
                "The roll has been published: it now changes only through an objection or a correction "
                "with its reason recorded."
            )
        )
    return True


def lock_election(actor, election_pk: int) -> Election:
    """The election, locked, if the actor may see it (serialises changes to its roll)."""
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
