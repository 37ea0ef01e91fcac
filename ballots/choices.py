"""Fixed lists of the ballots app: venues, boxes, count staff, tally sheets, results."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueKind(models.TextChoices):
    """选举大会 / 中心会场 / 投票站."""

    ASSEMBLY = "assembly", _("Election assembly")
    CENTRAL = "central", _("Central venue")
    STATION = "station", _("Polling station")


class BoxKind(models.TextChoices):
    """固定票箱 / 流动票箱."""

    FIXED = "fixed", _("Fixed ballot box")
    MOBILE = "mobile", _("Mobile ballot box")


class StaffRole(models.TextChoices):
    """唱票 / 计票 / 监票, and 代写 (writes the ballot, in the writing booth, for a voter who cannot write)."""

    ANNOUNCER = "announcer", _("Announcer")
    TELLER = "teller", _("Teller")
    SCRUTINEER = "scrutineer", _("Scrutineer")
    BALLOT_WRITER = "ballot_writer", _("Ballot writer")


class SheetStatus(models.TextChoices):
    """Where a box's tally sheet stands in double entry."""

    OPEN = "open", _("Waiting for entries")
    ONE_ENTRY = "one_entry", _("Entered once")
    MISMATCH = "mismatch", _("Entries differ")
    AGREED = "agreed", _("Agreed")


class ResultStatus(models.TextChoices):
    """Computed from the agreed tally sheets, then certified by the township (final; a correction is a new
    version). There is no separate "reviewed" step: the law has the election committee announce the
    result on the spot and the township record it (domain.md §5, §6), the second person's check is the
    double entry of every tally sheet, and the township's certification is the review."""

    COMPUTED = "computed", _("Computed")
    CERTIFIED = "certified", _("Certified")


# Minimum scrutineers accompanying a mobile ballot box (ZJ §24).
MOBILE_BOX_MIN_SCRUTINEERS = 3
# The figures of a tally sheet, in the order of the paper sheet.
FIGURES = ("voted", "issued", "returned", "invalid")
FIRST_ROUND = 1
RUNOFF_ROUND = 2

# No village or community has a million voters: a larger count is a typing slip (or hostile). The tally
# form refuses it, and the database refuses it in the JSON counts too (ballots/triggers.py).
MAX_COUNT = 999_999
