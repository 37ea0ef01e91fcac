"""How an audit event's hash is computed (shared by the writer and the verifier)."""

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_time(value: datetime) -> str:
    """UTC timestamp in a fixed format, so the same instant hashes the same on any database."""
    from datetime import UTC

    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(*, previous_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(
        {"previous_hash": previous_hash, **fields},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def hashed_fields(event) -> dict[str, Any]:
    """The content of an event that its hash covers."""
    return {
        "sequence": event.sequence,
        "occurred_at": canonical_time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "region_code": event.region_code,
        "event_type": event.event_type,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
    }
