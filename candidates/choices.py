"""Fixed lists of the candidates app: posts, how a person was nominated, statuses, review outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from election_admin.choices_cycles import Body


class Post(models.TextChoices):
    """职务 — the post a person is nominated for. A party branch committee is nominated as members only;
    its secretary and deputy are chosen by the new committee afterwards."""

    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member of the committee")
    WOMEN_MEMBER = "women_member", _("Women's member")


# The order posts appear in on pages and on the notice.
POST_ORDER = [Post.CHAIR, Post.VICE_CHAIR, Post.WOMEN_MEMBER, Post.MEMBER]

# What each post is called on a notice, by body (the notice is always in Chinese).
POST_NOTICE_LABELS = {
    Post.CHAIR: "主任",
    Post.VICE_CHAIR: "副主任",
    Post.MEMBER: "委员",
    Post.WOMEN_MEMBER: "妇女委员",
}


class NominationMethod(models.TextChoices):
    """提名方式 — how a person came to be nominated."""

    DIRECT = "direct", _("Direct nomination by voters")
    SELF = "self", _("Self-nomination")
    JOINT = "joint", _("Joint nomination by voters or household representatives")
    PARTY_COMMITTEE = "party_committee", _("Outgoing party committee")


# Which methods each body allows: voters nominate directly everywhere (for a party branch: its members);
# self-nomination (自荐直选) for the committees elected by villagers; joint nomination (联名提名) for
# residents' committees only (RCOL); the outgoing committee proposes a party branch's candidates (CPC).
BODY_METHODS = {
    Body.VILLAGERS_COMMITTEE: (NominationMethod.DIRECT, NominationMethod.SELF),
    Body.RESIDENTS_COMMITTEE: (NominationMethod.DIRECT, NominationMethod.SELF, NominationMethod.JOINT),
    Body.SUPERVISION_COMMITTEE: (NominationMethod.DIRECT, NominationMethod.SELF),
    Body.PARTY_BRANCH: (NominationMethod.DIRECT, NominationMethod.PARTY_COMMITTEE),
}

# Joint nomination of a residents' committee candidate: at least 10 voters or 5 household representatives.
JOINT_MIN_VOTERS = 10
JOINT_MIN_HOUSEHOLDS = 5


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    CONFIRMED = "confirmed", _("Confirmed, stands")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CandidateStatus(models.TextChoices):
    """Where a candidate stands in the review: in review (township, then the county's joint review),
    passed, failed (struck), or withdrawn in writing."""

    IN_REVIEW = "in_review", _("In review")
    PASSED = "passed", _("Passed the review")
    FAILED = "failed", _("Failed the review")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Education(models.TextChoices):
    """文化程度 — the highest level completed."""

    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary or technical school")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class PartyMembership(models.TextChoices):
    """政治面貌."""

    CPC_MEMBER = "cpc_member", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    LEAGUE = "league", _("Communist Youth League member")
    OTHER_PARTY = "other_party", _("Member of another party")
    NONE = "none", _("No party (the masses)")


class RelationKind(models.TextChoices):
    """近亲属 — the close relations the election rules care about (ZJ: spouse, parents, children, siblings)."""

    SPOUSE = "spouse", _("Spouse")
    PARENT_CHILD = "parent_child", _("Parent and child")
    SIBLING = "sibling", _("Siblings")


class JointReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ListPublicationKind(models.TextChoices):
    NOTICE = "notice", _("Official candidate list")
    CHANGE = "change", _("Change after a withdrawal")
