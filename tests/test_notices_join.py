"""Joining stored notices into one PDF without parsing them (``ballots.pdf.join_pdfs``): every page present
and in order, each page as stored (same text, its own embedded font subset), a valid file for a strict
reader; a file not laid out as reportlab writes it goes to pypdf instead, with the same pages."""

import io
from datetime import date

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ballots.pdf import (
    CertificatePage,
    PdfLayoutError,
    ResultFigures,
    Winner,
    build_certificates,
    build_result_notice,
    join_pdfs,
)
from ballots.services.area_documents import concatenate_pdfs, concatenate_pdfs_parsed
from voters.pdf import NoticeContext


def notice(village: str, short_code: str, registered: int) -> bytes:
    context = NoticeContext(
        village=f"{village}村民委员会",
        village_short=village,
        title=f"{village}村民委员会选举结果公告",
        election_label="村民委员会",
        election_day=date(2026, 5, 1),
        published_on=date(2026, 5, 2),
        short_code=short_code,
    )
    figures = ResultFigures(
        registered=registered,
        voted=registered - 100,
        issued=registered - 100,
        returned=registered - 100,
        valid=registered - 103,
        invalid=3,
        is_valid=True,
        comparator_text="参加投票人数",
        unfilled=0,
    )
    winners = [
        Winner(post="主任", name="张明", gender="男", votes=registered - 150, percent="80.0%"),
        Winner(post="委员", name="李芳", gender="女", votes=registered - 180, percent="70.0%"),
    ]
    return build_result_notice(context, "villagers_committee", figures, winners, people_word="村民")


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def notices() -> list[bytes]:
    certificates = build_certificates(
        [CertificatePage(name=name, text=f"{name}同志当选为元树尔村村民委员会委员。") for name in "甲乙丙"],
        issuer="大通县民政局",
        issued_on=date(2026, 5, 3),
        short_code="CERT234567",
    )
    return [
        notice("元树尔村", "AAAA234567", 1200),
        certificates,  # three pages
        notice("大煤洞村", "BBBB234567", 800),
    ]


def test_every_page_in_order_as_stored(notices):
    joined = join_pdfs(notices)
    reader = PdfReader(io.BytesIO(joined), strict=True)
    expected = [text for data in notices for text in page_texts(data)]
    assert len(reader.pages) == 5
    assert [page.extract_text() for page in reader.pages] == expected
    assert "元树尔村" in expected[0] and "AAAA234567" in expected[0] and "大煤洞村" in expected[-1]
    assert "1,200" in expected[0] and "800" in expected[-1]
    # each page keeps its own embedded Chinese font subset (rendered as stored, not by the reader's font)
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        embedded = [f for f in fonts.values() if "/FontDescriptor" in f.get_object()]
        assert embedded and all("/FontFile2" in f["/FontDescriptor"] for f in embedded)
    # the same pages as pypdf's page-by-page copy
    assert page_texts(concatenate_pdfs_parsed(notices)) == expected


def test_the_batch_route_uses_the_join(notices):
    assert concatenate_pdfs(notices) == join_pdfs(notices)


def test_strings_and_stream_data_left_as_they_are():
    """A link whose address reads like a reference, and content whose text does: neither is renumbered."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)  # the content stream in plain text
    page.drawString(72, 720, "see 3 0 R and (4 0 R)")
    page.linkURL("https://example.org/a(3 0 R)", (72, 700, 300, 720))
    page.save()
    data = buffer.getvalue()
    assert b"(see 3 0 R and \\(4 0 R\\)) Tj" in data
    joined = join_pdfs([data, data])
    reader = PdfReader(io.BytesIO(joined), strict=True)
    assert [p.extract_text().strip() for p in reader.pages] == ["see 3 0 R and (4 0 R)"] * 2
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p["/Annots"]]
    assert uris == ["https://example.org/a(3 0 R)"] * 2


def test_another_layout_goes_to_pypdf(notices):
    """An incrementally updated file (a /Prev in its trailer) is not copied object by object."""
    writer = PdfWriter(io.BytesIO(notices[0]), incremental=True)
    writer.add_metadata({"/Title": "updated"})
    buffer = io.BytesIO()
    writer.write(buffer)
    updated = buffer.getvalue()
    with pytest.raises(PdfLayoutError):
        join_pdfs([updated])
    with pytest.raises(PdfLayoutError):
        join_pdfs([b"not a pdf"])
    joined = concatenate_pdfs([updated, notices[2]])
    assert page_texts(joined) == page_texts(notices[0]) + page_texts(notices[2])
