"""A discount off the whole invoice, printed between the lines' sum and the net, closes the sums."""

from __future__ import annotations

from decimal import Decimal

from vision.learned import learn


def _invoice(items: list[tuple[str, str, str, str]], subtotal: str, discount: str | None, net: str, tax: str,
             total: str, number: str):
    """A Portuguese joinery's invoice: items (name, quantity, price, amount), their sum, an
    optional discount row for paying early, the net, the tax at 23% and the total."""
    from tests.vision.test_lexicons import page_of

    page = [(40, [(40, "Carpintaria Lusa Lda.")]), (54, [(40, "Rua das Flores 12, 4050-262 Porto")]),
            (100, [(40, "Fatura n.º"), (200, number)]), (114, [(40, "Data"), (200, "11-03-2025")]),
            (200, [(40, "Descrição"), (300, "Qtd."), (380, "Preço"), (480, "Valor")])]
    y = 216
    for name, quantity, price, amount in items:
        page.append((y, [(40, name), (300, quantity), (380, price), (480, amount)]))
        y += 14
    y += 20
    page.append((y, [(300, "Soma"), (480, subtotal)]))
    if discount is not None:
        y += 14
        page.append((y, [(300, "Desconto p.p. 2%"), (480, discount)]))
    page.append((y + 14, [(300, "Base tributável"), (480, net)]))
    page.append((y + 28, [(300, "IVA 23%"), (480, tax)]))
    page.append((y + 42, [(300, "A pagar"), (480, total)]))
    page.append((780, [(40, "Carpintaria Lusa Lda. · NIF PT509876543")]))
    return page_of(page)


def _taught():
    from vision import analyse
    from vision.checks import CheckPolicy

    first = _invoice([("Porta de carvalho", "1", "400,00", "400,00")], "400,00", None, "400,00", "92,00", "492,00",
                     "FT 2025/118")
    before = {k: f.value for k, f in analyse(first, templates=[], policy=CheckPolicy(max_age_days=100_000)).fields.items()}
    template, _ = learn(first, before, {**before, "issuer": "Carpintaria Lusa Lda.", "vat": Decimal("92.00"),
                                        "amount_untaxed": Decimal("400.00"), "amount": Decimal("492.00")})
    return template


def _read(discount: str, net: str, tax: str, total: str):
    from vision import analyse
    from vision.checks import CheckPolicy

    later = _invoice([("Janela de pinho", "2", "150,00", "300,00"), ("Rodapé (m)", "10", "20,00", "200,00")],
                     "500,00", discount, net, tax, total, "FT 2025/131")
    return analyse(later, templates=[_taught()], policy=CheckPolicy(max_age_days=100_000))


def test_a_discount_printed_under_the_lines_sum_is_one_more_line_and_the_invoice_passes():
    result = _read("-10,00", "490,00", "112,70", "602,70")
    assert result.status == "ready", result.reasons
    assert result.fields["amount_untaxed"].value == Decimal("490.00")
    assert result.fields["amount"].value == Decimal("602.70")
    assert result.lines[-1]["amount"] == Decimal("-10.00")


def test_a_gap_the_page_prints_no_negative_figure_for_stays_for_a_person():
    # the row between the lines' sum and the net prints the gap with no sign: it may be anything
    result = _read("10,00", "490,00", "112,70", "602,70")
    assert result.status == "review"
    assert all(item["amount"] > 0 for item in result.lines)


def test_a_discount_whose_net_is_not_taxed_at_the_vendors_rate_stays_for_a_person():
    # net + tax = total, but 23% of 490,00 is 112,70, not 90,00
    result = _read("-10,00", "490,00", "90,00", "580,00")
    assert result.status == "review"


def test_a_discounted_invoice_whose_tax_a_scan_split_at_its_mark_takes_the_tax_the_page_prints():
    # the tax's cents set apart from its units: the learned spot reads a piece of it
    result = _read("-10,00", "490,00", "112 ,70", "602,70")
    assert result.status == "ready", result.reasons
    assert result.fields["vat"].value == Decimal("112.70")
