"""The total a person is shown when the printed figures do not add up: the amount the invoice
prints as its total (to be checked against net + tax), never the net or a balance after a
payment; and such an invoice is never booked."""

from __future__ import annotations

from decimal import Decimal

from tests.vision.test_lexicons import ANY_DATE, page_of
from vision import analyse
from vision.fields import Field, choose_totals


def test_misprinted_total_is_offered_not_the_balance_left_after_a_deposit():
    # 1,200.00 + 240.00 is 1,440.00, the page says 1,450.00; a deposit brings what is still to pay
    # to 750.00 under a stronger label than the plain "Total"
    doc = page_of([
        (40, [(40, "Harbourside Joinery Ltd")]),
        (54, [(40, "4 Quay Street, Bristol BS1 4DJ")]),
        (100, [(40, "Invoice number"), (160, "HJ-3318")]),
        (114, [(40, "Invoice date"), (160, "12/03/2024")]),
        (160, [(40, "Charge to")]),
        (174, [(40, "Cotswold Holiday Lets")]),
        (240, [(40, "Item"), (300, "Hours"), (380, "Rate"), (480, "Amount")]),
        (256, [(40, "Fitting oak staircase"), (300, "24"), (380, "50.00"), (480, "1,200.00")]),
        (300, [(330, "Net amount"), (480, "1,200.00")]),
        (314, [(330, "VAT 20%"), (480, "240.00")]),
        (328, [(330, "Total"), (480, "£1,450.00")]),
        (342, [(330, "Deposit received"), (480, "-700.00")]),
        (356, [(330, "Amount payable"), (480, "£750.00")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    assert result.plain_fields()["amount"] == 1450.0
    assert result.status != "ready"


def test_misprinted_total_is_offered_not_the_net_under_an_amount_column():
    # "Betrag" heads the item column, which closes with the net; the invoice's total (8.1% VAT
    # and a 5-Rappen rounding on 620.00 make 670.25) is misprinted 680.25
    doc = page_of([
        (40, [(40, "Malerei Gerber GmbH")]),
        (54, [(40, "Seestrasse 8, 8800 Thalwil")]),
        (100, [(40, "Rechnungsnummer"), (180, "2024-117")]),
        (114, [(40, "Rechnungsdatum"), (180, "05.04.2024")]),
        (240, [(40, "Leistung"), (300, "Stunden"), (380, "Ansatz"), (480, "Betrag")]),
        (256, [(40, "Wohnung streichen"), (300, "8"), (380, "77.50"), (480, "620.00")]),
        (300, [(330, "Total exkl. MWST"), (480, "620.00")]),
        (314, [(330, "MWST 8.1%"), (480, "50.22")]),
        (328, [(330, "Rundung"), (480, "0.03")]),
        (342, [(330, "Total CHF"), (480, "680.25")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    assert result.plain_fields()["amount"] == 680.25
    assert result.status != "ready"


def test_a_rounding_line_proves_only_a_total_it_is_needed_for():
    # the items add up to 300.00, printed under a net label; a one-cent rounding within the
    # tolerance must not make the net the total over the total printed (misprinted) below it
    items_sum = Field(Decimal("300.00"), 0.95, text="300.00")
    printed_total = Field(Decimal("331.00"), 0.9, text="331.00")
    net = Field(Decimal("300.00"), 1.0, text="300.00")
    tax = Field(Decimal("23.10"), 1.0, text="23.10")
    total, _, _, how = choose_totals({"amount": [(6, items_sum), (6, printed_total)],
                                      "amount_untaxed": [(10, net)], "vat": [(10, tax)]},
                                     Decimal("300.00"), roundings=[Decimal("0.01")])
    assert total.value == Decimal("331.00") and how != "arithmetic"


def test_misprinted_total_is_offered_not_a_balance_carrying_an_older_debt():
    # 2,000.00 + 400.00 is 2,400.00, the page says 2,410.00; what is due adds an earlier unpaid
    # 150.00, under a stronger label: it is not this invoice's total
    doc = page_of([
        (40, [(40, "Lakeland Signs")]),
        (100, [(40, "Invoice No."), (160, "LS-0917")]),
        (114, [(40, "Invoice date"), (160, "02/05/2024")]),
        (240, [(40, "Item"), (480, "Amount")]),
        (256, [(40, "Shop front lettering"), (480, "2,000.00")]),
        (300, [(330, "Subtotal"), (480, "2,000.00")]),
        (314, [(330, "VAT 20%"), (480, "400.00")]),
        (328, [(330, "Total"), (480, "£2,410.00")]),
        (342, [(330, "Brought forward"), (480, "150.00")]),
        (356, [(330, "Balance due"), (480, "£2,560.00")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    assert result.plain_fields()["amount"] == 2410.0
    assert result.status != "ready"


def test_misprinted_total_with_the_tax_split_in_two_halves_is_offered_not_the_balance():
    # Indian GST: CGST and SGST, half the rate each; 10,000.00 + 900.00 + 900.00 is 11,800.00,
    # the page says 11,810.00; half was paid in advance
    doc = page_of([
        (40, [(40, "Deccan Fabricators Pvt Ltd")]),
        (100, [(40, "Invoice No:"), (160, "DF/24-25/118")]),
        (114, [(40, "Invoice Date:"), (160, "12/06/2024")]),
        (240, [(40, "Description"), (480, "Amount")]),
        (256, [(40, "Steel railing, fabricated"), (480, "10,000.00")]),
        (300, [(330, "Taxable Value"), (480, "10,000.00")]),
        (314, [(330, "CGST 9%"), (480, "900.00")]),
        (328, [(330, "SGST 9%"), (480, "900.00")]),
        (342, [(330, "Total"), (480, "Rs. 11,810.00")]),
        (356, [(330, "Advance received"), (480, "(-) 5,905.00")]),
        (370, [(330, "Balance Due"), (480, "Rs. 5,905.00")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    assert result.plain_fields()["amount"] == 11810.0
    assert result.status != "ready"


def test_items_sum_under_an_unknown_label_ends_the_items_and_is_the_net():
    # 'Work and materials' is no net label any lexicon knows: it prints the items' sum, which is
    # no fourth item, and with the VAT on top it makes the total
    doc = page_of([
        (40, [(40, "Tamar Valley Glazing Ltd")]),
        (54, [(40, "9 Fore Street, Saltash PL12 6JL")]),
        (100, [(40, "Invoice number"), (160, "TVG-2291")]),
        (114, [(40, "Invoice date"), (160, "12/03/2024")]),
        (240, [(40, "Description"), (300, "Qty"), (380, "Price"), (480, "Amount")]),
        (256, [(40, "Double glazed unit"), (300, "3"), (380, "310.00"), (480, "930.00")]),
        (270, [(40, "Fitting labour"), (300, "8"), (380, "55.00"), (480, "440.00")]),
        (284, [(40, "Sealant and trims"), (300, "1"), (380, "160.00"), (480, "160.00")]),
        (320, [(330, "Work and materials"), (480, "1,530.00")]),
        (334, [(330, "VAT 20%"), (480, "306.00")]),
        (348, [(330, "Total due"), (480, "£1,836.00")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    fields = result.plain_fields()
    assert [item["amount"] for item in result.lines] == [Decimal("930.00"), Decimal("440.00"), Decimal("160.00")]
    assert (fields["amount"], fields["amount_untaxed"], fields["vat"]) == (1836.0, 1530.0, 306.0)
    assert result.status == "ready"


def test_a_reverse_charged_invoice_books_its_goods_total_and_no_tax_not_two_figures_that_add_up():
    # the VAT is the buyer's to account for (reverse charge): the breakdown prints each goods
    # figure beside a 0.00 tax; the first item's amount plus the other goods figure also make
    # the total, but a 'tax' many times its net is no tax
    doc = page_of([
        (40, [(40, "Kestrel Groundworks Ltd")]),
        (54, [(40, "Unit 4, Mill Lane, Derby DE1 3RT")]),
        (68, [(40, "VAT Reg. No. GB 318 4402 17")]),
        (100, [(360, "Invoice No."), (470, "KG-20931")]),
        (114, [(360, "Invoice Date"), (470, "03/06/2024")]),
        (160, [(40, "Invoice To")]),
        (174, [(40, "Ashdown Homes (Midlands) Ltd")]),
        (230, [(40, "Qty"), (80, "Description"), (330, "Price"), (400, "VAT %"), (480, "Net Amount")]),
        (246, [(40, "3"), (80, "Trench excavation (days)"), (330, "215.00"), (400, "RC"), (480, "645.00")]),
        (260, [(40, "1"), (80, "Type 1 sub-base, 40 t"), (330, "1,890.40"), (400, "RC"), (480, "1,890.40")]),
        (320, [(40, "VAT Analysis"), (330, "Total Goods"), (480, "2,535.40")]),
        (333, [(40, "Rate"), (130, "Goods"), (200, "VAT"), (330, "Total VAT"), (480, "0.00")]),
        (346, [(40, "Reverse charge"), (130, "1,890.40"), (200, "0.00")]),
        (349, [(330, "Invoice Total"), (480, "£2,535.40")]),
        (359, [(40, "Reverse charge"), (130, "645.00"), (200, "0.00")]),
        (400, [(40, "Customer to account for VAT to HMRC (domestic reverse charge)")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    fields = result.plain_fields()
    assert fields["amount"] == 2535.40
    if result.status == "ready":
        assert (fields.get("amount_untaxed"), fields.get("vat")) == (2535.40, 0.0)
    assert fields.get("vat") != 1890.40


def test_a_totals_row_whose_label_was_garbled_into_a_figure_is_no_item():
    # the scan read the row's label as '2' under the quantity heading: the row still prints no
    # price, and its amount and tax are what the three items above come to
    doc = page_of([
        (40, [(40, "Ostrava Tooling s.r.o.")]),
        (100, [(40, "Invoice number"), (160, "OT-7710")]),
        (114, [(40, "Invoice date"), (160, "12/03/2024")]),
        (240, [(40, "Description"), (250, "Qty"), (320, "Price"), (400, "VAT"), (480, "Amount")]),
        (256, [(40, "Drill bits HSS"), (250, "4"), (320, "25.00"), (400, "21.00"), (480, "100.00")]),
        (270, [(40, "Cutting oil 5 l"), (250, "2"), (320, "30.00"), (400, "12.60"), (480, "60.00")]),
        (284, [(40, "Safety gloves"), (250, "10"), (320, "4.00"), (400, "8.40"), (480, "40.00")]),
        (298, [(40, "t"), (250, "2"), (400, "42.00"), (480, "200.00")]),
        (340, [(330, "Total to pay"), (480, "242.00")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    assert [item["amount"] for item in result.lines] == [Decimal("100.00"), Decimal("60.00"), Decimal("40.00")]
