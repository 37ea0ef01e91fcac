"""Fixed lists of the returns (逐级上报): statuses, actions, and who submits and reviews at each level."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from election_admin.choices import RegionLevel, Role


class ReturnStatus(models.TextChoices):
    """报表状态 — where one version of a region's return stands."""

    SUBMITTED = "submitted", _("Submitted, awaiting review")
    SENT_BACK = "sent_back", _("Sent back")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class ReturnAction(models.TextChoices):
    """What happened to a return (its history)."""

    SUBMITTED = "submitted", _("Submitted")
    RESUBMITTED = "resubmitted", _("Re-submitted")
    SENT_BACK = "sent_back", _("Sent back")
    ACCEPTED = "accepted", _("Accepted")


# The levels that submit a return, and the role that submits it for its own region. The chain ends at
# the province: a province bureau reviews its cities' returns; what it sends to the ministry is the
# printed return of its own area, outside this system.
SUBMITTER_ROLE = {
    RegionLevel.TOWNSHIP: Role.TOWNSHIP_STAFF,
    RegionLevel.COUNTY: Role.COUNTY_BUREAU,
    RegionLevel.CITY: Role.CITY_BUREAU,
}
# The role that reviews the returns of the level below it, for its own region.
REVIEWER_ROLE = {
    RegionLevel.COUNTY: Role.COUNTY_BUREAU,
    RegionLevel.CITY: Role.CITY_BUREAU,
    RegionLevel.PROVINCE: Role.PROVINCE_BUREAU,
}
RETURN_LEVELS = tuple(SUBMITTER_ROLE)
# Roles that open the returns pages at all (village clerks and department reviewers do not).
RETURN_ROLES = frozenset(
    {Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.CITY_BUREAU, Role.PROVINCE_BUREAU, Role.SYSTEM_ADMIN}
)

COMMENT_MAX = 1000
