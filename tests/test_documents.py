"""Generated documents are stored with their hash, made once per data version, downloadable only in area,
and publicly checkable by the code printed on them."""

import io

import pytest
from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from audit.models import AuditEvent
from election_admin.models import Document, DocumentKind
from election_admin.pdf import chinese_date, chinese_font, qr_drawing, styles
from election_admin.services.documents import document_store


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    doc.build([Paragraph(text, styles()["title"]), qr_drawing("https://example.invalid/verify/ABC")])
    return buffer.getvalue()


@pytest.fixture
def notice(regions, township_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return document_store(
        actor=township_user,
        kind=DocumentKind.RESULT_NOTICE,
        region=regions["630121100201"],
        title="元树尔村第十二届村民委员会选举结果公告",
        content=_pdf("元树尔村选举结果公告"),
        filename="notice.pdf",
        content_type="application/pdf",
        data_version="result-v1",
        is_public=True,
        public_summary={"登记选民": "1,026 人", "参加投票": "930 人"},
    )


def test_pdf_embeds_the_chinese_font():
    font = chinese_font()
    assert font.is_embedded, "fonts-wqy-zenhei must be installed (scripts/test and .ci/run install it)"
    content = _pdf("溪竹村第十二届村民委员会选举结果公告")
    assert b"FontFile2" in content  # an embedded TrueType subset
    assert content.startswith(b"%PDF")


def test_chinese_date():
    import datetime

    assert chinese_date(datetime.date(2024, 6, 1)) == "二〇二四年六月一日"
    assert chinese_date(datetime.date(2026, 12, 25)) == "二〇二六年十二月二十五日"
    assert chinese_date(datetime.date(2026, 10, 10)) == "二〇二六年十月十日"


def test_store_records_hash_and_audit(notice):
    import hashlib

    assert notice.sha256 == hashlib.sha256(notice.file.read()).hexdigest()
    assert len(notice.short_code) == 10
    event = AuditEvent.objects.get(event_type="document.generated")
    assert event.after["sha256"] == notice.sha256


def test_same_data_version_is_made_once(notice, regions, township_user):
    again = document_store(
        actor=township_user,
        kind=DocumentKind.RESULT_NOTICE,
        region=regions["630121100201"],
        title="again",
        content=b"%PDF different bytes",
        filename="notice.pdf",
        content_type="application/pdf",
        data_version="result-v1",
    )
    assert again.pk == notice.pk
    assert Document.objects.count() == 1


def test_verify_page_needs_no_login(client, notice):
    response = client.get(reverse("document_verify", args=[notice.short_code.lower()]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "元树尔村第十二届村民委员会选举结果公告" in page
    assert "1,026 人" in page
    assert notice.sha256 in page


def test_verify_upload_compares_bytes(client, notice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    notice.file.open("rb")
    original = notice.file.read()
    url = reverse("document_verify", args=[notice.short_code])
    same = client.post(url, {"copy": SimpleUploadedFile("a.pdf", original)})
    assert "与原件完全一致" in same.content.decode()
    other = client.post(url, {"copy": SimpleUploadedFile("b.pdf", original + b" ")})
    assert "与原件不一致" in other.content.decode()


def test_non_public_documents_are_not_verifiable(client, notice):
    notice.is_public = False
    notice.save()
    assert client.get(reverse("document_verify", args=[notice.short_code])).status_code == 404


def test_download_is_scoped_and_audited(client, notice, township_user, neighbour_township_user):
    url = reverse("document_download", args=[notice.pk])
    client.force_login(neighbour_township_user)
    assert client.get(url).status_code == 404
    client.force_login(township_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="document.downloaded", actor=township_user).count() == 1
