"""A generator of hostile bank statements, each with a manifest of what reading it must give.

    python -m tests.reconcile.hostile_statements OUT_DIR [--seed N]
    # writes OUT_DIR/<case>.<ext> and OUT_DIR/manifest.json

Every case is built from random figures (seeded), and its expected outcome is computed from
those figures, never from what the reader returns:

- ``{"count": n, "sum": "…", "excluded": k}``: the lines it must give (``excluded``: rows that
  must be left out as not money), or
- ``{"error": regex}``: the message it must be refused with (exit 2), naming what is wrong;
  ``"unbalanced": true`` marks a refusal that ``--allow-unbalanced`` turns into the lines
  given by ``"allowed"``.

The texts here are deliberately worded unlike the shipped rules (``_common.yaml``): statuses
such as "Payment Failed" or "交易已关闭", footers such as "*** End of Statement ***", so the
rules are tested on wording they were not written from.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

CENT = Decimal("0.01")
NAMES = ["Nordwind GmbH", "Acme Supplies Ltd", "Blue Harbor Co", "上海云杉贸易有限公司", "Kowalski & Syn",
         "Fjord Logistics AS", "深圳市星河科技有限公司", "Café Lumière SARL"]


@dataclass
class Case:
    name: str
    ext: str
    content: bytes
    expect: dict = field(default_factory=dict)


def _money(rng: random.Random, low=5, high=4000, signed=True) -> Decimal:
    value = Decimal(rng.randint(low * 100, high * 100)) * CENT
    return -value if signed and rng.random() < 0.5 else value


def _de(amount: Decimal) -> str:
    """German writing: 1.234,56 (no sign here)."""
    whole, frac = f"{abs(amount):,.2f}".split(".")
    return whole.replace(",", ".") + "," + frac


def _swift(amount: Decimal) -> str:
    return f"{abs(amount):.2f}".replace(".", ",")


# ---- MT940 --------------------------------------------------------------------------------------------

def _mt940(rng, lines: list[Decimal], opening: Decimal, closing: Decimal | None, *, amount_text=None,
           closing_text=None, account="DE02120300000000202051", ref="STMT") -> str:
    out = [f":20:{ref}{rng.randint(100, 999)}", f":25:{account}", ":28C:12/1",
           f":60F:{'C' if opening >= 0 else 'D'}260401EUR{_swift(opening)}"]
    for n, amount in enumerate(lines, 1):
        written = amount_text(n, amount) if amount_text else _swift(amount)
        out.append(f":61:26040{min(n, 9)}040{min(n, 9)}{'C' if amount >= 0 else 'D'}{written}NTRFREF{n:04d}//BK{n:06d}")
        out.append(f":86:?20Invoice {rng.randint(1000, 9999)}?32{rng.choice(NAMES)[:27]}")
    if closing_text is not None:
        out.append(closing_text)
    elif closing is not None:
        out.append(f":62F:{'C' if closing >= 0 else 'D'}260409EUR{_swift(closing)}")
    return "\n".join(out) + "\n-\n"


def mt940_cases(rng) -> list[Case]:
    cases = []
    lines = [_money(rng) for _ in range(4)]
    opening = _money(rng, 1000, 9000, signed=False)
    closing = opening + sum(lines)
    cases.append(Case("mt940-balanced", "sta", _mt940(rng, lines, opening, closing).encode(),
                      {"count": 4, "sum": str(sum(lines))}))

    def letter_o(n, amount):
        text = _swift(amount)
        return text.replace("0", "O", 1) if n == 2 and "0" in text else text
    garbled = list(lines)
    garbled[1] = Decimal(f"{rng.randint(1, 9)}0{rng.randint(10, 99)}.{rng.randint(10, 99)}")  # has a zero to garble
    cases.append(Case("mt940-letter-o-for-zero", "sta",
                      _mt940(rng, garbled, opening, opening + sum(garbled), amount_text=letter_o).encode(),
                      {"error": r"line 7, column \d+: the amount '[\dO,]*O[\dO,]*' in :61: is not a SWIFT amount"}))
    cases.append(Case("mt940-no-closing-balance", "sta", _mt940(rng, lines, opening, None).encode(),
                      {"error": "no closing balance, which MT940 requires", "unbalanced": True,
                       "allowed": {"count": 4, "sum": str(sum(lines))}}))
    cases.append(Case("mt940-closing-off-by-a-line", "sta", _mt940(rng, lines, opening, closing + lines[0]).encode(),
                      {"error": "does not add up", "unbalanced": True, "allowed": {"count": 4, "sum": str(sum(lines))}}))
    cases.append(Case("mt940-closing-balance-garbled", "sta",
                      _mt940(rng, lines, opening, None, closing_text=f":62F:C260409EUR{_de(closing)}").encode()
                      if "." in _de(closing) else
                      _mt940(rng, lines, opening, None, closing_text=":62F:C260409EUR1.204,50").encode(),
                      {"error": r"in :62F: is not a SWIFT amount"}))
    bad_date = _mt940(rng, lines[:1], opening, opening + lines[0]).replace(":61:2604010401", ":61:2613010401")
    cases.append(Case("mt940-thirteenth-month", "sta", bad_date.encode(), {"error": r"is not a real date"}))
    reversal = _mt940(rng, lines[:2], opening, opening - lines[0] + lines[1])
    first = reversal.split(":61:2604010401")[1][0]
    reversal = reversal.replace(f":61:2604010401{first}", f":61:2604010401R{first}", 1)
    cases.append(Case("mt940-reversal-flips-sign", "sta", reversal.encode(),
                      {"count": 2, "sum": str(-lines[0] + lines[1])}))
    credits = [abs(a) for a in lines[:3]]
    mt942 = (":20:INTRA01\n:25:PL61109010140000071219812874\n:28C:3/1\n:34F:EUR0,\n:13D:2604091200+0200\n"
             + "".join(f":61:2604090409C{_swift(a)}NTRFNONREF//IN{n}\n:86:collect {n}\n" for n, a in enumerate(credits))
             + f":90D:0EUR0,\n:90C:{len(credits) + 1}EUR{_swift(sum(credits))}\n-\n")
    cases.append(Case("mt942-declared-count-disagrees", "sta", mt942.encode(),
                      {"error": r":90C: declares 4 credit\(s\)", "unbalanced": True,
                       "allowed": {"count": 3, "sum": str(sum(credits))}}))
    return cases


# ---- OFX ----------------------------------------------------------------------------------------------

def _ofx(rows: list[tuple[str, Decimal]], *, ledger: Decimal | None = Decimal("100.00"), close_trn=True,
         close_list=True, amount_text=None) -> str:
    head = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\n"
    body = ["<OFX>", "<BANKMSGSRSV1>", "<STMTTRNRS>", "<TRNUID>1", "<STMTRS>", "<CURDEF>USD",
            "<BANKACCTFROM>", "<BANKID>121000248", "<ACCTID>4400012345", "<ACCTTYPE>CHECKING", "</BANKACCTFROM>",
            "<BANKTRANLIST>", "<DTSTART>20260401", "<DTEND>20260430"]
    for n, (fitid, amount) in enumerate(rows):
        body += ["<STMTTRN>", f"<TRNTYPE>{'CREDIT' if amount >= 0 else 'DEBIT'}", f"<DTPOSTED>2026040{n + 1}",
                 f"<TRNAMT>{amount_text(n, amount) if amount_text else amount}", f"<FITID>{fitid}", f"<NAME>Payee {n}"]
        if close_trn or n < len(rows) - 2:
            body.append("</STMTTRN>")
    if close_list:
        body.append("</BANKTRANLIST>")
    if ledger is not None:
        body += ["<LEDGERBAL>", f"<BALAMT>{ledger}", "<DTASOF>20260430", "</LEDGERBAL>"]
    body += ["</STMTRS>", "</STMTTRNRS>", "</BANKMSGSRSV1>", "</OFX>"]
    return head + "\n".join(body) + "\n"


def ofx_cases(rng) -> list[Case]:
    rows = [(f"T{n:05d}", _money(rng, 5, 900)) for n in range(4)]
    total = str(sum(a for _, a in rows))
    unclosed = _ofx(rows, close_trn=False)
    line = unclosed.splitlines().index("<STMTTRN>", unclosed.splitlines().index("<BANKTRANLIST>") + 1 + 7 * 2) + 1
    return [
        Case("ofx-plain", "ofx", _ofx(rows).encode(), {"count": 4, "sum": total}),
        Case("ofx-transaction-never-closed", "ofx", unclosed.encode(),
             {"error": rf"line {line}: <STMTTRN> opened here is never closed"}),
        Case("ofx-list-closed-out-of-turn", "ofx", _ofx(rows, close_list=False).encode(),
             {"error": r"<BANKTRANLIST> opened here is never closed"}),
        Case("ofx-without-ledger-balance", "ofx", _ofx(rows, ledger=None).encode(),
             {"error": "no closing balance, which OFX requires", "unbalanced": True, "allowed": {"count": 4, "sum": total}}),
        Case("ofx-amount-with-a-stray-letter", "ofx",
             _ofx(rows, amount_text=lambda n, a: f"{a}".replace(".", "l", 1) if n == 1 else str(a)).encode(),
             {"error": r"line \d+, column 9: <TRNAMT> '.*l.*' is not an amount"}),
        Case("ofx-decimal-comma", "ofx",
             _ofx(rows, amount_text=lambda n, a: str(a).replace(".", ",")).encode(), {"count": 4, "sum": total}),
        Case("ofx2-xml-with-entities", "ofx",
             ('<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n'
              '<!DOCTYPE OFX [<!ENTITY big "xxxxxxxxxx">]>\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF>'
              '<BANKTRANLIST><STMTTRN><TRNAMT>&big;</TRNAMT></STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS>'
              '</BANKMSGSRSV1></OFX>\n').encode(), {"error": "line 3: the XML has a DOCTYPE"}),
    ]


# ---- camt.053 -----------------------------------------------------------------------------------------

def _camt(entries: list[tuple[Decimal, str]], opening: Decimal | None, closing: Decimal | None,
          doctype: str = "", amount_text=None) -> str:
    def bal(code, value):
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{abs(value)}</Amt>"
                f"<CdtDbtInd>{'CRDT' if value >= 0 else 'DBIT'}</CdtDbtInd><Dt><Dt>2026-04-30</Dt></Dt></Bal>\n")
    body = ""
    for n, (amount, status) in enumerate(entries):
        written = amount_text(n, amount) if amount_text else f"{abs(amount)}"
        body += (f"<Ntry><NtryRef>E{n}</NtryRef><Amt Ccy=\"EUR\">{written}</Amt><CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}"
                 f"</CdtDbtInd><Sts>{status}</Sts><BookgDt><Dt>2026-04-{n + 10}</Dt></BookgDt><AcctSvcrRef>SVC{n}</AcctSvcrRef>"
                 f"<AddtlNtryInf>Entry {n}</AddtlNtryInf></Ntry>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + doctype +
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>\n'
            "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-04-30T18:00:00</CreDtTm></GrpHdr>\n"
            "<Stmt><Id>S1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
            + (bal("OPBD", opening) if opening is not None else "") + (bal("CLBD", closing) if closing is not None else "")
            + body + "</Stmt></BkToCstmrStmt></Document>\n")


def camt_cases(rng) -> list[Case]:
    amounts = [_money(rng) for _ in range(3)]
    opening = _money(rng, 2000, 9000, signed=False)
    booked = [(a, "BOOK") for a in amounts]
    pending = _money(rng)
    total = str(sum(amounts))
    return [
        Case("camt-booked-and-pending", "xml",
             _camt(booked + [(pending, "PDNG")], opening, opening + sum(amounts)).encode(),
             {"count": 3, "sum": total, "excluded": 1}),
        Case("camt-closing-balance-missing", "xml", _camt(booked, opening, None).encode(),
             {"error": "no closing balance, which camt.053 requires", "unbalanced": True,
              "allowed": {"count": 3, "sum": total}}),
        Case("camt-balances-disagree", "xml", _camt(booked, opening, opening).encode(),
             {"error": "does not add up", "unbalanced": True, "allowed": {"count": 3, "sum": total}}),
        Case("camt-amount-with-decimal-comma", "xml",
             _camt(booked, opening, opening + sum(amounts), amount_text=lambda n, a: f"{abs(a)}".replace(".", ",")).encode(),
             {"error": r"line \d+: entry amount '[\d,]+' is not a plain decimal"}),
        Case("camt-billion-laughs", "xml",
             _camt(booked, opening, opening + sum(amounts),
                   doctype='<!DOCTYPE Document [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n').encode(),
             {"error": "line 2: the XML has a DOCTYPE"}),
    ]


# ---- CSV / Excel --------------------------------------------------------------------------------------

def _csv(rows: list[list[str]], sep=",") -> bytes:
    def quote(cell: str) -> str:
        return f'"{cell}"' if sep in cell or '"' in cell else cell
    return ("\n".join(sep.join(quote(c) for c in row) for row in rows) + "\n").encode("utf-8")


def table_cases(rng) -> list[Case]:
    cases = []
    amounts = [_money(rng, 1000, 9000) for _ in range(5)]
    total = str(sum(amounts))
    days = [f"{d:02d}.04.2026" for d in (3, 8, 14, 21, 29)]
    german = [["Buchungstag", "Verwendungszweck", "Auftraggeber/Empfänger", "Betrag", "Währung"]]
    german += [[d, f"RE-{rng.randint(10000, 99999)}", rng.choice(NAMES), ("-" if a < 0 else "") + _de(a), "EUR"]
               for d, a in zip(days, amounts)]
    cases.append(Case("german-semicolon-decimal-comma", "csv", _csv(german, ";"), {"count": 5, "sum": total}))

    swiss = [["Datum", "Text", "Betrag", "Saldo"]]
    balance = Decimal("25000.00")
    for d, a in zip(days, amounts):
        balance += a
        swiss.append([d, "Zahlung", f"{a:,.2f}".replace(",", "'"), f"{balance:,.2f}".replace(",", "'")])
    cases.append(Case("swiss-apostrophe-thousands", "csv", _csv(swiss, ";"), {"count": 5, "sum": total}))

    french = [["Date opération", "Libellé", "Montant"]]
    french += [[d.replace(".", "/"), "Virement", ("-" if a < 0 else "") + f"{abs(a):,.2f}".replace(",", "\u202f").replace(".", ",")]
               for d, a in zip(days, amounts)]
    cases.append(Case("french-narrow-space-thousands", "csv", _csv(french, ";"), {"count": 5, "sum": total}))

    whole = [Decimal(rng.randint(2, 9) * 1000 + rng.randint(1, 9) * 100) for _ in range(4)]
    ambiguous = [["Date", "Description", "Amount"]] + [[f"2026-04-{n + 10}", "transfer", f"{a / 1000:.3f}"]
                                                       for n, a in enumerate(whole)]
    cases.append(Case("every-amount-could-be-thousands", "csv", _csv(ambiguous),
                      {"error": r"column 'Amount' is ambiguous"}))

    mixed = [["Date", "Description", "Amount"], ["2026-04-02", "a", "1,234.56"], ["2026-04-03", "b", "2.345,67"],
             ["2026-04-04", "c", "12.00"]]
    cases.append(Case("one-column-two-conventions", "csv", _csv(mixed),
                      {"error": r"column 'Amount' writes numbers two ways"}))

    tail = [["Date", "Description", "Amount"]] + [[f"2026-04-{n + 10}", "sale", f"{a}"] for n, a in enumerate(amounts)]
    tail[3][2] = tail[3][2] + "x7"
    cases.append(Case("amount-with-trailing-junk", "csv", _csv(tail), {"error": r"row 4, column 'Amount'"}))

    grand = [["Posting Date", "Details", "Money in", "Money out"]]
    for n, a in enumerate(amounts):
        grand.append([f"2026-04-{n + 10}", f"ref {n}", f"{a}" if a > 0 else "", f"{-a}" if a < 0 else ""])
    grand += [["", "Grand Total:", f"{sum(a for a in amounts if a > 0)}", f"{-sum(a for a in amounts if a < 0)}"],
              ["", "", "", ""], ["*** End of Statement ***", "", "", ""]]
    cases.append(Case("grand-total-and-end-marker", "csv", _csv(grand), {"count": 5, "sum": total}))

    resumed = [row[:] for row in grand[:-2]] + [["2026-04-30", "late entry", "10.00", ""]]
    cases.append(Case("transactions-after-the-total-row", "csv", _csv(resumed),
                      {"error": r"row 8 looks like a transaction but comes after the summary row 7"}))

    chinese = [["中国某某银行 账户交易明细"], ["账号：6217 **** 0042"], [],
               ["序号", "交易日期", "摘要", "币别", "交易金额", "账户余额", "对方账号与户名"]]
    balance = Decimal("8000.00")
    for n, a in enumerate(amounts, 1):
        balance += a
        chinese.append([str(n), f"2026040{n}", "转账", "人民币", f"{a:,.2f}", f"{balance:,.2f}", rng.choice(NAMES)])
    chinese += [["", "", "本期合计", "", f"{sum(amounts):,.2f}", "", ""], ["以上交易明细仅供参考"]]
    cases.append(Case("chinese-bank-total-in-a-middle-column", "csv", _csv(chinese), {"count": 5, "sum": total}))

    gaps = [r[:] for r in chinese[:-2]]
    del gaps[6]  # a row missing: the running balance cannot follow
    cases.append(Case("running-balance-with-a-row-missing", "csv", _csv(gaps),
                      {"error": "running balance in column '账户余额' breaks at row 7", "unbalanced": True,
                       "allowed": {"count": 4, "sum": str(sum(amounts) - amounts[2])}}))

    newest_first = chinese[:4] + chinese[4:-2][::-1]
    cases.append(Case("running-balance-newest-first", "csv", _csv(newest_first), {"count": 5, "sum": total}))

    statuses = ["Completed", "Payment Failed", "Completed", "Closed by buyer", "Pending review", "Completed"]
    app = [["Date", "Name", "Type", "Status", "Currency", "Amount"]]
    kept = Decimal(0)
    for n, status in enumerate(statuses):
        a = _money(rng, 5, 300)
        kept += a if status == "Completed" else 0
        app.append([f"2026-04-{n + 10}", rng.choice(NAMES), "Payment", status, "USD", f"{a}"])
    cases.append(Case("payment-app-failed-closed-pending", "csv", _csv(app), {"count": 3, "sum": str(kept), "excluded": 3}))

    alipay_like = [["交易时间", "交易对方", "商品说明", "收/支", "金额", "交易状态"]]
    moves = [("支出", "交易成功"), ("收入", "交易成功"), ("不计收支", "交易成功"), ("支出", "交易已关闭"),
             ("支出", "交易成功"), ("不计收支", "退款成功")]
    kept = Decimal(0)
    for n, (way, status) in enumerate(moves):
        a = _money(rng, 5, 800, signed=False)
        if status == "交易成功" and way != "不计收支":
            kept += a if way == "收入" else -a
        alipay_like.append([f"2026-04-{n + 10} 12:0{n}:00", rng.choice(NAMES), "商品", way, f"{a}", status])
    cases.append(Case("wallet-neither-income-nor-expense", "csv", _csv(alipay_like),
                      {"count": 3, "sum": str(kept), "excluded": 3}))

    charges = [["id", "Created (UTC)", "Amount", "Amount Refunded", "Currency", "Status", "Description"]]
    kept = Decimal(0)
    for n in range(5):
        a = _money(rng, 20, 500, signed=False)
        refunded = a if n in (1, 3) else (Decimal("0.00"))
        kept += a - refunded if refunded == a else a
        charges.append([f"ch_{n:04d}", f"2026-04-{n + 10} 09:30", f"{a}", f"{refunded}", "usd", "Paid", f"order {n}"])
    cases.append(Case("charges-refunded-in-full", "csv", _csv(charges), {"count": 3, "sum": str(kept), "excluded": 2}))

    settle = [["Date", "Description", "Gross", "Fee", "Net", "Currency"]]
    gross_total = Decimal(0)
    lines = 0
    for n in range(4):
        g = _money(rng, 50, 900, signed=False)
        f = (g * Decimal("0.029") + Decimal("0.30")).quantize(CENT)
        settle.append([f"2026-04-{n + 10}", f"charge {n}", f"{g}", f"{f}", f"{g - f}", "EUR"])
        gross_total += g - f
        lines += 2
    cases.append(Case("settlement-positive-fees", "csv", _csv(settle), {"count": lines, "sum": str(gross_total)}))
    broken = [r[:] for r in settle]
    broken[2][4] = str(Decimal(broken[2][4]) + Decimal("1.00"))
    cases.append(Case("settlement-net-does-not-follow", "csv", _csv(broken),
                      {"error": r"row 3: gross .* and fee .* do not give the net", "unbalanced": True,
                       "allowed": {"count": lines, "sum": str(gross_total + Decimal("1.00"))}}))

    orders = [["Date", "Memo", "Amount"], ["13/04/2026", "x", "1.00"], ["04/14/2026", "y", "2.00"]]
    cases.append(Case("dates-both-ways-round", "csv", _csv(orders), {"error": r"column 'Date' writes dates both day-first"}))

    hole = [["Date", "Memo", "Amount"], ["2026-04-02", "x", "1.00"], ["", "y", "2.00"], ["2026-04-04", "z", "3.00"]]
    cases.append(Case("undated-row-in-the-middle", "csv", _csv(hole), {"error": r"row 3, column 'Date': the date is empty"}))
    return cases


def xlsx_case(rng) -> Case:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Account statement April 2026"])
    sheet.append([])
    sheet.append(["Value date", "Narrative", "Amount", "Balance"])
    balance = Decimal("1500.00")
    amounts = [_money(rng, 10, 600) for _ in range(4)]
    from datetime import date

    for n, a in enumerate(amounts):
        balance += a
        sheet.append([date(2026, 4, n + 6), f"item {n}", float(a), float(balance)])
    sheet.append(["TOTALS", None, float(sum(amounts)), None])
    buffer = io.BytesIO()
    book.save(buffer)
    return Case("workbook-with-totals-row", "xlsx", buffer.getvalue(), {"count": 4, "sum": str(sum(amounts))})


def build(seed: int = 20260401) -> list[Case]:
    rng = random.Random(seed)
    builders: list[Callable] = [mt940_cases, ofx_cases, camt_cases, table_cases]
    cases = [c for make in builders for c in make(rng)]
    cases.append(xlsx_case(rng))
    return cases


def write(folder: str | Path, seed: int = 20260401) -> list[dict]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = []
    for case in build(seed):
        path = folder / f"{case.name}.{case.ext}"
        path.write_bytes(case.content)
        manifest.append({"file": path.name, **case.expect})
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=20260401)
    args = parser.parse_args()
    print(f"{len(write(args.out, args.seed))} cases written to {args.out}")
