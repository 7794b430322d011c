"""Find elements by local names ('A/B/C'), whatever namespace prefix or version the sender used."""

from __future__ import annotations

import threading

from lxml import etree

_LOCAL = threading.local()  # compiled XPath objects are not shared between threads (the intake reads in threads)


def _compiled(path: str) -> etree.XPath:
    cache = _LOCAL.__dict__.setdefault("cache", {})
    if path not in cache:
        cache[path] = _compile(path)
    return cache[path]


def _compile(path: str) -> etree.XPath:
    return etree.XPath("/".join(f"*[local-name()='{step}']" for step in path.split("/")))


def find_all(el, path: str) -> list:
    return list(_compiled(path)(el)) if el is not None else []


def find(el, path: str):
    found = find_all(el, path)
    return found[0] if found else None


def text(el, path: str) -> str | None:
    node = find(el, path)
    return node.text if node is not None else None


def where(el, path: str) -> str:
    """'Element/Path (line N)' for error messages."""
    node = find(el, path)
    line = f" (line {node.sourceline})" if node is not None and node.sourceline else ""
    return f"{path.rsplit('/', 1)[-1]}{line}"


def amount(el, path: str, currency: str | None):
    """A header amount; when it is given twice (invoice and accounting currency, EN 16931 BT-110 /
    BT-111) the one in the invoice currency or without a currency."""
    from vision.einvoice.model import money

    nodes = find_all(el, path)
    if not nodes:
        return None
    chosen = next((n for n in nodes if n.get("currencyID") in (None, currency)), nodes[0])
    return money(chosen.text, f"{path.rsplit('/', 1)[-1]} (line {chosen.sourceline})")


def tax_row(el, category: str, rate: str, basis: str, tax: str, exemption: str) -> dict:
    """One row of a tax breakdown, each value found at its path below ``el``."""
    from vision.einvoice.model import clean, money

    return {"category": clean(text(el, category)), "rate": money(text(el, rate), where(el, rate)),
            "basis": money(text(el, basis), where(el, basis)), "amount": money(text(el, tax), where(el, tax)),
            "exemption": clean(text(el, exemption))}
