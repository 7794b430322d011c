"""Czech invoices (faktura – daňový doklad): their labels, dates, crowns and company names."""

from decimal import Decimal

from tests.vision.corpus import make_invoice, same, write_pdf
from tests.vision.corpus_blind4 import BLIND4_LAYOUTS  # noqa: F401 (registers cz_doklad)
from vision import read_invoice
from vision.issuer import _is_name
from vision.lexicon import load_lexicons, fold
from vision.parsing import detect_currency, find_dates


def test_a_date_written_with_a_space_after_each_dot_is_read():
    assert [d.isoformat() for d, *_ in find_dates("Datum splatnosti: 5. 1. 2027")] == ["2027-01-05"]
    assert [d.isoformat() for d, *_ in find_dates("vystaveno 21. 11. 2026, DUZP 15.11.2026")] == ["2026-11-21", "2026-11-15"]
    assert [d.isoformat() for d, *_ in find_dates("splatnost 5.1. 2027")] == ["2027-01-05"]  # a scan lost a space
    assert find_dates("položka 12. 5. 26 ks") == []  # no four-digit year: no date


def test_the_czech_no_after_faktura_is_a_word_not_any_letter():
    lex = load_lexicons()
    number = lex.match(fold("Faktura č. 2026001234"), ("invoice_number",))
    assert number is not None and number.weight == 10
    # a sentence that begins with 'Faktura' labels no invoice number of weight 10
    sentence = lex.match(fold("Faktura je splatná na uvedený účet."), ("invoice_number",))
    assert sentence is None or sentence.weight < 4


def test_an_abbreviated_label_ends_where_its_word_ends():
    lex = load_lexicons()
    # the Italian tax code's 'C.F.' is no label at the start of a Czech 'č. FV2026-0932'
    hit = lex.match(fold("č. FV2026-0932"), ("tax_id",))
    assert hit is None


def test_crowns_whose_hacek_was_lost_are_still_czech_crowns():
    assert detect_currency("Celkem k úhradě: 18 718,00 Kc")[0] == "CZK"
    assert detect_currency("Kcal 120 per portion")[0] is None


def test_a_company_named_with_spol_s_r_o_is_a_name_not_a_sentence():
    assert _is_name("ELEKTRO Procházka, spol. s r.o")
    assert _is_name("Hotel Morava Brno a.s.")
    assert not _is_name("de mise en service de votre ligne")


def test_a_czech_tax_document_is_booked_with_its_supplier_dates_and_total(tmp_path):
    right = 0
    seeds = range(100900, 100906)
    for seed in seeds:
        inv = make_invoice(seed, "cz_doklad")
        result = read_invoice(write_pdf(inv, tmp_path / f"{seed}.pdf"), templates=[])
        got = result.plain_fields()
        assert got.get("issuer") is None or same("issuer", got["issuer"], inv.truth["issuer"]), (seed, got["issuer"])
        fields = ("issuer", "invoice_number", "date", "due_date", "currency", "amount")
        right += all(same(f, got.get(f), inv.truth[f]) for f in fields)
        if result.status == "ready":
            assert Decimal(str(got["amount"])) == inv.truth["amount"]
    assert right >= len(seeds) - 1


def test_the_number_after_a_czech_no_read_with_an_acute_is_the_invoice_number():
    # a Latin OCR model reads the háček of 'č.' as an acute: 'DAŇOVÝ DOKLAD č. 20263702' comes
    # out 'DANOVY DOKLAD é. 20263702'; a variable symbol printing the same number is no label
    from vision.document import Document, Page, Word
    from vision.fields import extract

    rows = [[("ELEKTRO", 200), ("Prochazka,", 400), ("spol.", 640), ("s", 760), ("r.o.", 800)],
            [("FAKTURA", 200), ("-", 420), ("DANOVY", 460), ("DOKLAD", 660), ("é.", 1900), ("20263702", 1970)],
            [("Datum", 200), ("vystaveni:", 340), ("19.", 700), ("11.", 770), ("2026", 840)],
            [("Celkem", 200), ("bez", 360), ("DPH:", 450), ("1", 1900), ("000,00", 1940), ("CZK", 2100)],
            [("DPH", 200), ("21%:", 300), ("210,00", 1940), ("CZK", 2100)],
            [("Celkem", 200), ("k", 360), ("uhradé:", 400), ("1", 1900), ("210,00", 1940), ("CZK", 2100)]]
    words = [Word(text, x, 150 + 60 * row, x + 20 * len(text), 185 + 60 * row, 0.9)
             for row, texts in enumerate(rows) for text, x in texts]
    fields = extract(Document("faktura.png", [Page(1, 2480, 3508, words, "ocr")], "image")).fields
    assert fields["invoice_number"].value == "20263702"


def test_an_e_before_a_dot_is_no_czech_no_elsewhere():
    lex = load_lexicons()
    hit = lex.match(fold("Faktura e-mail: fakturace@firma.cz"), ("invoice_number",))
    assert hit is None or hit.weight < 10
    assert lex.match(fold("Autoteile Kühn e.K. 4711"), ("invoice_number",)) is None
