"""The append-only, hash-chained audit log (审计日志)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import event_label


class AuditEventQuerySet(models.QuerySet):
    region_lookup = "region_code"

    def visible_to(self, user):
        """Events of the user's area; '' region code (national events) only for system administrators."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        area_code = user.area_code
        if area_code is None:
            return self.none()
        if area_code == "":
            return self.all()
        return self.filter(region_code__startswith=area_code)


class AuditEvent(models.Model):
    """审计事件 — one recorded change or view of personal data; never updated or deleted.

    ``hash`` is SHA-256 over this event's content and ``previous_hash``, so a forged or removed
    row breaks the chain from that point on (``manage.py audit_verify``).
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=30, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    event_type = models.CharField(_("event"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type}"

    @property
    def event_label(self) -> str:
        return event_label(self.event_type)


class AuditChainHead(models.Model):
    """The single row that serialises appends: writers lock it, read the last hash, then append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(name="audit_chain_head_singleton", condition=models.Q(id=1))]

    def __str__(self) -> str:
        return f"audit chain head #{self.last_sequence}"
