"""Downloading stored documents (scoped, audited) and the public check of a printed notice."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import audit_record_on_its_own

from .models.documents import Document

MAX_CHECK_UPLOAD = 20 * 1024 * 1024


@login_required
def document_download(request, pk: int):
    """A document of the user's area; every download is an audit event (some hold personal data)."""
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    audit_record_on_its_own(
        actor=request.user, event_type="document.downloaded", region_code=document.region_id, obj=document
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )


@require_http_methods(["GET", "POST"])
def document_verify(request, short_code: str):
    """核验公告 — open to anyone with the code printed on a notice; shows only what the notice itself shows."""
    document = get_object_or_404(Document, short_code=short_code.upper().strip(), is_public=True)
    upload_result = None
    if request.method == "POST" and request.FILES.get("copy"):
        upload = request.FILES["copy"]
        if upload.size > MAX_CHECK_UPLOAD:
            upload_result = {
                "ok": False,
                "message": _("The file is larger than 20 MB; it cannot be this notice."),
            }
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            matches = digest.hexdigest() == document.sha256
            upload_result = {
                "ok": matches,
                "message": _("The file is identical to the original.")
                if matches
                else _("The file differs from the original notice."),
            }
    return render(
        request,
        "election_admin/documents/verify.html",
        {"document": document, "upload_result": upload_result},
    )
