"""What a scan slipped on at a vendor's learned spots (a date garbled or faint, a tax's decimal mark lost): what is learned, what is booked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from vision.document import Document, Page, Word
from vision.learned import Anchor, LearnedField, LearnedTemplate, Spot, _refuted_by_terms, faint_dates, learn


def _cells_scan(due: list[tuple[str, int, float]]) -> Document:
    """A scanned page of a Dutch joinery's invoice whose dates stand in headed cells, the due
    date's under 'Vervaldatum'; ``due``: the words OCR read there (text, x, confidence)."""
    rows = [(90, [(90, "Schrijnwerkerij"), (520, "Verhoeven")]),
            (300, [(1300, "Datum"), (1800, "Vervaldatum")]),
            (360, [(1300, "04"), (1370, "maart"), (1510, "2027")]),
            (1500, [(1100, "Totaal"), (1700, "€2.318,75")])]
    words = [Word(text, x, y, x + 24 * len(text), y + 32, 0.95) for y, pieces in rows for x, text in pieces]
    words += [Word(text, x, 360, x + 24 * len(text), 392, conf) for text, x, conf in due]
    return Document("factuur.png", [Page(1, 2480, 3508, words, "ocr", dpi=300)], "image")


def _approved(first: Document) -> tuple[dict, dict]:
    from vision import analyse

    before = {k: f.value for k, f in analyse(first, templates=[]).fields.items()}
    confirmed = {**before, "issuer": "Schrijnwerkerij Verhoeven", "date": date(2027, 3, 4),
                 "due_date": date(2027, 4, 3), "amount": Decimal("2318.75"), "currency": "EUR"}
    return before, confirmed


def test_a_due_date_read_with_doubted_garble_and_split_at_a_gap_is_still_learned():
    # a skewed scan read the cell's rule as letters OCR itself gave no confidence to, and cut the
    # line at a gap before the year: the approval learned no place for the due date, and the
    # vendor's later invoices took the invoice date for it
    first = _cells_scan([("03", 1800, 0.95), ("april", 1870, 0.95), ("lmnrtvw", 2000, 0.02), ("2027", 2300, 0.95)])
    before, confirmed = _approved(first)
    assert before.get("due_date") is None
    template, skipped = learn(first, before, confirmed)
    assert "due_date" not in skipped and template.spots["due_date"].anchor.text == "Vervaldatum"
    assert template.payment_terms() == (30,)


def test_letters_read_with_confidence_between_a_dates_parts_are_not_garble():
    # the same letters read as a word OCR was sure of may be another field's: nothing is learned
    first = _cells_scan([("03", 1800, 0.95), ("april", 1870, 0.95), ("lmnrtvw", 2000, 0.9), ("2027", 2300, 0.95)])
    before, confirmed = _approved(first)
    assert "due_date" in learn(first, before, confirmed)[1]


def _dated_template(terms: int = 21) -> LearnedTemplate:
    template = LearnedTemplate("Vale Joinery Ltd")
    template.spots["date"] = Spot(1, (0.6, 0.1, 0.7, 0.12), Anchor("Date", 0.0, 4.0, 2.4), "12/01/2027")
    template.spots["due_date"] = Spot(1, (0.75, 0.1, 0.85, 0.12), Anchor("Due", 0.0, 4.0, 2.4), "02/02/2027")
    template.terms = [terms]
    return template


def _date_read(value: date, text: str, confidence: float) -> LearnedField:
    return LearnedField(value, confidence, "learned", 1, text, box=(100, 100, 300, 130))


def test_a_faint_date_that_keeps_the_vendors_terms_with_the_other_date_is_read_again():
    fields = {"date": _date_read(date(2027, 5, 9), "09/05/2027", 0.07),
              "due_date": _date_read(date(2027, 5, 30), "30/05/2027", 0.93)}
    assert faint_dates(fields, _dated_template(), 0.6) == ["date"]


def test_a_faint_date_with_nothing_to_keep_its_terms_stays_with_a_person():
    issued, due = _date_read(date(2027, 5, 9), "09/05/2027", 0.07), _date_read(date(2027, 5, 30), "30/05/2027", 0.93)
    assert faint_dates({"date": issued, "due_date": due}, _dated_template(terms=30), 0.6) == []  # terms broken
    assert faint_dates({"date": issued}, _dated_template(), 0.6) == []  # no other date
    faint_due = _date_read(date(2027, 5, 30), "30/05/2027", 0.2)
    assert faint_dates({"date": issued, "due_date": faint_due}, _dated_template(), 0.6) == []  # both faint
    # not whole in the vendor's form: a figure or a mark the faint box may have cut off
    for text in ("9/05/2027", "09/05/20", "09/05/2027 Ref"):
        cut = _date_read(date(2027, 5, 9), text, 0.07)
        assert faint_dates({"date": cut, "due_date": due}, _dated_template(), 0.6) == [], text


def _one_dated_template() -> LearnedTemplate:
    # a fapiao prints its issue date alone: the approval taught no due date
    template = LearnedTemplate("华东精密五金有限公司")
    template.spots["date"] = Spot(1, (0.7, 0.05, 0.9, 0.07), Anchor("开票日期", 0.0, 5.0, 2.4), "2027 年 03 月 14 日")
    return template


def test_the_one_date_a_vendor_prints_read_faintly_in_its_form_is_read_again_not_sent_to_a_person():
    # the year's figures came at 0.47 beside 年 read sure: nothing else on the page dates it
    lone = _date_read(date(2027, 4, 2), "2027 年 04 月 02 日", 0.47)
    assert faint_dates({"date": lone}, _one_dated_template(), 0.6) == ["date"]


def test_the_one_date_a_vendor_prints_stays_with_a_person_when_far_too_faint_or_not_whole():
    template = _one_dated_template()
    assert faint_dates({"date": _date_read(date(2027, 4, 2), "2027 年 04 月 02 日", 0.12)}, template, 0.6) == []
    for text in ("2027 年 04 月 2", "027 年 04 月 02 日", "2027 年 04 月 02 日 08"):
        assert faint_dates({"date": _date_read(date(2027, 4, 2), text, 0.47)}, template, 0.6) == [], text
    # a due date read where the vendor never printed one: not the lone date the rule knows
    due = _date_read(date(2027, 5, 2), "2027 年 05 月 02 日", 0.9)
    assert faint_dates({"date": _date_read(date(2027, 4, 2), "2027 年 04 月 02 日", 0.47), "due_date": due},
                       template, 0.6) == []


def _till_page(words: list[tuple[str, int, int]]) -> Document:
    return Document("till.png", [Page(1, 1200, 2400, [Word(t, x, y, x + 20 * len(t), y + 28, 0.9)
                                                      for t, x, y in words], "ocr", dpi=300)], "image")


def _till_template() -> LearnedTemplate:
    template = LearnedTemplate("Corner Bakehouse")
    for name, example in (("amount", "60.00"), ("amount_untaxed", "50.00"), ("vat", "10.00")):
        template.spots[name] = Spot(1, (0.5, 0.5, 0.6, 0.52), Anchor("Summary", 0.0, 3.0, 1.6), example)
    return template


def _amount_read(value: str, text: str, confidence: float, y: int) -> LearnedField:
    return LearnedField(Decimal(value), confidence, "learned", 1, text, box=(600, y, 700, y + 28))


def test_a_tax_whose_decimal_mark_the_scan_lost_is_the_figure_the_page_prints_where_net_and_total_give_it():
    # no line items read to second the sums: the first reading's own figures, the mark lost, do
    doc = _till_page([("TOTAL", 100, 900), ("58.20", 600, 900), ("VAT", 100, 1000), ("20%", 200, 1000),
                       ("9.70", 600, 1000), ("Net", 100, 1200), ("VAT", 400, 1200),
                       ("48.50", 100, 1240), ("970", 400, 1240)])
    fields = {"amount": _amount_read("58.20", "58.20", 0.92, 900),
              "amount_untaxed": _amount_read("48.50", "48.50", 0.9, 1240),
              "vat": _amount_read("970", "970", 0.45, 1240)}
    check = _till_template()._amount_printed_to_close_the_sums(doc, fields, [])
    assert check is not None and check["ok"] and fields["vat"].value == Decimal("9.70")
    assert fields["vat"].confidence == 0.9


def test_a_tax_read_with_other_figures_is_mended_without_lines_only_at_the_vendors_rate_to_the_cent():
    doc = _till_page([("TOTAL", 100, 900), ("58.20", 600, 900), ("9.70", 600, 1000), ("7.70", 600, 1100)])
    for read in ("907", "97.0", "9 70"):
        # the total and the net read, the page printing what they leave for the tax, 20% of the
        # net to the cent as the vendor charges: the garbled tax is that figure
        fields = {"amount": _amount_read("58.20", "58.20", 0.92, 900),
                  "amount_untaxed": _amount_read("48.50", "48.50", 0.9, 1240),
                  "vat": _amount_read("907" if read == "907" else "97.0", read, 0.45, 1240)}
        check = _till_template()._amount_printed_to_close_the_sums(doc, fields, [])
        assert check is not None and fields["vat"].value == Decimal("9.70"), read
        # a vendor charging 19% is not charged 9.70 on 48.50: no mending without lines then
        at_19 = _till_template()
        at_19.spots["vat"] = replace(at_19.spots["vat"], example="9.50")
        fields["vat"] = _amount_read("907" if read == "907" else "97.0", read, 0.45, 1240)
        assert at_19._amount_printed_to_close_the_sums(doc, fields, []) is None, read
    # the figures kept but the net misread: the tax it gives is not the vendor's 20%
    fields = {"amount": _amount_read("58.20", "58.20", 0.92, 900),
              "amount_untaxed": _amount_read("50.50", "50.50", 0.9, 1240),
              "vat": _amount_read("770", "770", 0.45, 1240)}
    assert _till_template()._amount_printed_to_close_the_sums(doc, fields, []) is None


def test_a_reading_again_that_breaks_the_vendors_payment_terms_does_not_overrule_the_dates_that_keep_them():
    # the due date 14.06.27 read first and twice again, once '19.06.27' (a 4 read as a 9): the
    # invoice date read on its own puts the due date 21 days on, as the vendor always does
    fields = {"date": _date_read(date(2027, 5, 24), "24.05.27", 0.93),
              "due_date": _date_read(date(2027, 6, 14), "14.06.27", 0.9)}
    assert _refuted_by_terms("due_date", "19.06.27", fields, (21,), True)
    assert _refuted_by_terms("date", "29.05.27", fields, (21,), True)


def test_a_reading_again_the_terms_cannot_refute_still_doubts_the_date():
    fields = {"date": _date_read(date(2027, 5, 24), "24.05.27", 0.93),
              "due_date": _date_read(date(2027, 6, 14), "14.06.27", 0.9)}
    assert not _refuted_by_terms("due_date", "19.06.27", fields, (), True)  # no terms taught
    assert not _refuted_by_terms("due_date", "19.06.27", fields, (26,), True)  # the date read breaks them
    assert not _refuted_by_terms("due_date", "19.06.27", fields, (21, 26), True)  # the reading keeps one
    assert not _refuted_by_terms("due_date", "19:06", fields, (21,), True)  # says no date
    assert not _refuted_by_terms("due_date", "19.06.27", {"due_date": fields["due_date"]}, (21,), True)
