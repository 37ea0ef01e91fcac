"""Background work of the ballots app: thin tasks taking ids (enqueued with ``transaction.on_commit``)."""

from celery import shared_task


@shared_task
def result_notice_task(result_id: int) -> int | None:
    """Make the result notice of a certified result; safe to run twice (one document per version)."""
    from .models import RoundResult
    from .services.notices import result_notice_generate

    result = RoundResult.objects.filter(pk=result_id, status="certified").first()
    if result is None:
        return None
    return result_notice_generate(actor=None, result=result).pk
