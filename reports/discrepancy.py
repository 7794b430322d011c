"""The discrepancy report operators act on: an Excel workbook and a self-contained HTML page.

    from reports.discrepancy import report_tables, write_discrepancy_workbook, write_discrepancy_html
    tables = report_tables(result)                     # result: reconcile.engine.Result
    write_discrepancy_workbook(tables, "out/discrepancies.xlsx")
    write_discrepancy_html(tables, "out/discrepancies.html", title="2026-10 bank reconciliation")

Workbook sheets: Summary (period, counts, totals, match rate), Matched (rule, score and the
one-line explanation), Unmatched bank, Unmatched ledger, Differences (matched with a
difference, highlighted), Suggestions (each with the line to paste into the decisions file),
Duplicates, Excluded rows (statement rows that move no money, each with the rule's reason).
Headers are frozen and filtered, widths fitted, money and dates formatted, and
every text cell is written so Excel never runs it as a formula (``sheets.writer``).

The HTML page needs nothing but itself (inline CSS and an inline SVG chart; no scripts, no
links out), so it opens from an email attachment; every value is HTML-escaped.
"""

from __future__ import annotations

import html
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

#: the Matched sheet is capped: beyond this the full list is matches.csv
MATCHED_SHEET_LIMIT = 200_000
HTML_ROWS = 500


def _money(cents) -> list[Decimal]:
    return [Decimal(int(c)).scaleb(-2) for c in cents]


def _cents(frame: pd.DataFrame) -> np.ndarray:
    from reconcile.lines import to_cents

    return frame["cents"].to_numpy(np.int64) if "cents" in frame else to_cents(frame["amount"])


def _dates(series: pd.Series) -> list:
    return [d.date() if not pd.isna(d) else None for d in pd.to_datetime(series)]


def _lines(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "id": frame["id"].astype(str).to_numpy(), "date": _dates(frame["date"]), "amount": _money(_cents(frame)),
        "currency": frame["currency"].to_numpy(), "description": frame["description"].to_numpy(),
        "reference": frame["reference"].to_numpy(), "counterparty": frame["counterparty"].to_numpy()})


def report_tables(result, *, title: str = "Bank reconciliation") -> dict[str, pd.DataFrame]:
    """The report's tables (sheet name -> DataFrame), shared by the workbook and the HTML page."""
    bank, ledger, m = result.bank, result.ledger, result.matches
    bc, lc = _cents(bank), _cents(ledger)
    shown = m.iloc[:MATCHED_SHEET_LIMIT]
    b, l = shown["bank_row"].to_numpy(np.int64), shown["ledger_row"].to_numpy(np.int64)
    matched = pd.DataFrame({
        "group": shown["group"].to_numpy(), "rule": shown["rule"].to_numpy(), "score": shown["score"].to_numpy(),
        "bank_id": shown["bank_id"].to_numpy(), "bank_date": _dates(bank["date"].iloc[b]),
        "bank_amount": _money(bc[b]), "ledger_id": shown["ledger_id"].to_numpy(),
        "ledger_date": _dates(ledger["date"].iloc[l]), "ledger_amount": _money(lc[l]),
        "difference": _money(shown["difference_cents"].to_numpy()), "explanation": shown["explanation"].to_numpy(),
        "bank_text": (bank["counterparty"].iloc[b].astype(str) + " " + bank["description"].iloc[b].astype(str)).str.strip().to_numpy(),
        "ledger_text": (ledger["reference"].iloc[l].astype(str) + " " + ledger["counterparty"].iloc[l].astype(str)).str.strip().to_numpy(),
    })
    diff_rows = m[m["difference_cents"] != 0]
    groups = m[m["group"].isin(diff_rows["group"])]
    differences = pd.DataFrame({
        "group": diff_rows["group"].to_numpy(), "rule": diff_rows["rule"].to_numpy(),
        "bank_ids": groups.groupby("group", sort=False)["bank_id"].agg(lambda s: " | ".join(dict.fromkeys(s))).reindex(diff_rows["group"]).to_numpy(),
        "ledger_ids": groups.groupby("group", sort=False)["ledger_id"].agg(lambda s: " | ".join(dict.fromkeys(s))).reindex(diff_rows["group"]).to_numpy(),
        "difference": _money(diff_rows["difference_cents"].to_numpy()), "explanation": diff_rows["explanation"].to_numpy(),
    })
    s = result.suggestions
    sb, sl = s["bank_row"].to_numpy(np.int64), s["ledger_row"].to_numpy(np.int64)
    suggestions = pd.DataFrame({
        "bank_id": s["bank_id"].to_numpy(), "bank_date": _dates(bank["date"].iloc[sb]), "bank_amount": _money(bc[sb]),
        "bank_text": (bank["counterparty"].iloc[sb].astype(str) + " " + bank["description"].iloc[sb].astype(str)).str.strip().to_numpy(),
        "ledger_id": s["ledger_id"].to_numpy(), "ledger_date": _dates(ledger["date"].iloc[sl]),
        "ledger_amount": _money(lc[sl]),
        "ledger_text": (ledger["reference"].iloc[sl].astype(str) + " " + ledger["counterparty"].iloc[sl].astype(str)).str.strip().to_numpy(),
        "rule": s["rule"].to_numpy(), "score": s["score"].to_numpy(), "reason": s["reason"].to_numpy(),
        "to_confirm": ("confirm," + s["bank_id"].astype(str) + "," + s["ledger_id"].astype(str)).to_numpy(),
    })
    summary = result.summary
    totals = summary["totals"]
    period = summary["period"]
    rows = [
        ("Report", title), ("Period from", period["from"] or ""), ("Period to", period["to"] or ""),
        ("Bank lines", summary["bank_lines"]), ("Ledger lines", summary["ledger_lines"]),
        ("Matched bank lines", summary["matched_bank"]), ("Matched ledger lines", summary["matched_ledger"]),
        ("Match rate (bank)", f"{summary['match_rate'] * 100:.2f}%"),
        ("Unmatched bank lines", summary["unmatched_bank"]), ("Unmatched ledger lines", summary["unmatched_ledger"]),
        ("Matched with a difference", summary["differences"]), ("Suggestions to decide", summary["suggestions"]),
        ("Duplicates set aside", summary["duplicates"]),
        ("Bank total", Decimal(totals["bank"])), ("Ledger total", Decimal(totals["ledger"])),
        ("Unmatched bank total", Decimal(totals["unmatched_bank"])),
        ("Unmatched ledger total", Decimal(totals["unmatched_ledger"])),
        ("Differences total", Decimal(totals["differences"])),
    ]
    rows += [(f"Matches by rule: {rule}", count) for rule, count in summary["by_rule"].items()]
    if len(m) > MATCHED_SHEET_LIMIT:
        rows.append(("Note", f"Matched sheet shows the first {MATCHED_SHEET_LIMIT:,} of {len(m):,} rows; all are in matches.csv"))
    excluded = excluded_rows(summary)
    if len(excluded):
        rows.append(("Statement rows excluded (not money)", len(excluded)))
    rows += [("Warning", w) for w in summary.get("warnings", [])]
    summary_table = pd.DataFrame({"item": [r[0] for r in rows], "value": [r[1] for r in rows]})
    summary_table["value"] = summary_table["value"].astype(object)
    return {
        "Summary": summary_table, "Matched": matched,
        "Unmatched bank": _lines(result.unmatched_bank), "Unmatched ledger": _lines(result.unmatched_ledger),
        "Differences": differences, "Suggestions": suggestions,
        "Duplicates": result.duplicates[["side", "id", "reason"]].copy(),
        "Excluded rows": excluded,
    }


EXCLUDED_COLUMNS = ["file", "where", "date", "amount", "currency", "counterparty", "description", "reason"]


def excluded_rows(summary: dict) -> pd.DataFrame:
    """Rows the statement readers left out as not money, with their reasons (one table)."""
    rows = [{"file": Path(s["file"]).name, **e, "amount": Decimal(e["amount"]) if e.get("amount") else None}
            for s in summary.get("statements", []) for e in s.get("excluded", [])]
    frame = pd.DataFrame(rows, columns=EXCLUDED_COLUMNS) if rows else pd.DataFrame(columns=EXCLUDED_COLUMNS)
    return frame[EXCLUDED_COLUMNS].astype(object)


def write_discrepancy_workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    from sheets.writer import write_workbook

    path = Path(path)
    write_workbook(path, tables)
    _highlight_differences(path, tables)
    return path


_AMBER_DXF = ('<dxf><fill><patternFill patternType="solid"><fgColor rgb="FFFFE699"/><bgColor rgb="FFFFE699"/>'
              '</patternFill></fill></dxf>')


def _highlight_differences(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Rows whose difference is not zero in amber, as a conditional format (survives sorting).

    The workbook is written in streaming mode, which cannot hold conditional formats, and
    re-opening a large workbook with openpyxl is slow; so the two small XML parts involved
    (the sheet's tail and the styles' differential formats) are edited in the zip directly.
    """
    import re
    import zipfile

    from openpyxl.utils import get_column_letter

    targets = {}
    for index, name in enumerate(tables):
        frame = tables[name]
        if name in ("Matched", "Differences") and len(frame) and "difference" in frame.columns:
            letter = get_column_letter(frame.columns.get_loc("difference") + 1)
            last = get_column_letter(len(frame.columns))
            targets[f"xl/worksheets/sheet{index + 1}.xml"] = (
                f'<conditionalFormatting sqref="A2:{last}{len(frame) + 1}"><cfRule type="expression" dxfId="0" '
                f'priority="1"><formula>${letter}2&lt;&gt;0</formula></cfRule></conditionalFormatting>').encode()
    if not targets:
        return
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename in targets:
                    cut = data.rfind(b"<pageMargins")
                    cut = cut if cut >= 0 else data.rfind(b"</worksheet>")
                    data = data[:cut] + targets[item.filename] + data[cut:]
                elif item.filename == "xl/styles.xml":
                    text = data.decode("utf-8")
                    if re.search(r"<dxfs[^>]*/>", text):
                        text = re.sub(r"<dxfs[^>]*/>", f'<dxfs count="1">{_AMBER_DXF}</dxfs>', text, count=1)
                    elif "<dxfs" in text:
                        text = re.sub(r"<dxfs[^>]*>", lambda m: f'<dxfs count="1">{_AMBER_DXF}', text, count=1)
                        text = re.sub(r"(<dxfs count=\"1\">" + re.escape(_AMBER_DXF) + r")(.*?)</dxfs>",
                                      lambda m: m.group(1) + "</dxfs>", text, count=1, flags=re.S)
                    else:
                        text = text.replace("<tableStyles", f'<dxfs count="1">{_AMBER_DXF}</dxfs><tableStyles', 1) \
                            if "<tableStyles" in text else text.replace("</styleSheet>", f'<dxfs count="1">{_AMBER_DXF}</dxfs></styleSheet>')
                    data = text.encode("utf-8")
                target.writestr(item, data)
        _readable(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _readable(path: str | Path) -> None:
    """mkstemp makes owner-only files; outputs are for the operators too (umask decides)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


# ---- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1f2328}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.diff td{background:#fff4cc}
.note{color:#57606a;font-size:12px}
.kpi{display:inline-block;margin:0 18px 8px 0}.kpi b{display:block;font-size:20px}
"""


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "<td></td>"
    if isinstance(value, (Decimal, int, float, np.integer, np.floating)) and not isinstance(value, bool):
        text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
        return f'<td class="num">{html.escape(text)}</td>'
    return f"<td>{html.escape(str(value))}</td>"


def _table(frame: pd.DataFrame, highlight: str | None = None) -> str:
    if not len(frame):
        return '<p class="note">None.</p>'
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.head(HTML_ROWS).itertuples(index=False):
        cls = ""
        if highlight is not None:
            value = getattr(row, highlight, 0)
            cls = ' class="diff"' if value not in (0, None) and value != Decimal(0) else ""
        body.append(f"<tr{cls}>" + "".join(_cell(v) for v in row) + "</tr>")
    more = f'<p class="note">First {HTML_ROWS} of {len(frame):,} rows; the workbook has them all.</p>' if len(frame) > HTML_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _chart(summary: dict) -> str:
    """Horizontal bars: matches by rule, then the open items on each side."""
    bars = [(f"matched: {rule}", count, "#2da44e") for rule, count in summary["by_rule"].items()]
    bars += [("unmatched bank", summary["unmatched_bank"], "#cf222e"),
             ("unmatched ledger", summary["unmatched_ledger"], "#bf8700"),
             ("suggestions", summary["suggestions"], "#8250df"), ("duplicates", summary["duplicates"], "#57606a")]
    top = max([c for _, c, _ in bars] + [1])
    height = 22 * len(bars) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{height}" role="img" aria-label="summary chart">']
    for i, (label, count, color) in enumerate(bars):
        y = 5 + i * 22
        width = max(int(380 * count / top), 2) if count else 0  # a small count stays visible
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{html.escape(label)}</text>'
                     f'<rect x="170" y="{y}" width="{width}" height="16" fill="{color}"/>'
                     f'<text x="{176 + width}" y="{y + 13}" font-size="12">{count:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_discrepancy_html(tables: dict[str, pd.DataFrame], summary: dict, path: str | Path,
                           title: str = "Bank reconciliation") -> Path:
    path = Path(path)
    s = summary
    kpis = "".join(f'<span class="kpi"><b>{html.escape(str(v))}</b>{html.escape(k)}</span>' for k, v in [
        ("match rate", f"{s['match_rate'] * 100:.2f}%"), ("unmatched bank", s["unmatched_bank"]),
        ("unmatched ledger", s["unmatched_ledger"]), ("differences", s["differences"]),
        ("suggestions", s["suggestions"]), ("duplicates", s["duplicates"])])
    period = f"{s['period']['from']} to {s['period']['to']}" if s["period"]["from"] else "no bank lines"
    def biggest_first(frame: pd.DataFrame) -> pd.DataFrame:
        # the page shows the first rows only: those should be the ones that matter most
        if not len(frame):
            return frame
        return frame.iloc[np.argsort([-abs(a) for a in frame["amount"]], kind="stable")]

    sections = [
        ("Unmatched bank lines (largest first)", _table(biggest_first(tables["Unmatched bank"]))),
        ("Unmatched ledger lines (largest first)", _table(biggest_first(tables["Unmatched ledger"]))),
        ("Matched with a difference", _table(tables["Differences"], highlight="difference")),
        ("Suggestions (decide in decisions.csv)", _table(tables["Suggestions"])),
        ("Duplicates set aside", _table(tables["Duplicates"])),
        ("Statement rows excluded (not money movements)", _table(tables.get("Excluded rows", pd.DataFrame()))),
        ("Summary", _table(tables["Summary"])),
    ]
    warnings = "".join(f'<p class="note">Warning: {html.escape(w)}</p>' for w in s.get("warnings", []))
    body = "".join(f"<h2>{html.escape(h)}</h2>{t}" for h, t in sections)
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>Period {html.escape(period)}: {s['bank_lines']:,} bank lines, "
            f"{s['ledger_lines']:,} ledger lines.</p>{kpis}{_chart(s)}{warnings}{body}</body></html>")
    _write_text(path, page)
    return path


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        _readable(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
