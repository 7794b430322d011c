"""OFD (GB/T 33190, China's fixed-layout format): a zip of XML parts.

What an OFD invoice offers, most trusted first:

1. an attached invoice file (``Attachs/Attachments.xml`` → ``original_invoice.xml`` or an
   XBRL instance): the data the tax system issued;
2. the invoice tags (``Tags/CustomTags.xml`` → ``CustomTag.xml``): element names such as
   ``InvoiceNo`` or ``TaxInclusiveTotalAmount`` pointing at text objects on the page;
3. the document info (``OFD.xml`` ``CustomData Name="发票号码"`` …), as some issuers write it;
4. the page text itself (text objects of the pages and their templates, with positions), which
   ``vision.fields`` reads like a PDF text layer.

The zip is read in memory with limits (parts, sizes) so a zip bomb is refused, not unpacked.
"""

from __future__ import annotations

import posixpath

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from vision.document import Document, Page, Word
from vision.einvoice.chinese import read_chinese
from vision.einvoice.model import EInvoice, clean
from vision.einvoice.safexml import local, parse_xml
from vision.einvoice.xpath import find_all, text
from vision.errors import RefusedXml, UnreadableDocument

MAX_PARTS = 5000
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024

#: OFD.xml CustomData names -> fields
INFO_NAMES = {"发票号码": "invoice_number", "发票代码": "invoice_code", "开票日期": "date", "销售方名称": "issuer",
              "销售方纳税人识别号": "seller_tax_id", "购买方名称": "buyer", "价税合计": "amount",
              "合计金额": "amount_untaxed", "合计税额": "vat"}


def is_ofd(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return False
        with zipfile.ZipFile(path) as z:
            return "OFD.xml" in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


@dataclass
class OfdContent:
    path: str
    document: Document
    structured: list[EInvoice] = field(default_factory=list)  # most trusted first
    problems: list[str] = field(default_factory=list)  # attachments refused, with why


class _Package:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnreadableDocument(f"{self.name}: not a readable OFD file ({exc}); ask the sender for it again") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise RefusedXml(f"{self.name}: the OFD unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB or "
                             f"{MAX_PARTS} parts (a zip bomb?); refused")
        self.names = {i.filename.lstrip("/"): i for i in infos}

    def read(self, part: str) -> bytes | None:
        info = self.names.get(part.lstrip("/"))
        if info is None:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise RefusedXml(f"{self.name}: part {part} is larger than {MAX_PART_BYTES // 2**20} MB; refused")
        with self.zip.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            raise RefusedXml(f"{self.name}: part {part} is larger than its header says; refused")
        return data

    def xml(self, part: str):
        data = self.read(part)
        return parse_xml(data, f"{self.name} › {part}") if data is not None else None


def _join(base_dir: str, loc: str | None) -> str | None:
    if not loc:
        return None
    loc = loc.strip()
    return posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc))


def _deltas(spec: str | None) -> list[float]:
    """OFD DeltaX: numbers, with 'g N d' meaning N times d."""
    out: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                out.extend([float(tokens[i + 2])] * int(tokens[i + 1]))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _floats(spec: str | None) -> list[float]:
    try:
        return [float(x) for x in (spec or "").split()]
    except ValueError:
        return []


def _text_objects(root) -> list[tuple[str, Word]]:
    """(object ID, word) for each text object of a page or template, in page millimetres."""
    out = []
    for obj in root.iter():
        if local(obj.tag) != "TextObject":
            continue
        box = _floats(obj.get("Boundary"))
        if len(box) != 4:
            continue
        bx, by, bw, _ = box
        size = (_floats(obj.get("Size")) or [3.0])[0]
        for code in obj:
            if local(code.tag) != "TextCode" or not (code.text or "").strip():
                continue
            x = (_floats(code.get("X")) or [0.0])[0]
            y = (_floats(code.get("Y")) or [size])[0]
            content = code.text
            advance = sum(_deltas(code.get("DeltaX"))[: max(len(content) - 1, 0)]) + size
            x0 = bx + x if bw >= 0 else bx + bw + x  # right-aligned objects are given negative widths
            out.append((obj.get("ID") or "", Word(content.strip(), x0, by + y - size, x0 + advance, by + y)))
    return out


def read_ofd(path: str | Path) -> OfdContent:
    path = Path(path)
    pkg = _Package(path)
    with pkg.zip:
        entry = pkg.xml("OFD.xml")
        if entry is None:
            raise UnreadableDocument(f"{pkg.name}: no OFD.xml inside: not an OFD file")
        doc_root = _join("", text(entry, "DocBody/DocRoot"))
        document = pkg.xml(doc_root) if doc_root else None
        if document is None:
            raise UnreadableDocument(f"{pkg.name}: OFD.xml names no document ({doc_root}); the file is damaged")
        base = posixpath.dirname(doc_root)
        content = OfdContent(str(path), Document(str(path), [], "ofd"))

        templates = {t.get("ID"): _join(base, t.get("BaseLoc")) for t in find_all(document, "CommonData/TemplatePage")}
        objects: dict[str, str] = {}
        for number, page in enumerate(find_all(document, "Pages/Page"), start=1):
            page_xml = pkg.xml(_join(base, page.get("BaseLoc")) or "")
            if page_xml is None:
                continue
            words: list[Word] = []
            for ref in find_all(page_xml, "Template"):
                loc = templates.get(ref.get("TemplateID"))
                tpl = pkg.xml(loc) if loc else None
                for obj_id, word in _text_objects(tpl) if tpl is not None else []:
                    words.append(word)  # labels live on the template; a tag may point at them too
                    objects[obj_id] = objects.get(obj_id, "") + word.text
            for obj_id, word in _text_objects(page_xml):
                words.append(word)
                objects[obj_id] = objects.get(obj_id, "") + word.text
            box = _floats(text(page_xml, "Area/PhysicalBox")) or _floats(text(document, "CommonData/PageArea/PhysicalBox"))
            width, height = (box[2], box[3]) if len(box) == 4 else (210.0, 297.0)
            words = [Word(w.text, w.x0, w.y0, w.x1, w.y1, 1.0, number) for w in words]
            content.document.pages.append(Page(number, width, height, words, "text"))

        for loc in (_join(base, text(document, "Attachments")),):
            listing = pkg.xml(loc) if loc else None
            for att in find_all(listing, "Attachment"):
                part = _join(posixpath.dirname(loc), text(att, "FileLoc"))
                label = f"{pkg.name} › {posixpath.basename(part or '')}"
                try:
                    data = pkg.read(part or "")
                    if data is None:
                        continue
                    from vision.einvoice.detect import read_xml_root

                    inv = read_xml_root(parse_xml(data, label), label)
                except RefusedXml as exc:
                    content.problems.append(str(exc))
                    continue
                if inv is not None:
                    content.structured.append(inv)

        tags_loc = _join(base, text(document, "CustomTags"))
        tags = pkg.xml(tags_loc) if tags_loc else None
        for tag in find_all(tags, "CustomTag"):
            part = _join(posixpath.dirname(tags_loc), text(tag, "FileLoc"))
            tree = pkg.xml(part) if part else None
            if tree is None:
                continue
            resolved = _resolve_tags(tree, objects)
            inv = read_chinese(resolved, f"{pkg.name} › {posixpath.basename(part)}", "ofd-tags")
            if inv.values.get("invoice_number") or inv.values.get("amount") is not None:
                content.structured.append(inv)

        info = _info(entry, pkg.name)
        if info is not None:
            content.structured.append(info)
    return content


def _resolve_tags(tree, objects: dict[str, str]):
    """A copy of the tag tree whose leaves hold the page text their ObjectRefs point at."""
    out = etree.Element(tree.tag)

    def walk(src, dst):
        refs = [c for c in src if local(c.tag) == "ObjectRef"]
        if refs:
            dst.text = "".join(objects.get((r.text or "").strip(), "") for r in refs)
        for child in src:
            if local(child.tag) == "ObjectRef" or not isinstance(child.tag, str):
                continue
            walk(child, etree.SubElement(dst, child.tag))

    walk(tree, out)
    return out


def _info(entry, name: str) -> EInvoice | None:
    """OFD.xml CustomData name/value pairs, as some issuers repeat the key invoice data there."""
    pairs = {clean(n.get("Name")): n.text for n in find_all(entry, "DocBody/DocInfo/CustomDatas/CustomData")}
    known = {INFO_NAMES[k]: v for k, v in pairs.items() if k in INFO_NAMES and v and v.strip()}
    if not known:
        return None
    root = etree.Element("eInvoice")
    names = {"invoice_number": "InvoiceNo", "invoice_code": "InvoiceCode", "date": "IssueDate",
             "issuer": "SellerName", "seller_tax_id": "SellerTaxID", "buyer": "BuyerName",
             "amount": "TaxInclusiveTotalAmount", "amount_untaxed": "TaxExclusiveTotalAmount", "vat": "TaxTotalAmount"}
    for key, value in known.items():
        etree.SubElement(root, names[key]).text = value
    inv = read_chinese(root, f"{name} › OFD.xml", "cn-xml")
    inv.syntax, inv.format = "ofd-info", "OFD 文档信息 (CustomData)"
    return inv


