"""Checking the audit chain: recompute every hash and name the first event that does not fit."""

from dataclasses import dataclass

from .hashing import GENESIS_HASH, event_hash, hashed_fields
from .models import AuditChainHead, AuditEvent


@dataclass
class ChainReport:
    checked: int
    first_broken_sequence: int | None = None
    problem: str = ""  # missing | link | content | truncated | head

    @property
    def is_intact(self) -> bool:
        return self.first_broken_sequence is None and not self.problem


def audit_chain_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the log in sequence order; stop at the first event whose content or link was altered."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    last_pk_sequence = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last_pk_sequence).order_by("sequence")[:batch_size]
        )
        if not batch:
            break
        for event in batch:
            if event.sequence != expected_sequence:
                return ChainReport(checked, expected_sequence, "missing")
            if event.previous_hash != expected_previous:
                return ChainReport(checked, event.sequence, "link")
            recomputed = event_hash(previous_hash=event.previous_hash, fields=hashed_fields(event))
            if recomputed != event.hash:
                return ChainReport(checked, event.sequence, "content")
            expected_previous = event.hash
            expected_sequence += 1
            checked += 1
        last_pk_sequence = batch[-1].sequence
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_sequence > checked:
        # Events at the end of the log were removed (the head remembers how many there were).
        return ChainReport(checked, checked + 1, "truncated")
    if head is not None and checked and head.last_hash != expected_previous:
        return ChainReport(checked, checked, "head")
    return ChainReport(checked)
