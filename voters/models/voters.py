"""Voters (选民): one registration of one person on one village's roll in one cycle."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Region
from election_admin.scoping import RegionScopedQuerySet

from ..choices import Category, Gender, RollKind, VoterStatus
from ..ethnicities import NAMES

ETHNICITY_CHOICES = [(name, name) for name in NAMES]


class VoterQuerySet(RegionScopedQuerySet):
    def active(self):
        """On the roll: registered or restored (not struck off)."""
        return self.exclude(status=VoterStatus.STRUCK)

    def of_roll(self, *, cycle_id: int, region_id: str, roll: str):
        return self.filter(cycle_id=cycle_id, region_id=region_id, roll=roll)


class Voter(models.Model):
    """选民 — a person registered on a village's roll (选民名单) for one cycle.

    The ID number is never stored in clear: ``id_hash`` (HMAC, unique per cycle and roll among voters
    not struck off — one registration per person across the whole cycle), ``id_masked`` for display
    and ``id_encrypted`` (AES-GCM) for the audited reveal. The phone likewise.
    """

    region_lookup = "region__code"

    # No database foreign keys here, deliberately: a 100,000-row import would spend seconds on 200,000
    # per-row RI checks of the same two values. Both always come from the election the service locks;
    # cycles and regions are never deleted (PROTECT). Indexed through ``voter_roll_group_idx``.
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    roll = models.CharField(_("roll"), max_length=10, choices=RollKind.choices, default=RollKind.VILLAGERS)
    name = models.CharField(_("name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=10, choices=ETHNICITY_CHOICES, blank=True)
    birth_date = models.DateField(_("birth date"))
    group = models.CharField(_("villagers' group"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    category = models.CharField(
        _("registration category"), max_length=25, choices=Category.choices, default=Category.RESIDENT
    )
    approval_reference = models.CharField(_("approval reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VoterStatus.choices, default=VoterStatus.REGISTERED
    )
    struck_reason = models.CharField(_("reason struck off"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    serial = models.PositiveIntegerField(_("voter card number"), null=True, blank=True)
    id_hash = models.CharField(_("ID number (keyed hash)"), max_length=64)
    id_masked = models.CharField(_("ID number"), max_length=18)
    id_encrypted = models.TextField(_("ID number (encrypted)"))
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True)
    source = models.CharField(_("entered by"), max_length=10, default="entry")
    created_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(_("changed at"))

    objects = VoterQuerySet.as_manager()

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["group", "name", "id"]
        constraints = [
            # One registration per person per cycle (VCOL §13): across every village of the cycle. The hash
            # comes second: its offset in an index entry is then fixed (no walk over a variable-length
            # column before it), and it is nearly always the column that decides a comparison. On
            # PostgreSQL the column compares bytewise (COLLATE "C", migration 0004): a hex string has no
            # language order, and each import probes this index twice a row.
            models.UniqueConstraint(
                fields=["cycle", "id_hash", "roll"],
                condition=~Q(status=VoterStatus.STRUCK),
                name="voter_one_registration_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "region", "roll", "serial"],
                condition=Q(serial__isnull=False),
                name="voter_card_serial_unique_per_roll",
            ),
            models.CheckConstraint(name="voter_roll_known", condition=Q(roll__in=RollKind.values)),
            models.CheckConstraint(name="voter_gender_known", condition=Q(gender__in=Gender.values)),
            models.CheckConstraint(name="voter_category_known", condition=Q(category__in=Category.values)),
            models.CheckConstraint(name="voter_status_known", condition=Q(status__in=VoterStatus.values)),
            models.CheckConstraint(
                name="voter_struck_has_reason", condition=~Q(status=VoterStatus.STRUCK) | ~Q(struck_reason="")
            ),
            models.CheckConstraint(
                name="voter_non_resident_has_approval",
                condition=~Q(category=Category.NON_RESIDENT_APPROVED) | ~Q(approval_reference=""),
            ),
            models.CheckConstraint(
                name="voter_serial_positive", condition=Q(serial__isnull=True) | Q(serial__gt=0)
            ),
            models.CheckConstraint(name="voter_id_hash_length", condition=Q(id_hash__length=64)),
        ]
        indexes = [
            models.Index(fields=["cycle", "region", "roll", "group"], name="voter_roll_group_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"

    @property
    def is_active(self) -> bool:
        return self.status != VoterStatus.STRUCK

    @property
    def id_last4(self) -> str:
        return self.id_masked[-4:]

    def public_fields(self) -> dict:
        """What may appear in an audit row or a notice: never the full ID number or phone."""
        return {
            "name": self.name,
            "id": self.id_masked,
            "gender": self.gender,
            "birth_date": self.birth_date,
            "group": self.group,
            "category": self.category,
            "status": self.status,
        }
