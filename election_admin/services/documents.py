"""Storing generated documents as evidence (SHA-256, who, from which data) and finding them again."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from audit.services import audit_record

from ..models.documents import Document, new_short_code


@transaction.atomic
def document_store(
    *,
    actor,
    kind: str,
    region,
    title: str,
    content: bytes,
    filename: str,
    content_type: str,
    subject=None,
    data_version: str = "",
    is_public: bool = False,
    public_summary: dict | None = None,
    font_warning: str = "",
    short_code: str = "",
) -> Document:
    """Keep a generated file (生成文件存档). With a ``data_version``, a second call for the same kind, region,
    subject and version returns the document already stored: generating twice never makes two.
    ``short_code`` lets a notice print its own verification code (from ``new_short_code()``) before storing."""
    subject_type = subject._meta.label_lower if subject is not None else ""
    subject_id = str(subject.pk) if subject is not None else ""
    if data_version:
        existing = Document.objects.filter(
            kind=kind,
            region=region,
            subject_type=subject_type,
            subject_id=subject_id,
            data_version=data_version,
        ).first()
        if existing is not None:
            return existing
    sha256 = hashlib.sha256(content).hexdigest()
    document = Document(
        kind=kind,
        title=title[:200],
        region=region,
        subject_type=subject_type,
        subject_id=subject_id,
        data_version=data_version,
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=sha256,
        short_code=short_code or new_short_code(),
        is_public=is_public,
        public_summary=public_summary or {},
        font_warning=font_warning,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Another worker stored the same version a moment ago: keep theirs, drop our file.
        document.file.delete(save=False)
        return Document.objects.get(
            kind=kind,
            region=region,
            subject_type=subject_type,
            subject_id=subject_id,
            data_version=data_version,
        )
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label="" if getattr(actor, "is_authenticated", False) else "celery",
        event_type="document.generated",
        region_code=region.code,
        obj=document,
        after={"kind": kind, "sha256": sha256, "size": len(content), "data_version": data_version},
    )
    return document


def document_verify_bytes(*, document: Document, content: bytes) -> bool:
    """Does an uploaded copy match the stored original?"""
    return hashlib.sha256(content).hexdigest() == document.sha256
