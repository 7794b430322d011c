"""Generators of messy statement files whose true content is known (for the reader tests)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HEADER = ["交易日期", "摘要", "对方户名", "金额", "账号"]


@dataclass
class Truth:
    path: Path
    header_row: int
    dates: list[date]
    amounts: list[Decimal]
    memos: list[str]
    accounts: list[str]


def _amount_text(amount: Decimal, decimal: str, style: str) -> str:
    text = f"{abs(amount):,.2f}"
    if decimal == ",":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if style == "paren" and amount < 0:
        return f"({text})"
    if style == "crdr":
        return f"{text} {'DR' if amount < 0 else 'CR'}"
    if style == "yuan":
        return ("-" if amount < 0 else "") + text + "元"
    if style in ("yen", "fullwidth-yen"):  # GBK has only the full-width ￥
        return ("-" if amount < 0 else "") + ("¥" if style == "yen" else "￥") + text
    return ("-" if amount < 0 else "") + text


def _date_text(day: date, style: str) -> str:
    return {"iso": day.isoformat(), "dayfirst": day.strftime("%d/%m/%Y"), "cjk": f"{day.year}年{day.month}月{day.day}日",
            "slash": day.strftime("%Y/%m/%d")}[style]


def messy_csv(folder: Path, *, rows: int = 25, encoding: str = "utf-8", delimiter: str = ",", decimal: str = ".",
              preamble: int = 5, footer: bool = True, amount_style: str = "plain", date_style: str = "iso",
              tab_padded: bool = False, seed: int = 1, name: str = "statement.csv") -> Truth:
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    dates = [start + timedelta(days=rng.randint(0, 400)) for _ in range(rows)]
    amounts = [Decimal(rng.randint(-500000, 500000)).scaleb(-2) for _ in range(rows)]
    memos = [rng.choice(["工资", "转账汇款", "Office rent, March", "快捷支付 \"抖音\"", "退款"]) for _ in range(rows)]
    accounts = [f"6222{rng.randint(0, 10**12 - 1):012d}" for _ in range(rows)]

    def cell(text: str) -> str:
        text = f"{text}        \t" if tab_padded else text
        if any(ch in text for ch in (delimiter, '"', "\n")) or tab_padded:
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = []
    lines += [cell("明细查询文件下载"), ""][: min(2, preamble)]
    for i in range(max(0, preamble - 2)):
        lines.append(delimiter.join([cell(f"卡号: 1234****98{i:02d}"), cell("户名: 测试")]))
    header_row = len(lines) + 1
    lines.append(delimiter.join(cell(h) for h in HEADER))
    for d, a, m, acc in zip(dates, amounts, memos, accounts):
        lines.append(delimiter.join([cell(_date_text(d, date_style)), cell(m), cell("上海某某有限公司"),
                                     cell(_amount_text(a, decimal, amount_style)), cell(acc)]))
    if footer:
        total = _amount_text(sum(amounts, Decimal(0)), decimal, "plain")
        lines += ["", delimiter.join([cell("人民币合计"), "", "", cell(total), ""])]
    path = folder / name
    data = "\r\n".join(lines) + "\r\n"
    path.write_bytes(data.encode(encoding))
    return Truth(path, header_row, dates, amounts, memos, accounts)


def messy_xlsx(folder: Path, *, rows: int = 25, preamble: int = 17, text_amounts: bool = True, seed: int = 2,
               name: str = "wechat.xlsx") -> Truth:
    from openpyxl import Workbook

    rng = random.Random(seed)
    start = date(2024, 1, 1)
    dates = [start + timedelta(days=rng.randint(0, 400)) for _ in range(rows)]
    amounts = [Decimal(rng.randint(-500000, 500000)).scaleb(-2) for _ in range(rows)]
    memos = [rng.choice(["商户消费", "微信红包", "=1+2", "转账"]) for _ in range(rows)]
    accounts = [f"6222{rng.randint(0, 10**12 - 1):012d}" for _ in range(rows)]
    book = Workbook()
    ws = book.active
    ws.title = "账单"
    ws.append(["微信支付账单明细"])
    for i in range(preamble - 1):
        ws.append([f"说明 {i}: 本明细仅供个人对账使用"] if i % 4 else [])
    header_row = ws.max_row + 1
    ws.append(HEADER)
    for d, a, m, acc in zip(dates, amounts, memos, accounts):
        ws.append([d, m, "上海某某有限公司", _amount_text(a, ".", "yen") if text_amounts else float(a), acc + "\t"])
        ws.cell(ws.max_row, 2).data_type = "s"  # "=1+2" is a memo here, not a formula
    path = folder / name
    book.save(path)
    return Truth(path, header_row, dates, amounts, memos, accounts)
