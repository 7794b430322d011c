"""Parse XML that came from outside: no DTD, no entities, no network, no huge trees.

    from vision.einvoice.safexml import parse_xml
    root = parse_xml(data, "invoice.xml")     # lxml element, or RefusedXml naming the problem

An e-invoice never needs a document type declaration, so any ``<!DOCTYPE`` (the carrier of
XXE, billion laughs and external DTD fetches) is refused outright instead of being parsed
"safely". lxml is told the same thing twice (``resolve_entities=False``, ``load_dtd=False``,
``no_network=True``, ``huge_tree=False``) so a declaration that slipped past the byte scan
(another encoding) still resolves nothing, and is then refused from ``docinfo``.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from vision.errors import RefusedXml

MAX_XML_BYTES = 50 * 1024 * 1024  # the largest e-invoice with line detail is a few MB

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                       huge_tree=False, remove_comments=True, remove_pis=True, collect_ids=False)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def _parser() -> etree.XMLParser:
    # a fresh parser per document: lxml parsers keep state and are not thread-safe
    return etree.XMLParser(**_PARSER_OPTIONS)


def _as_utf8(data: bytes) -> bytes:
    """The bytes re-encoded as UTF-8 when they carry a UTF-16/32 byte-order mark, so the
    declaration scan sees every document the same way."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                return data
    return data


def looks_like_xml(data: bytes) -> bool:
    head = _as_utf8(data[:4096]).lstrip(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"<")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root element of ``data``; ``RefusedXml`` (message names ``name`` and the problem)
    for a DOCTYPE or entity declaration, an oversized file, or XML that is not well-formed."""
    if len(data) > MAX_XML_BYTES:
        raise RefusedXml(f"{name}: the XML is {len(data) // (1024 * 1024)} MB, more than the "
                         f"{MAX_XML_BYTES // (1024 * 1024)} MB an e-invoice can be; refused")
    if _DECLARATION.search(_as_utf8(data)):
        raise RefusedXml(f"{name}: the XML declares a DOCTYPE or entities (a way to read local files or exhaust "
                         "memory: XXE, 'billion laughs'); e-invoices never need one, so it was refused. "
                         "Ask the sender for the invoice as plain EN 16931 / UBL / CII XML")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = f" at line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise RefusedXml(f"{name}: not well-formed XML{line} ({exc.msg}); the file is damaged or cut off: "
                         "ask the sender for it again") from None
    except ValueError as exc:  # e.g. an encoding lxml does not know
        raise RefusedXml(f"{name}: cannot be read as XML ({exc})") from None
    if root is None:
        raise RefusedXml(f"{name}: the XML is empty")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise RefusedXml(f"{name}: the XML declares a DOCTYPE; e-invoices never need one, so it was refused")
    return root


def local(tag: object) -> str:
    """'{namespace}Name' -> 'Name' (comments and entities have no string tag)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
