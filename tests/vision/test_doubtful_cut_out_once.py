"""A page's doubtful segments are cut out once: the test for CJK script left unread looks at
them, and the second look reads the same segments again; grouping the page's lines twice
for the same answer was CPU spent twice on every Latin page."""

from PIL import Image, ImageDraw, ImageFont

import vision.reader as reader
from vision.document import Word
from vision.reader import PageTask, read_task


def _a_short_bill(path) -> None:
    page = Image.new("L", (1240, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 34)
    for k, line in enumerate(["Corner Bakery", "Rye loaf 4.20", "Two pretzels 2.60", "Due 6.80", "Thank you"]):
        draw.text((120, 120 + 110 * k), line, font=font, fill=0)
    page.save(path)


def test_doubtful_segments_are_cut_out_once_per_page(tmp_path, monkeypatch):
    scan = tmp_path / "bill.png"
    _a_short_bill(scan)
    # Tesseract stood in for: the page's words, 'pretzels' read doubtfully; the re-read finds nothing
    words = [Word(text, x0, y0, x0 + 30 * len(text), y0 + 36, conf, 1) for text, x0, y0, conf in [
        ("Corner", 120, 120, 0.95), ("Bakery", 330, 120, 0.94), ("Rye", 120, 230, 0.93), ("loaf", 240, 230, 0.92),
        ("4.20", 380, 230, 0.96), ("Two", 120, 340, 0.91), ("pretze1s", 250, 340, 0.42), ("2.60", 500, 340, 0.95),
        ("Due", 120, 450, 0.97), ("6.80", 250, 450, 0.96), ("Thank", 120, 560, 0.95), ("you", 300, 560, 0.93)]]
    monkeypatch.setattr(reader, "_tesseract_batch",
                        lambda images, languages, psm, pages: [list(words) if psm == 3 else [] for _ in images])
    cut = []
    original = reader._doubtful_pieces
    monkeypatch.setattr(reader, "_doubtful_pieces", lambda *a: cut.append(1) or original(*a))
    page = read_task(PageTask(str(scan), "image", 0, 1, languages="eng+chi_sim"))
    assert any(w.text == "Bakery" for w in page.words)
    assert len(cut) == 1
