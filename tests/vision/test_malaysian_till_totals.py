"""Malaysian till receipts as worn dot-matrix and phone-photographed print leaves them: the total
label misread beyond a letter or two, the currency known from the shop's GST number rather than
from a stray mark."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def test_amount_payable_misread_in_two_letters_is_still_the_total():
    rows = ["KEDAI CETAK ANGKASA", "Date/Time : 14/02/2017 10:12", "PHOTOSTAT A4 B/W x100   S   8.00",
            "Amount Before GST   7.55", "GST Payable 6%   0.45", "ARQUNT PAYABIE   8.00", "CASH RECEIVED   10.00"]
    found = _read(_receipt(*rows))
    assert found["amount"].value == Decimal("8.00")
    # 'NET BAG' (a shopping bag) is no NET TOTAL, 'CASH BOX' no CASH PAID: only labels a few letters off
    rows = ["NET BAG   2.50", "CASH BOX   35.00", "TOTAL   37.50", "CASH   50.00", "CHANGE   12.50", "01/03/2016 10:00"]
    found = _read(_receipt(*rows))
    assert found["amount"].value == Decimal("37.50") and found["amount"].agreeing >= 2


def test_a_stray_yen_sign_on_a_malaysian_gst_receipt_is_no_yuan_and_the_currency_is_left_to_a_person():
    from vision.fields import extract

    doc = _receipt("UNIHAKKA HARDWARE SDN BHD", "(Co. Reg. No. 621122-¥)", "GST ID   :   000965359223", "TAX INVOICE",
                   "Date : 04/04/2015 10:26:58 AM", "Total Sales (Inclusive of GST)   42.90", "Rounding Adj   0.00",
                   "Net Total   42.90", "CASH   50.00", "Change   7.10")
    currency = extract(doc).fields["currency"]
    assert currency.value == "MYR" and currency.confidence <= 0.5
