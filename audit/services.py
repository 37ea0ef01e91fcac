"""Writing to the audit log. Every service that changes something that matters calls ``audit_record``
inside its own transaction, so the change and its event commit or roll back together."""

import json
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .catalogue import EVENT_TYPES
from .context import current_request_id
from .hashing import event_hash, hashed_fields
from .models import AuditChainHead, AuditEvent


def _plain(value: Any) -> Any:
    """JSON-safe copy (dates, decimals, UUIDs as strings), exactly as the database will return it."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def audit_record(
    *,
    actor,
    event_type: str,
    region_code: str = "",
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the log (审计事件). Must run inside the transaction of the change it records."""
    if event_type not in EVENT_TYPES:
        raise ImproperlyConfigured(f"Unknown audit event type {event_type!r}: add it to audit/catalogue.py")
    if not connection.in_atomic_block:
        raise ImproperlyConfigured(
            "audit_record must be called inside the transaction of the change it records"
        )
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    is_person = actor is not None and getattr(actor, "is_authenticated", False)

    # Lock the chain head: the UPDATE takes PostgreSQL's row lock (and SQLite's write lock), so
    # concurrent writers append one at a time and each sees the hash its predecessor wrote.
    AuditChainHead.objects.get_or_create(id=1)
    AuditChainHead.objects.filter(id=1).update(last_sequence=F("last_sequence") + 1)
    head = AuditChainHead.objects.get(id=1)

    event = AuditEvent(
        sequence=head.last_sequence,
        occurred_at=timezone.now(),
        actor=actor if is_person else None,
        actor_username=actor.get_username() if is_person else actor_label[:150],
        actor_role=getattr(actor, "role", "") if is_person else "",
        region_code=region_code or "",
        event_type=event_type,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        before=_plain(before),
        after=_plain(after),
        request_id=current_request_id(),
        previous_hash=head.last_hash,
    )
    event.hash = event_hash(previous_hash=event.previous_hash, fields=hashed_fields(event))
    event.save(force_insert=True)
    AuditChainHead.objects.filter(id=1).update(last_hash=event.hash)
    return event


def audit_record_on_its_own(**kwargs) -> AuditEvent:
    """For events with no other change to ride on (sign-ins, views of personal data)."""
    with transaction.atomic():
        return audit_record(**kwargs)
