"""Optional vendor templates: ``config/invoice_templates/*.yaml``.

A template is for the vendor whose invoices the generic reader gets wrong. It applies to a
document when ALL its ``keywords`` occur in the text (case-insensitive); its fields then take
precedence over what the generic reader found, and its options set the reading conventions.

```yaml
name: Müller Bürobedarf GmbH
keywords: ["Müller Bürobedarf", "DE811234567"]   # all must occur
options:
  decimal_separator: ","        # 1.234,56
  date_format: "%d.%m.%Y"       # strptime format of every date
  day_first: true               # for numeric dates without date_format
  currency: EUR                 # when the document never says
fields:
  issuer: "Müller Bürobedarf GmbH"                    # a fixed value
  invoice_number: {pattern: 'Beleg-Nr\\.?\\s*(\\S+)'}    # first group of a regex over the text
  amount: {region: [0.6, 0.7, 1.0, 0.85], page: 1}     # right-most amount inside a page region
```

``region`` is ``[left, top, right, bottom]`` as fractions of the page (0..1), so it works for
scans at any resolution as well as for PDF text layers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from vision.document import Document
from vision.errors import VisionError
from vision.fields import Field, Options
from vision.parsing import find_amounts, find_dates, parse_invoice_number
from vision.yamlfile import load_admin_yaml

FIELD_NAMES = ("issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat")


@dataclass
class Template:
    name: str
    keywords: list[str]
    fields: dict = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    path: str = ""

    def matches(self, text: str) -> bool:
        low = text.lower()
        return bool(self.keywords) and all(k.lower() in low for k in self.keywords)

    def apply(self, doc: Document) -> dict[str, Field]:
        """Fields this template reads from ``doc`` (only the ones it defines and finds)."""
        out: dict[str, Field] = {}
        text = doc.text
        for name, spec in self.fields.items():
            if not isinstance(spec, dict):
                out[name] = Field(spec, 1.0, "template", None, str(spec))
                continue
            if "pattern" in spec:
                m = re.search(spec["pattern"], text, re.I | re.M)
                raw = (m.group(1) if m and m.groups() else m.group(0)) if m else None
                page = None
            else:
                raw, page = self._region_text(doc, spec)
            if not raw:
                continue
            value = self._convert(name, raw)
            if value is not None:
                out[name] = Field(value, 0.97, "template", page, raw.strip())
        return out

    def _region_text(self, doc: Document, spec: dict) -> tuple[str | None, int | None]:
        number = int(spec.get("page", 1))
        if number > len(doc.pages):
            return None, None
        page = doc.pages[number - 1]
        left, top, right, bottom = (float(v) for v in spec["region"])
        box = (left * page.width, top * page.height, right * page.width, bottom * page.height)
        words = [w for w in page.words
                 if w.x0 >= box[0] - 2 and w.x1 <= box[2] + 2 and w.y0 >= box[1] - 2 and w.y1 <= box[3] + 2]
        words.sort(key=lambda w: (round(w.cy / max(w.height, 1)), w.x0))
        return " ".join(w.text for w in words) or None, number

    def _convert(self, name: str, raw: str):
        opts = self.options
        if name in ("amount", "amount_untaxed", "vat"):
            found = find_amounts(raw, opts.decimal)
            return found[-1][0] if found else None
        if name in ("date", "due_date"):
            if opts.date_format:
                try:
                    return datetime.strptime(raw.strip(), opts.date_format).date()
                except ValueError:
                    pass
            found = find_dates(raw, opts.day_first)
            return found[0][0] if found else None
        if name == "invoice_number":
            return parse_invoice_number(raw) or raw.strip()
        return raw.strip()


def load_template(path: str | Path) -> Template:
    path = Path(path)
    data = load_admin_yaml(path, "template")
    if not isinstance(data, dict):
        raise VisionError(f"{path}: a template is a mapping with name, keywords, fields")
    unknown = set(data) - {"name", "keywords", "fields", "options"}
    if unknown:
        raise VisionError(f"{path}: unknown keys {sorted(unknown)}; allowed: name, keywords, fields, options")
    keywords = data.get("keywords")
    if not isinstance(keywords, list) or not keywords or not all(isinstance(k, str) and k for k in keywords):
        raise VisionError(f"{path}: 'keywords' must be a non-empty list of texts that identify the vendor")
    fields = data.get("fields") or {}
    if not isinstance(fields, dict):
        raise VisionError(f"{path}: 'fields' must be a mapping")
    for name, spec in fields.items():
        if name not in FIELD_NAMES:
            raise VisionError(f"{path}: unknown field {name!r}; known: {', '.join(FIELD_NAMES)}")
        if isinstance(spec, dict):
            if "pattern" in spec:
                try:
                    re.compile(spec["pattern"])
                except re.error as exc:
                    raise VisionError(f"{path}: fields.{name}.pattern is not a valid regex: {exc}") from None
            elif "region" in spec:
                region = spec["region"]
                if (not isinstance(region, list) or len(region) != 4
                        or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in region)):
                    raise VisionError(f"{path}: fields.{name}.region must be [left, top, right, bottom] in 0..1")
            else:
                raise VisionError(f"{path}: fields.{name} needs 'pattern' or 'region' (or a fixed value)")
    raw_opts = data.get("options") or {}
    if not isinstance(raw_opts, dict):
        raise VisionError(f"{path}: 'options' must be a mapping")
    decimal = raw_opts.get("decimal_separator")
    if decimal not in (None, ".", ","):
        raise VisionError(f"{path}: options.decimal_separator must be '.' or ','")
    options = Options(decimal=decimal, day_first=raw_opts.get("day_first"),
                      date_format=raw_opts.get("date_format"), currency=raw_opts.get("currency"))
    return Template(str(data.get("name") or path.stem), keywords, fields, options, str(path))


_LOADED: dict[str, tuple[tuple[int, int], object]] = {}


def _cached(path: Path, loader):
    """A template file parsed once, again only when it changed (a watcher that runs for
    weeks sees a template learned a minute ago)."""
    stat = path.stat()
    key = str(path.resolve())
    signature = (stat.st_mtime_ns, stat.st_size)
    hit = _LOADED.get(key)
    if hit is None or hit[0] != signature:
        hit = (signature, loader(path))
        _LOADED[key] = hit
    return hit[1]


def template_files(folder: str | Path | None) -> list[tuple[str, Path]]:
    """(kind, path) of every template in ``folder``: hand-written ``*.yaml`` and, under
    ``learned/``, the templates deskbot learned from corrections in review."""
    if not folder or not Path(folder).is_dir():
        return []
    folder = Path(folder)

    def yamls(where: Path) -> list[Path]:
        return sorted(where.glob("*.yaml")) + sorted(where.glob("*.yml")) if where.is_dir() else []

    return [("hand-written", p) for p in yamls(folder)] + [("learned", p) for p in yamls(folder / "learned")]


def load_templates(folder: str | Path | None) -> list:
    """Every template in ``folder`` (none when the folder does not exist): ``Template`` for a
    hand-written one, ``vision.learned.LearnedTemplate`` for a learned one."""
    from vision.learned import load_learned

    return [_cached(path, load_template if kind == "hand-written" else load_learned)
            for kind, path in template_files(folder)]


def find_template(templates: list, text: str) -> Template | None:
    """The matching hand-written template with the most keywords (the most specific)."""
    matching = [t for t in templates if isinstance(t, Template) and t.matches(text)]
    return max(matching, key=lambda t: len(t.keywords)) if matching else None
