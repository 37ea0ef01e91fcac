"""Scheduled verification of the audit chain (run nightly by Celery beat, see docs/deployment.md)."""

from celery import shared_task
from django.db import transaction

from .services import audit_record
from .verification import audit_chain_verify


@shared_task(name="audit.verify_chain", acks_late=True)
def audit_verify_chain() -> dict:
    """Recompute the chain and record the outcome as an ``audit.verified`` event (which extends the chain)."""
    report = audit_chain_verify()
    outcome = {
        "intact": report.is_intact,
        "checked": report.checked,
        "first_broken_sequence": report.first_broken_sequence,
        "problem": report.problem,
    }
    with transaction.atomic():
        audit_record(
            actor=None, actor_label="celery audit.verify_chain", event_type="audit.verified", after=outcome
        )
    return outcome
