"""Reading a scanned number or date again reads the value's own ink, at the size Tesseract reads
figures best.

What a user sees: a scanned invoice whose number and date read right the first time is booked,
not sent to a person because the second readings disagree with the first. A number printed in
large bold serif type ('5459/PA', 45 px high at 300 dpi) was read again as '3459/PA' at the sizes
the value was blown up to; a date in a ruled cell was read again with the cell's rule in it.
A digit the first read got wrong must still be caught (``test_ready_is_right``).
"""

from __future__ import annotations

import numpy as np

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import Scan, make_invoice, write_scan
from vision import read_invoice
from vision.reread import date_verdict, _number_verdict, readings


@needs_tesseract
def test_a_scanned_number_printed_large_in_bold_serif_reads_the_same_again_and_is_booked(tmp_path):
    inv = make_invoice(25002956, "it_cortesia")  # its number printed ~45 px high, turned a quarter
    result = read_invoice(write_scan(inv, Scan(300, rotate=90), tmp_path / "scan.png"), templates=[])
    assert result.value("invoice_number") == inv.truth["invoice_number"]
    assert result.status == "ready", result.reasons


@needs_tesseract
def test_a_date_in_a_ruled_cell_of_a_blurred_scan_reads_the_same_again(tmp_path):
    from datetime import date

    from vision.reader import read_document
    from vision.reread import page_image

    inv = make_invoice(25004341, "pt_atcud")  # its date in a ruled cell, 150 dpi, blurred
    path = write_scan(inv, Scan(150, skew=2.0, blur=0.8), tmp_path / "scan.png")
    doc = read_document(path, thorough=False, keep_images=True)
    page = doc.pages[0]
    printed = date.fromisoformat(inv.truth["date"])
    (word,) = [w for w in page.words if w.text.strip(":") == printed.strftime("%d/%m/%Y")]
    (texts,) = readings(page_image(path, page), [(word.x0, word.y0, word.x1, word.y1)])
    said = [date_verdict(printed, text, True, None) for text in texts]
    assert said.count("same") >= 2 and "other" not in said, texts


def _printed(text: str, width: int, at: tuple[int, int], font: str, size: int):
    """A white strip with ``text`` printed on it, and the box of its ink."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (width, 200), 255)
    ImageDraw.Draw(page).text(at, text, font=ImageFont.truetype(f"/usr/share/fonts/truetype/dejavu/{font}", size),
                              fill=0)
    image = np.array(page)
    ys, xs = np.nonzero(image < 128)
    return image, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)


@needs_tesseract
def test_a_number_read_again_is_not_taken_for_one_a_digit_off():
    image, box = _printed("4817/PA", 700, (120, 70), "DejaVuSerif-Bold.ttf", 44)
    (texts,) = readings(image, [box])
    assert sum(_number_verdict("4817/PA", text, None, None) == "same" for text in texts) >= 2, texts
    # had the page read a digit otherwise, the readings would not say it
    for wrong in ("4317/PA", "4847/PA", "1817/PA"):
        assert not [t for t in texts if _number_verdict(wrong, t, None, None) == "same"], (wrong, texts)


@needs_tesseract
def test_a_date_whose_label_and_value_the_scan_lost_is_read_beside_the_other_date():
    # a ruled row of two dates: the first read kept the due date and its heading only. The
    # vendor's template knows the issue date stands one cell left of the due date
    from datetime import date

    from PIL import Image, ImageDraw, ImageFont

    from vision.document import Document, Page, Word
    from vision.fields import Options
    from vision.learned import Anchor, LearnedField, Spot, read_date_beside_the_other

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    canvas = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(canvas)
    draw.text((140, 220), "03-02-2027", font=font, fill=0)
    draw.text((640, 220), "05-03-2027", font=font, fill=0)
    draw.text((640, 160), "Vencimento", font=font, fill=0)
    image = np.array(canvas)
    ink = lambda x0, x1: np.nonzero(image[200:270, x0:x1] < 128)  # noqa: E731
    ys, xs = ink(600, 1000)
    due_box = (600 + xs.min(), 200 + ys.min(), 600 + xs.max() + 1, 200 + ys.max() + 1)
    words = [Word("Vencimento", 640, 165, 820, 190, 0.9), Word("05-03-2027", *due_box, 0.9)]
    page = Page(1, 1600, 400, words, "ocr", image=image)
    doc = Document("row.png", [page], "image")
    # where the page that taught the vendor had them (another scale: fractions of the page)
    due_spot = Spot(1, (0.40, 0.55, 0.50, 0.60), Anchor("Vencimento", 0, 0, 2.0), "01-01-2027")
    date_spot = Spot(1, (0.0875, 0.55, 0.1875, 0.60), Anchor("Emissão", 0, 0, 2.0), "02-12-2026")
    due = LearnedField(date(2027, 3, 5), 0.9, "learned", 1, "05-03-2027", box=due_box)
    found = read_date_beside_the_other(doc, "date", date_spot, due_spot, due, Options(day_first=True))
    assert found is not None and found.value == date(2027, 2, 3), found
    # nothing printed where the vendor prints it: nothing is made up
    blank = image.copy()
    blank[200:270, 100:500] = 255
    page = Page(1, 1600, 400, words, "ocr", image=blank)
    lost = read_date_beside_the_other(Document("row.png", [page], "image"), "date", date_spot, due_spot, due,
                                      Options(day_first=True))
    assert lost is None



def _printed_page(size: tuple[int, int], texts: list[tuple[int, int, str]]) -> tuple[np.ndarray, list[tuple]]:
    """A grey page with ``texts`` printed at (x, y) in 30 px sans, and the box of each one's ink."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    canvas = Image.new("L", size, 255)
    draw = ImageDraw.Draw(canvas)
    for x, y, text in texts:
        draw.text((x, y), text, font=font, fill=0)
    image = np.array(canvas)
    boxes = []
    for x, y, text in texts:
        x1 = x + int(draw.textlength(text, font=font)) + 10
        ys, xs = np.nonzero(image[y - 10:y + 50, x - 10:x1] < 128)
        boxes.append((x - 10 + xs.min(), y - 10 + ys.min(), x - 10 + xs.max() + 1, y - 10 + ys.max() + 1))
    return image, boxes


def _totals_spots(boxes: list[tuple], width: int, height: int,
                  examples: tuple[str, str, str] = ("1060.00", "1000.00", "60.00")) -> dict:
    """Learned spots of total, net and tax where ``boxes`` stand, labelled 'Sum'; ``examples``:
    the amounts of the invoice a person approved (by default taxed at 6%, as the pages here)."""
    from vision.learned import Anchor, Spot

    return {name: Spot(1, (b[0] / width, b[1] / height, b[2] / width, b[3] / height), Anchor("Sum", 20.0, 22.0, 0.0),
                       example)
            for name, b, example in zip(("amount", "amount_untaxed", "vat"), boxes, examples)}


@needs_tesseract
def test_the_only_date_of_a_vendor_whose_line_the_scan_lost_is_read_where_it_stands_below_the_number():
    # a header block of one vendor: number on one line, its only date on the next. The first
    # read lost the whole date line (label and value); the number was read beside its label
    from datetime import date

    from vision.document import Document, Page, Word
    from vision.learned import Anchor, LearnedField, LearnedTemplate, Spot

    image, (label_box, number_box, _, _) = _printed_page(
        (1600, 600), [(900, 200, "Folio"), (1100, 200, "40261173"), (900, 260, "Issued"), (1100, 260, "14.09.2026")])
    h = number_box[3] - number_box[1]
    words = [Word("Folio", *label_box, 0.9), Word("40261173", *number_box, 0.9)]
    template = LearnedTemplate("Orbis Printing", names=["Orbis Printing"])
    # where the page that taught the vendor had them, at another scale (fractions of the page)
    template.spots["invoice_number"] = Spot(1, (0.6875, 0.345, 0.80, 0.385),
                                            Anchor("Folio", (number_box[0] - label_box[0]) / h,
                                                   (number_box[2] - label_box[2]) / h, 0.0), "40180592")
    template.spots["date"] = Spot(1, (0.6875, 0.445, 0.81, 0.485), Anchor("Issued", 5.0, 7.0, 0.0), "02.08.2026")
    template.options.day_first = True
    page = Page(1, 1600, 600, words, "ocr", image=image)
    fields, missed = template.read(Document("head.png", [page], "image"))
    assert fields["invoice_number"].value == "40261173"
    assert fields.get("date") is not None and fields["date"].value == date(2026, 9, 14), fields.get("date")
    assert isinstance(fields["date"], LearnedField) and "beside the invoice number" in fields["date"].detail
    # nothing printed where the vendor prints it: nothing is made up
    blank = image.copy()
    blank[250:310, 1050:1500] = 255
    fields, missed = template.read(Document("head.png", [Page(1, 1600, 600, words, "ocr", image=blank)], "image"))
    assert "date" not in fields


def _totals_row_at_six_percent(taught: tuple[str, str, str] | None = None) -> tuple:
    """The totals row of a vendor's invoice: net 3977.85 and tax 238.67 (6%) in two columns, the
    total 4216.52 below; the page, the boxes (total, net, tax), the vendor's template (taught on
    an invoice at 6%, or with the amounts ``taught``) and the total as read at its learned place."""
    from decimal import Decimal

    from vision.learned import LearnedField, LearnedTemplate

    image, boxes = _printed_page((1600, 800), [(1200, 500, "4216.52"), (800, 400, "3977.85"), (1200, 400, "238.67")])
    template = LearnedTemplate("Orbis Printing", names=["Orbis Printing"])
    template.spots.update(_totals_spots(boxes, 1600, 800, *([taught] if taught else [])))
    return image, boxes, template, LearnedField(Decimal("4216.52"), 0.9, "learned", 1, "4216.52", box=boxes[0])


@needs_tesseract
def test_a_tax_amount_the_scan_lost_in_its_ruled_row_is_read_from_its_ink_when_the_sums_then_hold():
    # the totals row of a vendor's invoice: net and tax in two columns, the total below. The
    # first read kept the net and the total but nothing of the tax, and the learned labels
    # were lost, so the net and the tax were both taken from the total
    from decimal import Decimal

    from vision.document import Document, Page, Word

    image, (total_box, net_box, _), template, total = _totals_row_at_six_percent()
    words = [Word("3977.85", *net_box, 0.9), Word("4216.52", *total_box, 0.9)]
    doc = Document("totals.png", [Page(1, 1600, 800, words, "ocr", image=image)], "image")
    fields = {"amount": total, "amount_untaxed": total, "vat": total}
    check = template.place_amounts(doc, fields, [{"amount": Decimal("3977.85")}])
    assert check is not None and check["ok"], check
    assert (fields["amount_untaxed"].value, fields["vat"].value) == (Decimal("3977.85"), Decimal("238.67"))
    # a tax the sums do not confirm (the lines say another net) is not booked from its ink
    fields = {"amount": total, "amount_untaxed": total, "vat": total}
    assert template.place_amounts(doc, fields, [{"amount": Decimal("3977.58")}]) is None
    assert fields["vat"].value == Decimal("4216.52")


@needs_tesseract
def test_a_net_amount_whose_first_digit_the_scan_lost_is_read_again_when_the_sums_disagree():
    # '13517.80' printed, the first read kept '3517.80' (its 1 lost against a rule): net + tax
    # fell short of the total and the lines summed to more than the net
    from decimal import Decimal

    from vision.document import Document, Page, Word
    from vision.learned import LearnedField, LearnedTemplate

    image, boxes = _printed_page((1600, 800), [(1200, 500, "14328.87"), (700, 400, "13517.80"), (1200, 400, "811.07")])
    total_box, net_box, tax_box = boxes
    cut = (net_box[0] + 20, net_box[1], net_box[2], net_box[3])  # the box of what was read
    page = Page(1, 1600, 800, [Word("3517.80", *cut, 0.9), Word("811.07", *tax_box, 0.9),
                               Word("14328.87", *total_box, 0.9)], "ocr", image=image)
    doc = Document("totals.png", [page], "image")
    template = LearnedTemplate("Orbis Printing", names=["Orbis Printing"])
    template.spots.update(_totals_spots(boxes, 1600, 800))

    def read() -> dict:
        return {"amount": LearnedField(Decimal("14328.87"), 0.9, "learned", 1, "14328.87", box=total_box),
                "amount_untaxed": LearnedField(Decimal("3517.80"), 0.9, "learned", 1, "3517.80", box=cut),
                "vat": LearnedField(Decimal("811.07"), 0.9, "learned", 1, "811.07", box=tax_box)}

    fields = read()
    check = template.place_amounts(doc, fields, [{"amount": Decimal("13517.80")}])
    assert check is not None and check["ok"], check
    assert fields["amount_untaxed"].value == Decimal("13517.80")
    # the lines say another net: the reading again is not taken
    fields = read()
    assert template.place_amounts(doc, fields, [{"amount": Decimal("13571.80")}]) is None
    assert fields["amount_untaxed"].value == Decimal("3517.80")


@needs_tesseract
def test_a_tax_read_from_its_ink_at_another_rate_than_the_vendor_bills_goes_to_a_person():
    # the same totals row as above (net 3977.85, tax 238.67: 6%), for a vendor whose approved
    # invoice was taxed at 20%: a figure read from the ink where the tax stands that makes both
    # sums hold at a rate the vendor never billed, and no page rate saying so, is not booked
    from decimal import Decimal

    from vision.document import Document, Page, Word

    image, (total_box, net_box, _), template, total = _totals_row_at_six_percent(("1200.00", "1000.00", "200.00"))

    def placed(words: list) -> dict:
        fields = {"amount": total, "amount_untaxed": total, "vat": total}
        doc = Document("totals.png", [Page(1, 1600, 800, words, "ocr", image=image)], "image")
        return fields if template.place_amounts(doc, fields, [{"amount": Decimal("3977.85")}]) else {}

    words = [Word("3977.85", *net_box, 0.9), Word("4216.52", *total_box, 0.9)]
    assert placed(words) == {}
    # the page prints the rate it taxes at, beside the line: the vendor bills at more than one
    rate = [Word("6%", 600, 300, 640, 330, 0.9)]
    fields = placed(words + rate)
    assert fields and fields["vat"].value == Decimal("238.67"), fields


@needs_tesseract
def test_a_tax_whose_decimals_the_scan_lost_is_taken_from_its_ink_where_a_reading_says_what_the_sums_give():
    # the tax's cents printed faintly: the first read kept '238' of 238.67, its box ending at
    # the point, and reading a little wider than that box did not reach the cents. Where the
    # vendor prints the tax beside the net, a reading of the ink says 238.67, the figure that
    # total - net gives it, and the lines add up to the net
    from decimal import Decimal

    from vision.document import Document, Page, Word
    from vision.learned import LearnedField

    image, (total_box, net_box, tax_box), template, total = _totals_row_at_six_percent()
    cut = (tax_box[0], tax_box[1], tax_box[0] + (tax_box[2] - tax_box[0]) // 3, tax_box[3])
    words = [Word("3977.85", *net_box, 0.9), Word("4216.52", *total_box, 0.9), Word("2", *cut, 0.4)]
    doc = Document("totals.png", [Page(1, 1600, 800, words, "ocr", image=image)], "image")

    def read() -> dict:
        return {"amount": total, "amount_untaxed": LearnedField(Decimal("3977.85"), 0.9, "learned", 1, "3977.85",
                                                                box=net_box),
                "vat": LearnedField(Decimal("2"), 0.4, "learned", 1, "2", box=cut)}

    fields = read()
    check = template.place_amounts(doc, fields, [{"amount": Decimal("3977.85")}])
    assert check is not None and check["ok"], check
    assert fields["vat"].value == Decimal("238.67")
    # the lines say another net: total - net is not what the ink says, and a person looks
    fields = read()
    assert template.place_amounts(doc, fields, [{"amount": Decimal("3977.58")}]) is None
    assert fields["vat"].value == Decimal("2")
