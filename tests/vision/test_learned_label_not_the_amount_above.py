"""An amount printed right under another amount is labelled by its row's label, not by the figure above it."""

from __future__ import annotations

from decimal import Decimal

from vision.learned import learn


def _invoice(net: str, tax: str, total: str, number: str):
    """A Slovak wholesaler's invoice: its sums in a column far right of their labels, one under
    the other, each figure with its currency's letters."""
    from tests.vision.test_lexicons import page_of

    return page_of([(40, [(40, "Drevo Tatry s.r.o.")]), (54, [(40, "Hlavná 5, 040 01 Košice")]),
                    (100, [(40, "Faktúra č."), (200, number)]), (114, [(40, "Dátum vystavenia:"), (200, "12. 3. 2025")]),
                    (200, [(40, "Položka"), (300, "Množstvo"), (480, "Suma")]),
                    (216, [(40, "Dubové dosky"), (300, "4"), (480, net)]),
                    (260, [(300, "Základ dane:"), (480, f"{net} Kč")]),
                    (274, [(300, "DPH spolu:"), (480, f"{tax} Kč")]),
                    (288, [(300, "Na úhradu:"), (480, f"{total} Kč")])])


def test_a_tax_under_the_net_is_learned_beside_its_own_label():
    from vision import analyse
    from vision.checks import CheckPolicy

    first = _invoice("1 000,00", "230,00", "1 230,00", "2025017")
    before = {k: f.value for k, f in analyse(first, templates=[], policy=CheckPolicy(max_age_days=100_000)).fields.items()}
    template, _ = learn(first, before, {**before, "issuer": "Drevo Tatry s.r.o.", "amount_untaxed": Decimal("1000.00"),
                                        "vat": Decimal("230.00"), "amount": Decimal("1230.00")})
    assert template.spots["vat"].anchor.text == "DPH spolu:"
    assert template.spots["amount"].anchor.text == "Na úhradu:"
