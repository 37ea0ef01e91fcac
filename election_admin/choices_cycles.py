"""Fixed lists of election cycles: bodies, stages, risk classes, deadlines and background jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import legal_calendar as cal


class Body(models.TextChoices):
    """The bodies elected in one round (两委 and the supervision committee)."""

    VILLAGERS_COMMITTEE = "villagers_committee", _("Villagers' committee")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    SUPERVISION_COMMITTEE = "supervision_committee", _("Supervision committee")
    PARTY_BRANCH = "party_branch", _("Party branch committee")


# Bodies a cycle may add on top of the villagers'/residents' committee.
OPTIONAL_BODIES = [Body.SUPERVISION_COMMITTEE, Body.PARTY_BRANCH]
# Bodies that may have a separate women's post (妇女委员专职专选).
BODIES_WITH_WOMEN_POST = frozenset({Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE})
# Rule-set prefix of each body's committee size fields.
BODY_SIZE_FIELDS = {
    Body.VILLAGERS_COMMITTEE: "villagers_committee_size",
    Body.RESIDENTS_COMMITTEE: "residents_committee_size",
    Body.SUPERVISION_COMMITTEE: "supervision_committee_size",
    Body.PARTY_BRANCH: "party_branch_size",
}


class Stage(models.TextChoices):
    """选举阶段 — where one election stands; moved only by the stage service."""

    PREPARATION = cal.PREPARATION, _("Preparation")
    COMMITTEE_FORMED = cal.COMMITTEE_FORMED, _("Election committee formed")
    ROLL_PUBLISHED = cal.ROLL_PUBLISHED, _("Voter roll published")
    CANDIDATES_PUBLISHED = cal.CANDIDATES_PUBLISHED, _("Official candidates published")
    VOTING_DONE = cal.VOTING_DONE, _("Voting held")
    RUNOFF = cal.RUNOFF, _("Run-off pending")
    RESULTS_CERTIFIED = cal.RESULTS_CERTIFIED, _("Results certified")
    HANDED_OVER = cal.HANDED_OVER, _("Handed over")
    FAILED = cal.FAILED, _("Failed (void)")
    RERUN = cal.RERUN, _("Re-run scheduled")


DEADLINE_LABELS = {
    cal.ROLL_DEADLINE: _("Voter roll published"),
    cal.OBJECTIONS_CLOSED: _("Objections closed"),
    cal.OBJECTIONS_ANSWERED: _("Objections answered"),
    cal.CANDIDATES_DEADLINE: _("Official candidates published"),
    cal.PROXIES_FILED: _("Proxies filed"),
    cal.ELECTION_DAY: _("Election day"),
    cal.RUNOFF_DEADLINE: _("Run-off held"),
    cal.HANDOVER_DEADLINE: _("Handover completed"),
}


class RiskClass(models.TextChoices):
    """一类 / 二类 / 难点村 — the pre-election risk classification of a village."""

    NORMAL = "normal", _("Class 1 (normal)")
    WATCH = "watch", _("Class 2 (watch)")
    DIFFICULT = "difficult", _("Difficult village")


class BallotsComparator(models.TextChoices):
    """What the ballots collected are compared with to decide whether a round is void."""

    VOTERS_WHO_VOTED = "voted", _("Voters who voted")
    BALLOTS_ISSUED = "issued", _("Ballots issued")


class CycleStatus(models.TextChoices):
    CREATING = "creating", _("Creating elections")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
