"""A date the teaching scan garbled past every date pattern is learned where its ink says it."""

from datetime import date
from decimal import Decimal

from tests.vision.test_learning import _drawn_page
from vision.learned import learn

CONFIRMED = {"issuer": "Fenwick Saddlery Ltd", "invoice_number": "FS-3318", "date": date(2027, 3, 9),
             "amount": Decimal("412.80"), "currency": "GBP"}


def _saddlery(dated_as_read, delivered_as_read=None, label=(("Dated", "Dated"),)):
    """A saddler's page printing '9 Mar 2027' beside ``label`` ((word, as read) each; 'Dated');
    ``dated_as_read``: what OCR made of the date (None: lost). ``delivered_as_read``: a second
    line printing the same day, read so."""
    rows = [(200, 150, "Fenwick", "Fenwick"), (420, 150, "Saddlery", "Saddlery"), (680, 150, "Ltd", "Ltd"),
            (1500, 300, "Ref", "Ref"), (1800, 300, "FS-3318", "FS-3318"),
            *[(x, 360, printed, read) for x, (printed, read) in zip((1500, 1640), label)],
            (1800, 360, "9", dated_as_read[0]),
            (1833, 360, "Mar", dated_as_read[1]), (1908, 360, "2027", dated_as_read[2]),
            (1500, 900, "Balance", "Balance"), (1800, 900, "£412.80", "£412.80")]
    if delivered_as_read is not None:
        rows += [(1500, 420, "Sent", "Sent"), (1800, 420, "9", delivered_as_read[0]),
                 (1833, 420, "Mar", delivered_as_read[1]), (1908, 420, "2027", delivered_as_read[2])]
    return _drawn_page([r for r in rows if r[3] is not None] + [(x, y, t, None) for x, y, t, r in rows if r is None],
                       "saddlery.png")


def test_a_date_whose_year_the_teaching_scan_lost_is_learned_where_its_ink_reads_it():
    # '9 Mar' with the year's ink unread: no date pattern reads it, and before, the vendor's
    # spot for its date was never learned, so every later scan that garbled it went to a person
    page = _saddlery(("9", "Mar", None))
    template, skipped = learn(page, {"date": None}, CONFIRMED)
    assert "date" not in skipped, skipped
    spot = template.spots["date"]
    assert spot.anchor.text == "Dated" and "2027" in spot.example


def test_a_date_read_as_figures_and_marks_no_pattern_takes_is_learned_from_its_ink():
    page = _saddlery(("9", "Mar", "Z0Z7"))
    template, skipped = learn(page, {"date": None}, CONFIRMED)
    assert "date" not in skipped and template.spots["date"].anchor.text == "Dated", skipped


def test_a_garbled_date_printed_twice_on_the_page_is_not_learned_from_its_ink():
    # a dispatch date the same day: the ink of both says the confirmed date, which is the spot unknown
    page = _saddlery(("9", "Mar", None), ("9", "Mar", None))
    assert "date" in learn(page, {"date": None}, CONFIRMED)[1]


def test_ink_saying_another_date_teaches_no_spot():
    page = _saddlery(("9", "Mar", None))
    assert "date" in learn(page, {"date": None}, {**CONFIRMED, "date": date(2027, 3, 19)})[1]


def test_a_label_the_teaching_scan_garbled_beside_such_a_date_is_learned_as_its_ink_reads():
    # the first reading made 'Iruoicc clatc' of the label too; learned so, no later scan would
    # ever show it again, and the date's spot would be lost on each
    from vision import analyse
    from vision.lexicon import fold, load_lexicons

    garbled = (("Invoice", "Iruoicc"), ("date", "clatc"))
    assert load_lexicons().match(fold("Iruoicc clatc"), ("date", "due_date")) is None
    template, skipped = learn(_saddlery(("9", "Mar", None), label=garbled), {"date": None}, CONFIRMED)
    assert "date" not in skipped and template.spots["date"].anchor.text == "Invoice date", template.spots.get("date")
    later = analyse(_saddlery(("9", "Mar", "2027"), label=(("Invoice", "Invoice"), ("date", "date"))),
                    templates=[template])
    assert later.value("date") == date(2027, 3, 9) and later.fields["date"].source == "learned"
