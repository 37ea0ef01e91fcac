"""What every candidates service needs: who may do what, the locked election, its posts and margins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from election_admin import legal_calendar as cal
from election_admin.choices import Role
from election_admin.choices_cycles import Body
from election_admin.models import Election, RuleSet

from ..choices import Post
from ..rules import Margin, party_margin

# Township staff nominate, confirm, review and publish (with the village's election committee, on paper);
# village clerks follow the pages; the county bureau runs the joint review and may do everything below it.
CANDIDATE_EDIT_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})
JOINT_REVIEW_ROLES = frozenset({Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})


def candidates_may_edit(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in CANDIDATE_EDIT_ROLES


def joint_review_may_run(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in JOINT_REVIEW_ROLES


def require_editor(user) -> None:
    if not candidates_may_edit(user):
        raise PermissionDenied(
            _("Township staff and the county bureau record nominations, reviews and the candidate list.")
        )


def require_joint_review_runner(user) -> None:
    if not joint_review_may_run(user):
        raise PermissionDenied(_("Only the county bureau opens and closes the joint review."))


def lock_election(actor, election_pk: int) -> Election:
    """The election, locked for the change, if the actor may see it (serialises changes to its list)."""
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


def is_party(election: Election) -> bool:
    return election.body == Body.PARTY_BRANCH


def posts_for(election: Election) -> list[tuple[str, int]]:
    """(post, seats) of an election, posts with no seat left out. A party branch committee is nominated as
    members, all seats together (its secretary and deputy are chosen by the new committee)."""
    if is_party(election):
        return [(Post.MEMBER, election.seats_total)]
    seats = [
        (Post.CHAIR, election.seats_chair),
        (Post.VICE_CHAIR, election.seats_vice_chair),
        (Post.WOMEN_MEMBER, election.seats_women_member),
        (Post.MEMBER, election.seats_member),
    ]
    return [(post, n) for post, n in seats if n > 0]


def seats_for(election: Election, post: str) -> int:
    return dict(posts_for(election)).get(post, 0)


def margin_for(rules: RuleSet, election: Election, post: str) -> Margin:
    """The margin (差额) of a post from the cycle's rule set. The women's post (妇女委员专职专选) is a
    single seat and takes the chair's margin (one more candidate than seats: ZJ §21)."""
    if is_party(election):
        return party_margin(seats_for(election, post), rules.party_margin_percent)
    prefix = {
        Post.CHAIR: "chair",
        Post.VICE_CHAIR: "vice_chair",
        Post.MEMBER: "member",
        Post.WOMEN_MEMBER: "chair",
    }[post]
    return Margin(getattr(rules, f"{prefix}_margin_min"), getattr(rules, f"{prefix}_margin_max"))


def post_label(election: Election, post: str) -> str:
    if is_party(election):
        return str(_("Party committee member"))
    return str(Post(post).label)


def require_nominations_open(election: Election) -> None:
    """Nominations and reviews run between the roll's publication and the official list's."""
    if cal.stage_reached(election.stage, cal.CANDIDATES_PUBLISHED):
        raise ValidationError(
            _("The official candidate list of %(village)s is published: nominations and reviews are closed.")
            % {"village": election.region.name}
        )
    if election.stage != cal.ROLL_PUBLISHED:
        raise ValidationError(
            _("Nominations open once the voter roll of %(village)s is published: a candidate must be on it.")
            % {"village": election.region.name}
        )
