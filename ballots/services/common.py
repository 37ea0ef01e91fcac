"""Who may do what on election day, and the locked, scoped election every write starts from."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from election_admin.choices import Role
from election_admin.models import Election

# Clerks and township staff enter the count; county bureaus too (they may step in).
ENTRY_ROLES = frozenset({Role.VILLAGE_CLERK, Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})
# Township staff or above resolve differences and certify results.
SUPERVISOR_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})


def may_enter(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in ENTRY_ROLES


def may_supervise(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in SUPERVISOR_ROLES


def require_entry(user) -> None:
    if not may_enter(user):
        raise PermissionDenied(_("City and province bureaus follow the count; they do not enter it."))


def require_supervisor(user) -> None:
    if not may_supervise(user):
        raise PermissionDenied(_("Only township staff or above may do this."))


def lock_election(actor, election: Election) -> Election:
    """The election, locked, if the actor may see it (out of area: as if it did not exist)."""
    found = (
        Election.objects.visible_to(actor)
        .select_for_update()
        .select_related("cycle__rule_set", "region")
        .filter(pk=election.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied(_("This election is outside your area."))
    return found


def candidate_voter_ids(election: Election) -> set[int]:
    """Voters standing as candidates in any election of the village this cycle (empty without the
    candidates app)."""
    from django.apps import apps

    if not apps.is_installed("candidates"):
        return set()
    from candidates.models import Candidate

    return set(
        Candidate.objects.filter(election__cycle_id=election.cycle_id, election__region_id=election.region_id)
        .filter(status__in=("in_review", "passed"))
        .values_list("voter_id", flat=True)
    )


def relatives_of(voter_ids: set[int]) -> set[int]:
    """Close relatives (declared in the review) of the given voters."""
    from django.apps import apps

    if not voter_ids or not apps.is_installed("candidates"):
        return set()
    from candidates.models import CloseRelation

    pairs = CloseRelation.objects.filter(voter_a_id__in=voter_ids).values_list("voter_b_id", flat=True)
    back = CloseRelation.objects.filter(voter_b_id__in=voter_ids).values_list("voter_a_id", flat=True)
    return set(pairs) | set(back)


def require_not_candidate_side(election: Election, voter_id: int, what: str) -> None:
    candidates = candidate_voter_ids(election)
    if voter_id in candidates:
        raise ValidationError(_("A candidate may not be %(what)s.") % {"what": what})
    if voter_id in relatives_of(candidates):
        raise ValidationError(_("A close relative of a candidate may not be %(what)s.") % {"what": what})
