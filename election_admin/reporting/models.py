"""当选人 and the election-day figures of each election, materialised for the statistics.

Both tables carry the codes of the township, county, city and province above the village as plain
columns, so a province's figures are one ``GROUP BY`` on an indexed column and never a ``LIKE`` scan
over the people of the whole province.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from election_admin.choices_cycles import Body
from election_admin.scoping import RegionScopedQuerySet

# Column holding the code of each level above a village, by code length.
LEVEL_COLUMNS = {2: "province_code", 4: "city_code", 6: "county_code", 9: "township_code", 12: "region_id"}


def level_codes(village_code: str) -> dict:
    """The province/city/county/township code columns of a village-level code."""
    return {
        "province_code": village_code[:2],
        "city_code": village_code[:4],
        "county_code": village_code[:6],
        "township_code": village_code[:9],
    }


class MemberQuerySet(RegionScopedQuerySet):
    def in_region(self, code: str):
        """Rows under a region, by equality on the level column (no prefix scan)."""
        if not code:
            return self
        column = LEVEL_COLUMNS[len(code)]
        return self.filter(**{column: code})


class Education(models.TextChoices):
    """文化程度 (the candidates app's list, repeated so imported lists of past terms need no candidate)."""

    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary or technical school")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


# Education bands of the reports.
EDUCATION_BANDS = {
    "edu_below_senior": (Education.PRIMARY, Education.JUNIOR),
    "edu_senior": (Education.SENIOR,),
    "edu_college": (Education.COLLEGE,),
    "edu_bachelor_plus": (Education.BACHELOR, Education.POSTGRADUATE),
}
PARTY_MEMBERSHIPS = ("cpc_member", "cpc_probationary")
MAJORITY_ETHNICITY = "汉族"


class Post(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member of the committee")
    WOMEN_MEMBER = "women_member", _("Women's member")


class PartyPost(models.TextChoices):
    """党组织职务 — chosen by the new branch committee after its election, recorded by the township."""

    NONE = "", _("Not recorded")
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    MEMBER = "member", _("Branch committee member")


class Source(models.TextChoices):
    CERTIFIED = "certified", _("Certified result")
    IMPORTED = "imported", _("Imported list of the previous term")


COMMITTEE_BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE)


class ElectedMember(models.Model):
    """当选人 — one person elected to one body in one village in one cycle.

    Rows of a certified election are written from its certified result (``services.members_record``),
    replacing that election's rows. Rows of the term before the first cycle in the system are imported
    (``source=imported``, ``cycle`` empty, ``previous_of`` the cycle they are the previous term of).
    ``id_hash`` is the keyed hash of the ID number, never the number. ``re_elected`` (None: no list of
    the previous term to compare with), ``cross_serving`` (交叉任职) and ``dual_role`` (一肩挑, on the
    secretary's and the chair's rows) are kept up to date by the services.
    """

    region_lookup = "region__code"

    cycle = models.ForeignKey(
        "election_admin.Cycle",
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_of = models.ForeignKey(
        "election_admin.Cycle",
        verbose_name=_("previous term of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    election = models.ForeignKey(
        "election_admin.Election",
        verbose_name=_("election"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "election_admin.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    township_code = models.CharField(max_length=9)
    county_code = models.CharField(max_length=6)
    city_code = models.CharField(max_length=4)
    province_code = models.CharField(max_length=2)
    body = models.CharField(_("body"), max_length=25, choices=Body.choices)
    post = models.CharField(_("post"), max_length=15, choices=Post.choices)
    party_post = models.CharField(
        _("party post"), max_length=20, choices=PartyPost.choices, default="", blank=True
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6)
    ethnicity = models.CharField(_("ethnicity"), max_length=10, blank=True)
    birth_date = models.DateField(_("birth date"))
    election_day = models.DateField(_("election day"))
    age = models.PositiveSmallIntegerField(_("age on the election day"))
    education = models.CharField(_("education"), max_length=15, choices=Education.choices)
    party_membership = models.CharField(_("party membership"), max_length=20, default="none")
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    id_hash = models.CharField(_("ID number (keyed hash)"), max_length=64)
    elected_round = models.PositiveSmallIntegerField(_("elected in round"), default=1)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.CERTIFIED)
    re_elected = models.BooleanField(_("re-elected"), null=True, blank=True)
    cross_serving = models.BooleanField(_("also on the other committee (交叉任职)"), default=False)
    dual_role = models.BooleanField(_("secretary and chair (一肩挑)"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("person elected")
        verbose_name_plural = _("people elected")
        ordering = ["region_id", "body", "post", "name"]
        constraints = [
            models.CheckConstraint(
                name="elected_member_cycle_or_previous",
                condition=Q(cycle__isnull=False, previous_of__isnull=True)
                | Q(cycle__isnull=True, previous_of__isnull=False),
            ),
            models.CheckConstraint(name="elected_member_round_known", condition=Q(elected_round__in=[1, 2])),
            models.UniqueConstraint(
                fields=["cycle", "region", "body", "id_hash"], name="elected_member_once_per_body"
            ),
            models.UniqueConstraint(
                fields=["previous_of", "region", "body", "id_hash"], name="elected_member_previous_once"
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "province_code"], name="elected_cycle_province_idx"),
            models.Index(fields=["cycle", "city_code"], name="elected_cycle_city_idx"),
            models.Index(fields=["cycle", "county_code"], name="elected_cycle_county_idx"),
            models.Index(fields=["cycle", "township_code"], name="elected_cycle_township_idx"),
            models.Index(fields=["previous_of", "city_code"], name="elected_previous_city_idx"),
            models.Index(fields=["id_hash"], name="elected_id_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_body_display()} · {self.get_post_display()}"

    def save(self, *args, **kwargs):
        for column, code in level_codes(self.region_id).items():
            setattr(self, column, code)
        super().save(*args, **kwargs)


class ElectionDayFigures(models.Model):
    """The election-day figures of one election (its first round), taken from the ballots app when the
    result is certified: voters by proxy and at mobile boxes, boxes and polling stations. Ballot writers
    (代写人) and booths (秘密写票处) are counted where the township recorded them (empty otherwise)."""

    region_lookup = "region__code"

    election = models.OneToOneField(
        "election_admin.Election", verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        "election_admin.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "election_admin.Region",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.CharField(_("body"), max_length=25, choices=Body.choices)
    proxy_voters = models.PositiveIntegerField(_("voters by proxy"), default=0)
    mobile_box_voters = models.PositiveIntegerField(_("voters at mobile boxes"), default=0)
    ballot_writer_voters = models.PositiveIntegerField(
        _("voters helped by a ballot writer"), null=True, blank=True
    )
    boxes = models.PositiveIntegerField(_("ballot boxes"), default=0)
    mobile_boxes = models.PositiveIntegerField(_("mobile ballot boxes"), default=0)
    booths = models.PositiveIntegerField(_("secret-ballot booths"), null=True, blank=True)
    polling_stations = models.PositiveIntegerField(_("polling stations"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("election-day figures")
        verbose_name_plural = _("election-day figures")
        indexes = [models.Index(fields=["cycle", "region"], name="day_figures_cycle_region_idx")]

    def __str__(self) -> str:
        return f"{self.election_id}"


# Sums kept per township in MemberTally, named as the aggregates of selectors._member_rows.
TALLY_SUMS = (
    "n_count",
    "n_women",
    "n_party",
    "n_minority",
    "n_age_35_under",
    "n_age_36_45",
    "n_age_46_55",
    "n_age_56_over",
    "n_women_age_35_under",
    "n_women_age_36_45",
    "n_women_age_46_55",
    "n_women_age_56_over",
    "n_edu_below_senior",
    "n_edu_senior",
    "n_edu_college",
    "n_edu_bachelor_plus",
    "n_re_elected",
    "n_first_time",
    "n_compared",
    "n_cross_serving",
    "n_dual_role",
    "n_age_sum",
)


class MemberTally(models.Model):
    """Summary of the people elected per township, body, post, party post and 交叉任职 — what the county,
    city and province figures add up instead of scanning every person. Rewritten for the townships
    concerned by every service that writes people elected (``services.tally_refresh``) and by
    ``statistics_rebuild``; a township's rows always equal a ``GROUP BY`` of its ElectedMember rows."""

    region_lookup = "township_code"

    cycle = models.ForeignKey(
        "election_admin.Cycle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    previous_of = models.ForeignKey(
        "election_admin.Cycle", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    township_code = models.CharField(max_length=9)
    county_code = models.CharField(max_length=6)
    city_code = models.CharField(max_length=4)
    province_code = models.CharField(max_length=2)
    body = models.CharField(max_length=25)
    post = models.CharField(max_length=15)
    party_post = models.CharField(max_length=20, blank=True)
    cross_serving = models.BooleanField(default=False)
    occupations = models.JSONField(default=dict)
    n_count = models.IntegerField(default=0)
    n_women = models.IntegerField(default=0)
    n_party = models.IntegerField(default=0)
    n_minority = models.IntegerField(default=0)
    n_age_35_under = models.IntegerField(default=0)
    n_age_36_45 = models.IntegerField(default=0)
    n_age_46_55 = models.IntegerField(default=0)
    n_age_56_over = models.IntegerField(default=0)
    n_women_age_35_under = models.IntegerField(default=0)
    n_women_age_36_45 = models.IntegerField(default=0)
    n_women_age_46_55 = models.IntegerField(default=0)
    n_women_age_56_over = models.IntegerField(default=0)
    n_edu_below_senior = models.IntegerField(default=0)
    n_edu_senior = models.IntegerField(default=0)
    n_edu_college = models.IntegerField(default=0)
    n_edu_bachelor_plus = models.IntegerField(default=0)
    n_re_elected = models.IntegerField(default=0)
    n_first_time = models.IntegerField(default=0)
    n_compared = models.IntegerField(default=0)
    n_cross_serving = models.IntegerField(default=0)
    n_dual_role = models.IntegerField(default=0)
    n_age_sum = models.BigIntegerField(default=0)

    objects = MemberQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["cycle", "province_code"], name="tally_cycle_province_idx"),
            models.Index(fields=["cycle", "township_code"], name="tally_cycle_township_idx"),
            models.Index(fields=["previous_of", "township_code"], name="tally_previous_township_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.township_code} {self.body} {self.post}"
