"""A learned total read faintly on a scan whose line items went unread: fixed by a net and a tax
read clearly at the vendor's own rate, then read again from its ink (``faint_amounts``)."""

from __future__ import annotations

from decimal import Decimal

from vision.learned import Anchor, LearnedField, LearnedTemplate, Spot, faint_amounts


def _brewery_at_21_percent() -> LearnedTemplate:
    # the approved invoice showed a net of 640.00 and BTW of 134.40: the brewery taxes at 21%
    template = LearnedTemplate("Brouwerij De Kromme Haring")
    template.spots["amount_untaxed"] = Spot(1, (0.7, 0.70, 0.8, 0.72), Anchor("Subtotaal", 0.0, 6.0, 3.0), "640.00")
    template.spots["vat"] = Spot(1, (0.7, 0.73, 0.8, 0.75), Anchor("BTW 21%", 0.0, 6.0, 3.0), "134.40")
    template.spots["amount"] = Spot(1, (0.7, 0.76, 0.8, 0.78), Anchor("Te betalen", 0.0, 6.0, 3.0), "774.40")
    return template


def _read(value: str, confidence: float) -> LearnedField:
    return LearnedField(Decimal(value), confidence, "learned", 1, value, box=(1700, 2500, 1900, 2540))


def _amounts(net: str, tax: str, total: str, net_confidence: float = 0.74) -> dict:
    return {"amount_untaxed": _read(net, net_confidence), "vat": _read(tax, 0.91), "amount": _read(total, 0.37)}


def test_a_faint_total_that_a_clear_net_and_tax_at_the_vendors_rate_add_up_to_is_read_again():
    # 1 385.50 at 21% is 290.96 to the cent, and the two make the faint 1 676.46
    fields = _amounts("1385.50", "290.96", "1676.46")
    assert faint_amounts(fields, [], 0.6, _brewery_at_21_percent()) == ["amount"]


def test_a_faint_total_whose_tax_is_not_the_vendors_rate_stays_with_a_person():
    # 290.69 for 290.96 still adds up (net and total read to fit), but no longer taxes the net at 21%
    fields = _amounts("1385.50", "290.69", "1676.19")
    assert faint_amounts(fields, [], 0.6, _brewery_at_21_percent()) == []


def test_a_faint_total_beside_a_faint_net_stays_with_a_person():
    # two faint amounts vouch only for each other: without line items nothing else fixes them
    fields = _amounts("1385.50", "290.96", "1676.46", net_confidence=0.42)
    assert faint_amounts(fields, [], 0.6, _brewery_at_21_percent()) == []
