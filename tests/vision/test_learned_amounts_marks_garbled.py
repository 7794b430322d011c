"""Amounts of a fapiao's totals row whose marks the scan garbled ('1 ,250.00', '162 ,50'): no
amount pattern reads them whole, and the learned spots keep only a piece of each."""

from __future__ import annotations

from decimal import Decimal

from vision.learned import learn


def _fapiao(items: list[tuple[str, str, str, str, str]], net: str, tax: str, total: str, number: str):
    """A scanned VAT invoice of one seller: items (name, quantity, price, amount, tax) at 13%."""
    from tests.vision.test_lexicons import page_of

    rows = [(40, [(40, "成都锦程五金制品有限公司")]), (70, [(40, "纳税人识别号"), (200, "91510104MA61XQ2L7C")]),
            (100, [(40, "发票号码"), (200, number)]), (114, [(40, "开票日期"), (200, "2025 年 06 月 18 日")]),
            (200, [(40, "货物或应税劳务、服务名称"), (250, "数 量"), (300, "单 价"), (360, "金 额"), (430, "税率"),
                   (480, "税 额")])]
    y = 216
    for name, quantity, price, amount, item_tax in items:
        rows.append((y, [(40, name), (250, quantity), (300, price), (360, amount), (430, "13%"), (480, item_tax)]))
        y += 14
    rows += [(300, [(40, "合 计"), (360, net), (480, tax)]),
             (320, [(40, "价税合计 (大写)"), (300, "(小写)"), (360, total)])]
    return page_of(rows, scanned=True)


_BOLTS = ("螺栓 M8", "10", "75.00", "750.00", "97.50")
_NUTS = ("螺母 M8", "20", "25.00", "500.00", "65.00")


def _taught():
    from vision import analyse
    from vision.checks import CheckPolicy

    first = _fapiao([_BOLTS], "¥750.00", "¥97.50", "¥847.50", "44120871")
    before = {k: f.value for k, f in analyse(first, templates=[], policy=CheckPolicy(max_age_days=100_000)).fields.items()}
    template, _ = learn(first, before, {**before, "issuer": "成都锦程五金制品有限公司", "vat": Decimal("97.50"),
                                        "amount_untaxed": Decimal("750.00"), "amount": Decimal("847.50")})
    return template


def test_net_and_tax_printed_with_their_marks_garbled_are_read_from_the_lines_and_the_total():
    from vision import analyse
    from vision.checks import CheckPolicy

    # the currency marks read as other characters and the thousands and decimal marks set apart
    later = _fapiao([_BOLTS, _NUTS], "半 1 ,250.00", "闻 162 ,50", "¥1,412.50", "44120872")
    result = analyse(later, templates=[_taught()], policy=CheckPolicy(max_age_days=100_000))
    assert result.fields["amount_untaxed"].value == Decimal("1250.00")
    assert result.fields["vat"].value == Decimal("162.50")
    assert not any(r.startswith("learned_template") for r in result.reasons)


def test_a_garbled_net_that_is_not_the_lines_sum_stays_with_a_person():
    from vision import analyse
    from vision.checks import CheckPolicy

    later = _fapiao([_BOLTS, _NUTS], "半 1 ,260.00", "闻 162 ,50", "¥1,412.50", "44120872")
    result = analyse(later, templates=[_taught()], policy=CheckPolicy(max_age_days=100_000))
    assert result.status == "review"
    assert result.fields["amount_untaxed"].value != Decimal("1250.00")
