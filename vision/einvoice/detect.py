"""Which e-invoice a file is, and its data: XML files, PDFs with an attached XML, OFD files.

    kind = sniff_einvoice(path)        # "xml" | "ofd" | "pdf" (a PDF to check for attachments) | None
    inv = read_xml_file(path)          # EInvoice, or RefusedXml / UnreadableDocument
    found = pdf_einvoice(path)         # PdfEInvoice(invoice, attachment, problems) or None

PDF attachments are listed with pypdf (already a dependency; it returns the embedded files'
bytes without interpreting them), and every attached ``.xml`` is tried — the Factur-X /
ZUGFeRD / XRechnung names first — so an attached delivery note or picture is ignored and a
hostile attachment is refused and reported, never parsed with entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vision.einvoice.chinese import is_chinese, read_chinese
from vision.einvoice.cii import is_cii, read_cii
from vision.einvoice.fatturapa import is_fatturapa, read_fatturapa
from vision.einvoice.model import EInvoice
from vision.einvoice.ofd import is_ofd
from vision.einvoice.safexml import local, looks_like_xml, parse_xml, MAX_XML_BYTES
from vision.einvoice.ubl import is_ubl, read_ubl
from vision.errors import RefusedXml, UnreadableDocument

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
    return None


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
    from pypdf.errors import PdfReadError

    path = Path(path)
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            return None  # the reader reports the password; an attachment cannot be trusted without it
        attachments = reader.attachments
        names = [n for n in attachments if str(n).lower().endswith(".xml")]
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged PDF: the page reader names the problem
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
        except RefusedXml as exc:
            problems.append(str(exc))
    return PdfEInvoice(None, None, problems)
