"""PDF building blocks shared by every notice: an embedded Chinese font, A4 styles, and the QR code
that lets anyone check a printed notice against the stored original."""

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

# Debian's packages (installed by scripts/run, scripts/test and .ci/run): fonts-wqy-zenhei, fonts-arphic-uming.
EMBEDDED_FONT_CANDIDATES = [
    ("WenQuanYiZenHei", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    ("ARPLUMing", Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
]
FALLBACK_CID_FONT = "STSong-Light"
FALLBACK_WARNING = "未找到可嵌入的中文字体（fonts-wqy-zenhei），本文件使用阅读器自带字体，打印效果可能不同。"


@dataclass(frozen=True)
class PdfFont:
    name: str
    is_embedded: bool
    warning: str = ""


@lru_cache(maxsize=1)
def chinese_font() -> PdfFont:
    """Register the first embeddable CJK font found; otherwise reportlab's STSong-Light with a warning."""
    for name, path, index in EMBEDDED_FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
            return PdfFont(name, True)
    logger.warning("No embeddable Chinese font found; falling back to %s", FALLBACK_CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    return PdfFont(FALLBACK_CID_FONT, False, FALLBACK_WARNING)


def styles() -> dict[str, ParagraphStyle]:
    font = chinese_font().name
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=12,
        leading=20,
        firstLineIndent=24,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    return {
        "title": ParagraphStyle(
            "title", fontName=font, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "subtitle", fontName=font, fontSize=11, leading=16, alignment=TA_CENTER, spaceAfter=10
        ),
        "body": body,
        "plain": ParagraphStyle("plain", parent=body, firstLineIndent=0),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=12, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=10.5, leading=14, wordWrap="CJK"),
        "cell_center": ParagraphStyle(
            "cell_center", fontName=font, fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        "signature": ParagraphStyle("signature", fontName=font, fontSize=12, leading=22, alignment=TA_RIGHT),
        "warning": ParagraphStyle("warning", fontName=font, fontSize=9, leading=12, textColor=colors.red),
    }


def qr_drawing(text: str, size: float = 26 * mm) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def chinese_date(day) -> str:
    """二〇二六年五月一日 — the customary way a notice is dated."""
    digits = "〇一二三四五六七八九"
    year = "".join(digits[int(c)] for c in str(day.year))

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        if n == 10:
            return "十"
        if n < 20:
            return "十" + digits[n - 10]
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")

    return f"{year}年{small(day.month)}月{small(day.day)}日"
