"""The result notice's verification block (QR code beside the code and the address): both on one page, also
when a long winners table pushes the block past the end of the first page."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from ballots.pdf import ResultFigures, Winner, build_result_notice
from voters.pdf import NoticeContext, verify_url


@pytest.mark.parametrize("winners", [5, 16, 17, 18, 30])
def test_qr_code_and_verification_text_on_the_same_page(winners):
    context = NoticeContext(
        village="元树尔村民委员会",
        village_short="元树尔村",
        title="元树尔村村民委员会选举结果公告",
        election_label="村民委员会",
        election_day=date(2026, 5, 1),
        published_on=date(2026, 5, 2),
        short_code="QRCK234567",
    )
    figures = ResultFigures(
        registered=1763,
        voted=1428,
        issued=1428,
        returned=1428,
        valid=1425,
        invalid=3,
        is_valid=True,
        comparator_text="参加投票人数",
        unfilled=0,
    )
    rows = [
        Winner(post="委员", name=f"李芳{n}", gender="女", votes=1000, percent="70.0%") for n in range(winners)
    ]
    data = build_result_notice(context, "villagers_committee", figures, rows, people_word="村民")
    pages = PdfReader(io.BytesIO(data)).pages
    with_code = [page for page in pages if "核验码：QRCK234567" in page.extract_text()]
    assert len(with_code) == 1
    page = with_code[0]
    assert verify_url("QRCK234567") in page.extract_text().replace("\n", "")
    images = [
        x for x in page["/Resources"].get("/XObject", {}).values() if x.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1  # the QR code, drawn on the page that carries its text
    assert all("/XObject" not in p["/Resources"] for p in pages if p is not page)
    assert any("二〇二六年五月二日" in p.extract_text() for p in pages)
