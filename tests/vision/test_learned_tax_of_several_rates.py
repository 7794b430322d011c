"""A vendor taxing at two rates prints one tax row per rate and no tax total: the tax is both."""

from __future__ import annotations

from decimal import Decimal

from vision.learned import learn


def _invoice(items: list[tuple[str, str, str, str]], rows: list[tuple[str, str, str]], net: str, total: str,
             number: str):
    """A scanned invoice of a Dutch wholesaler: items (name, quantity, price, amount), then one
    tax row per rate (label, base, tax) under the net."""
    from tests.vision.test_lexicons import page_of

    page = [(40, [(40, "Groothandel Meerman B.V.")]), (54, [(40, "Havenweg 8, 3011 AA Rotterdam")]),
            (100, [(40, "Factuurnummer"), (200, number)]), (114, [(40, "Factuurdatum"), (200, "04-02-2025")]),
            (200, [(40, "Omschrijving"), (300, "Aantal"), (380, "Prijs"), (480, "Bedrag")])]
    y = 216
    for name, quantity, price, amount in items:
        page.append((y, [(40, name), (300, quantity), (380, price), (480, amount)]))
        y += 14
    page.append((y + 20, [(300, "Subtotaal"), (480, net)]))
    y += 34
    for label, base, tax in rows:
        page.append((y, [(300, f"{label} over {base}"), (480, tax)]))
        y += 14
    page.append((y, [(300, "Te betalen"), (480, total)]))
    page.append((780, [(40, "Groothandel Meerman B.V. · BTW NL812345678B01 · KvK 24123456")]))
    return page_of(page, scanned=True)


def _taught():
    from vision import analyse
    from vision.checks import CheckPolicy

    first = _invoice([("Koffiebonen 1kg", "4", "25,00", "100,00")], [("BTW 9%", "100,00", "9,00")],
                     "100,00", "109,00", "MR-2025-0311")
    before = {k: f.value for k, f in analyse(first, templates=[], policy=CheckPolicy(max_age_days=100_000)).fields.items()}
    template, _ = learn(first, before, {**before, "issuer": "Groothandel Meerman B.V.", "vat": Decimal("9.00"),
                                        "amount_untaxed": Decimal("100.00"), "amount": Decimal("109.00")})
    return template


def test_the_tax_of_an_invoice_at_two_rates_is_the_tax_of_both_rows():
    from vision import analyse
    from vision.checks import CheckPolicy

    later = _invoice([("Koffiebonen 1kg", "2", "25,00", "50,00"), ("Espressomachine", "1", "200,00", "200,00")],
                     [("BTW 9%", "50,00", "4,50"), ("BTW 21%", "200,00", "42,00")], "250,00", "296,50", "MR-2025-0390")
    result = analyse(later, templates=[_taught()], policy=CheckPolicy(max_age_days=100_000))
    assert result.fields["vat"].value == Decimal("46.50")
    assert result.fields["amount"].value == Decimal("296.50")


def test_rows_whose_tax_is_not_their_base_at_their_rate_are_not_added():
    from vision import analyse
    from vision.checks import CheckPolicy

    # the second row's tax is not 21% of its base: the rows say nothing sure of the tax
    later = _invoice([("Koffiebonen 1kg", "2", "25,00", "50,00"), ("Espressomachine", "1", "200,00", "200,00")],
                     [("BTW 9%", "50,00", "4,50"), ("BTW 21%", "200,00", "24,00")], "250,00", "296,50", "MR-2025-0390")
    result = analyse(later, templates=[_taught()], policy=CheckPolicy(max_age_days=100_000))
    assert result.status == "review"
    assert result.fields.get("vat") is None or result.fields["vat"].value != Decimal("28.50")
