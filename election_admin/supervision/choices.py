"""Fixed lists of the supervision of a round: responsibility assignments, complaints, handover, targets."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from election_admin.choices import BUREAU_ROLES, RegionLevel, Role


class AssignmentKind(models.TextChoices):
    """包保责任制 — who answers for what: county leaders for townships, township leaders and resident
    cadres for villages."""

    COUNTY_LEADER = "county_leader", _("County leader responsible for the township")
    TOWNSHIP_LEADER = "township_leader", _("Township leader responsible for the village")
    RESIDENT_CADRE = "resident_cadre", _("Resident cadre")


# The level of the region each kind of assignment is for, and the level of the leader's own unit.
ASSIGNED_LEVEL = {
    AssignmentKind.COUNTY_LEADER: RegionLevel.TOWNSHIP,
    AssignmentKind.TOWNSHIP_LEADER: RegionLevel.VILLAGE_LEVEL,
    AssignmentKind.RESIDENT_CADRE: RegionLevel.VILLAGE_LEVEL,
}
LEADER_UNIT_LENGTH = {
    AssignmentKind.COUNTY_LEADER: 6,  # a county leader belongs to the county
    AssignmentKind.TOWNSHIP_LEADER: 9,  # township leaders and resident cadres to the township
    AssignmentKind.RESIDENT_CADRE: 9,
}
# Short labels for the dashboards' "responsible" column.
ASSIGNMENT_SHORT_LABELS = {
    AssignmentKind.COUNTY_LEADER: _("County leader"),
    AssignmentKind.TOWNSHIP_LEADER: _("Township leader"),
    AssignmentKind.RESIDENT_CADRE: _("Resident cadre"),
}

# Roles that see leaders' and complainants' phone numbers in full: the township and county staff who
# phone them to chase a village or answer a complaint. Village clerks, city and province bureaus see
# them masked (138****5678): they read the lists and reports but do not chase by phone.
PHONE_ROLES = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})
# Who assigns: county bureaus put county leaders on townships; township staff (and the county) put township
# leaders and resident cadres on villages. City and province bureaus read the assignments.
COUNTY_ASSIGNER_ROLES = frozenset({Role.COUNTY_BUREAU, Role.SYSTEM_ADMIN})
TOWNSHIP_ASSIGNER_ROLES = COUNTY_ASSIGNER_ROLES | {Role.TOWNSHIP_STAFF}
# Who sets a cycle's answer time and composition targets, and makes weekly reports (within their own area).
CYCLE_RULES_ROLES = BUREAU_ROLES
# Roles that keep the complaints register, record visits and reserves (township and above). Village clerks
# never see the register: complaints are often about the village's own committee and name who complained.
SUPERVISION_ROLES = BUREAU_ROLES | {Role.TOWNSHIP_STAFF}


class ComplaintChannel(models.TextChoices):
    """信访渠道 — how a complaint or petition arrived."""

    LETTER = "letter", _("Letter")
    VISIT = "visit", _("In person")
    PHONE = "phone", _("Telephone")
    ONLINE = "online", _("Online petition")
    HOTLINE = "hotline", _("12345 hotline")
    REFERRED = "referred", _("Referred by a higher level")
    INSPECTION = "inspection", _("Found by a supervision group")


class ComplaintCategory(models.TextChoices):
    """举报类别 — what a complaint is about."""

    ELIGIBILITY = "eligibility", _("Voter or candidate eligibility")
    VOTE_BUYING = "vote_buying", _("Vote buying or canvassing")
    PROCEDURE = "procedure", _("Election procedure")
    FINANCES = "finances", _("Finances of the outgoing committee")
    INTIMIDATION = "intimidation", _("Threats, violence or clan interference")
    OTHER = "other", _("Other")


class ComplaintOutcome(models.TextChoices):
    """办理结果."""

    UPHELD = "upheld", _("Substantiated")
    PARTLY_UPHELD = "partly", _("Partly substantiated")
    NOT_UPHELD = "not_upheld", _("Not substantiated")
    REFERRED = "referred", _("Referred to the competent authority")
    WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")


# 信访工作条例 (2022) asks for a decision to accept within 15 days and a conclusion within 60; during a
# round counties commonly promise an answer within 15 days. Each cycle sets its own number.
DEFAULT_COMPLAINT_ANSWER_DAYS = 15
COMPLAINT_ANSWER_DAYS_BOUNDS = (1, 60)


class HandoverItem(models.TextChoices):
    """工作移交 — what the outgoing committee hands over to the new one."""

    SEAL = "seal", _("Seal")
    ACCOUNTS = "accounts", _("Accounts")
    FILES = "files", _("Files")
    ASSETS = "assets", _("Assets")


class TargetKind(models.TextChoices):
    """结构目标 — a composition target for a body's candidate list and result."""

    WOMAN = "woman", _("At least one woman")
    YOUNG = "young", _("At least one member aged 35 or under")
    DUAL_ROLE = "dual_role", _("Party secretary also stands for chair (一肩挑)")


class ReservePost(models.TextChoices):
    """后备人才 — the post a reserve is groomed for."""

    SECRETARY = "secretary", _("Party branch secretary")
    CHAIR = "chair", _("Committee chair")
    MEMBER = "member", _("Committee member")
    WOMEN_MEMBER = "women_member", _("Women's member")
    SUPERVISION_CHAIR = "supervision_chair", _("Supervision committee chair")
