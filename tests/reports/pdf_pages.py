"""Read a rendered PDF page by page with poppler: words with their boxes, page sizes, bookmarks."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word] = field(default_factory=list)

    def text(self) -> str:
        return "".join(w.text for w in self.words)

    def below(self, y: float) -> list[Word]:
        """Words starting below ``y`` points from the top (the footer area)."""
        return [w for w in self.words if w.y0 > y]

    def between(self, top: float, bottom: float) -> list[Word]:
        return [w for w in self.words if top <= w.y0 and w.y1 <= bottom]


def pages(path: Path) -> list[Page]:
    """Every page with its words (NFKC, so Kangxi radicals read as the characters typed)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    result = []
    for m in _PAGE.finditer(out):
        page = Page(float(m.group(1)), float(m.group(2)))
        for w in _WORD.finditer(m.group(3)):
            text = unicodedata.normalize("NFKC", w.group(5).replace("&amp;", "&").replace("&lt;", "<"))
            page.words.append(Word(text, *(float(w.group(i)) for i in range(1, 5))))
        result.append(page)
    return result


def bookmarks(path: Path) -> list[tuple[str, int]]:
    """(title, page) of every bookmark, in order (nested ones included)."""
    out = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", "-f", "1", "-l", "1", str(path)], capture_output=True, text=True
    ).stdout
    return [
        (unicodedata.normalize("NFKC", m.group(2)), int(m.group(1)))
        for m in re.finditer(r'<item page="(\d+)">(.*?)</item>', out)
    ]


def page_number(page: Page) -> tuple[str, float, float] | None:
    """The "— n —" under the text block: (digits, left x, right x), or None when the page has none."""
    words = [w for w in page.below(page.height - 35 / 25.4 * 72) if w.text.strip()]
    text = "".join(w.text for w in words)
    m = re.fullmatch(r"—(\d+)—", text.replace(" ", ""))
    if not m:
        return None
    return m.group(1), min(w.x0 for w in words), max(w.x1 for w in words)


def pages_with_images(path: Path) -> set[int]:
    """1-based numbers of the pages that show a picture (charts are images, their text does not extract)."""
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return {int(line.split()[0]) for line in out.splitlines()[2:] if line.split()}
