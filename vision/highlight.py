"""Where each field was read: the boxes of its words on the page, and the page as a picture to
draw them on (the review page shows both, so a person checks a value against the print).

    from vision.highlight import field_boxes, render_page
    result = read_invoice("scan.pdf")
    field_boxes(result.fields, result.words)     # {"amount": [{"page": 2, "box": [x0, y0, x1, y1]}], ...}
    png = render_page("scan.pdf", 2, width=1200)   # the page as the reader saw it, PNG bytes

Boxes are in the page's own units (PDF points for a text layer, pixels of the prepared scan for
OCR), with the page's ``width`` and ``height`` from ``Page.summary()`` giving the frame: scale
the picture to that frame and the boxes fall on the words. A scan the reader turned is rendered
turned the same way (``rotation``, counter-clockwise); the small deskew angle is not redone.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from vision.document import Word, group_lines

def _squash(text: str) -> str:
    return "".join(str(text).split()).casefold()


def _runs(words: list[Word], target: str) -> list[list[Word]]:
    """Runs of consecutive words of one line whose text, spaces aside, is ``target`` (or one word
    that holds it, as "EUR34,73" holds "34,73")."""
    found = []
    for i in range(len(words)):
        joined, matched = "", False
        for j in range(i, len(words)):
            joined += _squash(words[j].text)
            if joined == target:
                found.append(words[i:j + 1])
                matched = True
                break
            if not target.startswith(joined):
                break
        if not matched and len(target) >= 2 and target in _squash(words[i].text):
            found.append([words[i]])
    return found


def field_boxes(fields: dict[str, Any], words: list[Word]) -> dict[str, list[dict]]:
    """The word boxes each field was read from: the printed text of the field (``Field.text``)
    found on its page, the occurrence nearest to where the reader took it when it knows."""
    by_page: dict[int, list[list[Word]]] = {}
    out: dict[str, list[dict]] = {}
    for name, item in fields.items():
        text, page = getattr(item, "text", ""), getattr(item, "page", None)
        target = _squash(text or "")
        if not target or page is None:
            continue
        if page not in by_page:
            by_page[page] = [[w for s in line.segments for w in s.words]
                             for line in group_lines([w for w in words if w.page == page], page)]
        runs = [run for line in by_page[page] for run in _runs(line, target)]
        if not runs:
            continue
        where = getattr(item, "where", None)
        if where and len(where) == 2 and where[0] == page:
            runs.sort(key=lambda run: abs(min(w.y0 for w in run) - where[1]))
        best = runs[0]
        out[name] = [{"page": page, "box": [round(min(w.x0 for w in best), 1), round(min(w.y0 for w in best), 1),
                                            round(max(w.x1 for w in best), 1), round(max(w.y1 for w in best), 1)]}]
    return out


def page_count(path: str | Path) -> int:
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    from PIL import Image

    with Image.open(path) as image:
        return getattr(image, "n_frames", 1)


def render_page(path: str | Path, number: int, *, rotation: int = 0, width: int = 1200) -> bytes:
    """Page ``number`` (from 1) of a PDF or an image file as PNG bytes, about ``width`` pixels wide,
    turned ``rotation`` degrees counter-clockwise as the reader turned it. Raises ValueError for a
    page the file does not have or a picture too large to decode safely."""
    from PIL import Image

    path = Path(path)
    if number < 1:
        raise ValueError(f"no page {number}")
    if path.suffix.lower() == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            if number > len(pdf):
                raise ValueError(f"{path.name} has {len(pdf)} page(s), not {number}")
            page = pdf[number - 1]
            scale = min(width / max(page.get_width(), 1), 4.0)
            image = page.render(scale=scale).to_pil()
        finally:
            pdf.close()
    else:
        # Pillow refuses a picture whose header claims a decompression bomb's size (MAX_IMAGE_PIXELS)
        with Image.open(path) as source:
            frames = getattr(source, "n_frames", 1)
            if number > frames:
                raise ValueError(f"{path.name} has {frames} page(s), not {number}")
            source.seek(number - 1)
            image = source.convert("RGB")
        if image.width > width:
            image = image.resize((width, max(round(image.height * width / image.width), 1)))
    if rotation % 360:
        image = image.rotate(rotation % 360, expand=True)  # PIL turns counter-clockwise too
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
