"""Column headings printed close together and read as one piece of a line: each keeps its own
place, so the figures under its neighbour are not read as its column's."""

from __future__ import annotations

from decimal import Decimal


def _invoice():
    from tests.vision.test_lexicons import page_of

    return page_of([
        (40, [(40, "南京梧桐办公用品有限公司")]),
        (60, [(40, "统一社会信用代码 91320102MA1W8K3X7R")]),
        (90, [(40, "发票号码 26320000004471")]), (104, [(40, "开票日期 2026年02月09日")]),
        # the amount's and the rate's headings a space apart, a speck before the rate read as a
        # quote mark: one piece of the line, which as a whole reads as the amount's heading
        (200, [(40, "项目名称"), (200, "数量"), (250, "单价"), (320, "金额 “税率"), (420, "税额")]),
        (214, [(40, "*办公用品*订书机"), (206, "4"), (245, "25.00"), (305, "100.00"), (338, "13%"), (415, "13.00")]),
        (228, [(40, "*办公用品*文件夹"), (206, "10"), (245, "12.00"), (305, "120.00"), (338, "13%"), (415, "15.60")]),
        (260, [(40, "合计"), (305, "220.00"), (415, "28.60")]),
        (274, [(40, "价税合计 (小写)"), (305, "¥248.60")]),
    ])


def test_figures_under_the_rate_and_tax_are_not_read_as_the_lines_amounts():
    from vision import analyse
    from vision.checks import CheckPolicy

    result = analyse(_invoice(), templates=[], policy=CheckPolicy(max_age_days=100_000))
    assert [line["amount"] for line in result.lines] == [Decimal("100.00"), Decimal("120.00")]
    assert [line["tax"] for line in result.lines] == [Decimal("13.00"), Decimal("15.60")]
    assert not any(reason.startswith(("lines_sum", "line_arithmetic")) for reason in result.reasons)
