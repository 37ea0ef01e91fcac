"""Fixed lists of voter rolls: which roll, registration category, status, objections."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RollKind(models.TextChoices):
    """Which roll of a village: the villagers' (also the supervision committee's) or the party members'."""

    VILLAGERS = "villagers", _("Villagers' roll")
    PARTY = "party", _("Party members' roll")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Category(models.TextChoices):
    """登记类别 — why a person may register in this village (VCOL §13)."""

    RESIDENT = "resident", _("Household registered and living here")
    ABSENT_OPTED_IN = "absent_opted_in", _("Household registered here, living away, takes part")
    NON_RESIDENT_APPROVED = "non_resident_approved", _("Living here over a year, approved by the assembly")


class VoterStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    STRUCK = "struck", _("Struck off")
    RESTORED = "restored", _("Restored")


# A voter counts on the roll unless struck off.
ACTIVE_STATUSES = (VoterStatus.REGISTERED, VoterStatus.RESTORED)


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Checking")
    PARSED = "parsed", _("Checked, waiting for confirmation")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Failed")


class PublicationKind(models.TextChoices):
    NOTICE = "notice", _("Voter list notice")
    SUPPLEMENT = "supplement", _("Supplementary notice")


class ObjectionKind(models.TextChoices):
    """申诉 — what the objection says is wrong with the roll."""

    INCLUSION = "inclusion", _("Someone is on the roll who should not be")
    EXCLUSION = "exclusion", _("Someone is missing from the roll")
    ERROR = "error", _("A voter's details are wrong")


class ObjectionDecision(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
