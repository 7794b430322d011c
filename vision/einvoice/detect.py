"""Which e-invoice a file is, and its data: XML files, PDFs with an attached XML, OFD files.

    kind = sniff_einvoice(path)        # "xml" | "p7m" | "ofd" | "pdf" (a PDF to check for attachments) | None
    inv = read_xml_file(path)          # EInvoice, or RefusedXml / UnreadableDocument
    found = pdf_einvoice(path)         # PdfEInvoice(invoice, attachment, problems) or None

PDF attachments are listed with pypdf (already a dependency; it returns the embedded files'
bytes without interpreting them), and every attached ``.xml`` is tried — the Factur-X /
ZUGFeRD / XRechnung names first — so an attached delivery note or picture is ignored and a
hostile attachment is refused and reported, never parsed with entities.

A signed FatturaPA (``.xml.p7m``, CAdES: a PKCS#7 envelope holding the XML, DER or base64) is
opened with asn1crypto and the XML inside read like any other; the signature itself is not
verified (the SdI did that when it accepted the invoice).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path

from vision.einvoice.chinese import is_chinese, read_chinese
from vision.einvoice.cii import is_cii, read_cii
from vision.einvoice.fatturapa import is_fatturapa, read_fatturapa
from vision.einvoice.model import EInvoice
from vision.einvoice.ofd import is_ofd
from vision.einvoice.safexml import local, looks_like_xml, parse_xml, MAX_XML_BYTES
from vision.einvoice.ubl import is_ubl, read_ubl
from vision.errors import RefusedXml, UnreadableDocument, VisionError

#: attachment names the standards prescribe, tried first
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "zugferd_invoice.xml", "xrechnung.xml", "order-x.xml")

READERS = [  # (is it?, read it)
    (is_cii, read_cii),
    (is_ubl, read_ubl),
    (is_fatturapa, read_fatturapa),
    (is_chinese, read_chinese),
]


def read_xml_root(root, origin: str) -> EInvoice | None:
    """The e-invoice an XML root holds, or None when it is some other XML."""
    for test, read in READERS:
        if test(root):
            return read(root, origin)
    return None


def _head(path: Path, size: int = 4096) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise UnreadableDocument(f"{path.name}: cannot open ({exc.strerror})") from None


#: the object identifier of PKCS#7 / CMS signedData (1.2.840.113549.1.7.2), DER-encoded
SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")


def _signed_der(data: bytes) -> bytes | None:
    """The DER of a PKCS#7 signed envelope, from DER or its base64 text; None when it is not one."""
    if data[:1] == b"\x30" and SIGNED_DATA_OID in data[:32]:
        return data
    if data.lstrip()[:2] == b"MI":  # base64 of a DER SEQUENCE
        try:
            der = base64.b64decode(b"".join(data.split()), validate=True)
        except (binascii.Error, ValueError):
            return None
        return der if der[:1] == b"\x30" and SIGNED_DATA_OID in der[:32] else None
    return None


def sniff_einvoice(path: str | Path) -> str | None:
    path = Path(path)
    head = _head(path)
    if not head:
        return None
    if head.lstrip()[:4] == b"%PDF":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "ofd" if is_ofd(path) else None
    if looks_like_xml(head):
        return "xml"
    if _signed_der(head) is not None or (head.lstrip()[:2] == b"MI" and _signed_der(_head(path, 8192)) is not None):
        return "p7m"
    return None


def signed_content(path: str | Path) -> bytes:
    """The document inside a signed envelope (FatturaPA .p7m)."""
    from asn1crypto import cms

    path = Path(path)
    if path.stat().st_size > MAX_XML_BYTES:
        raise RefusedXml(f"{path.name}: more than {MAX_XML_BYTES // 2**20} MB; refused")
    der = _signed_der(path.read_bytes())
    try:
        info = cms.ContentInfo.load(der)
        content = info["content"]["encap_content_info"]["content"].native
    except Exception as exc:  # asn1crypto raises ValueError, TypeError, KeyError … on damaged DER
        raise UnreadableDocument(f"{path.name}: the signed envelope (.p7m) is damaged ({type(exc).__name__}); "
                                 "ask the sender for the invoice again") from None
    if not content:
        raise UnreadableDocument(f"{path.name}: the signed envelope (.p7m) holds no document (a detached "
                                 "signature); send the invoice XML itself")
    return content


def read_signed_file(path: str | Path) -> EInvoice:
    path = Path(path)
    label = f"{path.name} › signed content"
    root = parse_xml(signed_content(path), label)
    inv = read_xml_root(root, label)
    if inv is None:
        raise UnreadableDocument(f"{path.name}: a signed file, but the document inside is no e-invoice deskbot reads "
                                 f"(root element <{local(root.tag)}>)")
    inv.format += " (signed .p7m; signature not verified)"
    return inv


def read_xml_file(path: str | Path) -> EInvoice:
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_XML_BYTES:
        raise RefusedXml(f"{path.name}: {size // 2**20} MB is more than an e-invoice can be; refused")
    root = parse_xml(path.read_bytes(), path.name)
    inv = read_xml_root(root, path.name)
    if inv is None:
        raise UnreadableDocument(
            f"{path.name}: an XML file, but not an e-invoice deskbot reads (root element <{local(root.tag)}>); "
            "supported: Factur-X/ZUGFeRD/XRechnung CII, UBL Invoice/CreditNote (XRechnung, Peppol BIS), "
            "FatturaPA, Chinese e-invoice XML/XBRL")
    return inv


@dataclass
class PdfEInvoice:
    invoice: EInvoice | None
    attachment: str | None
    problems: list[str] = field(default_factory=list)  # attachments that were refused, and why


def pdf_einvoice(path: str | Path) -> PdfEInvoice | None:
    """The e-invoice attached to a PDF (PDF/A-3), None when nothing XML is attached."""
    import pypdf

    path = Path(path)
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None  # a real password: the page reader says so; nothing attached can be read without it
        attachments = reader.attachments
        names = [n for n in attachments if str(n).lower().endswith(".xml")]
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged file; the page reader names the damage
        return None
    if not names:
        return None
    names.sort(key=lambda n: (n.lower() not in KNOWN_NAMES, n))
    problems = []
    for name in names:
        label = f"{path.name} › {name}"
        try:
            for data in attachments[name]:
                inv = read_xml_root(parse_xml(data, label), label)
                if inv is not None:
                    return PdfEInvoice(inv, name, problems)
        except VisionError as exc:  # refused or not an invoice we can read: said, never silently skipped
            problems.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - a damaged embedded stream
            problems.append(f"{label}: the attachment cannot be read ({type(exc).__name__}); the PDF is damaged")
    return PdfEInvoice(None, None, problems)
