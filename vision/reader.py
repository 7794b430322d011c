"""Files in, pages of words out: PDF text layers, rasterized PDF pages, PNG/JPEG/TIFF scans.

    from vision.reader import read_document
    doc = read_document("scan.pdf", languages="eng+chi_sim")
    doc.pages[0].words[0]   # Word(text, x0, y0, x1, y1, conf, page)

- The file type comes from its first bytes, not its name.
- A PDF page with a text layer is read from it (pdfplumber word boxes, confidence 1.0); a page
  without one is rendered at 300 dpi (pypdfium2) and OCR'd, as are image files (every frame of
  a multi-page TIFF).
- OCR pages are independent tasks (``PageTask``): pass an ``executor`` (a process pool whose
  workers ran ``worker_init``) to read them in parallel. ``worker_init`` sets
  ``OMP_THREAD_LIMIT=1`` because Tesseract's own threads fight over the cores otherwise.
- Corrupt, encrypted or foreign files raise ``UnreadableDocument`` with the reason.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path

import re

import numpy as np

from vision.document import Document, Page, Word
from vision.errors import OcrUnavailable, UnreadableDocument
from vision.preprocess import prepare, rotate_quarter, uncovered_text

_CJK = re.compile(r"[\u3400-\u9fff\u3040-\u30ff\uac00-\ud7af]")
RENDER_DPI = 300
DEFAULT_LANGUAGES = "eng+chi_sim"
MAX_PAGES = 50
MAX_PIXELS = 12000 * 12000

_MAGIC = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"II*\x00": "tiff", b"MM\x00*": "tiff"}


def sniff(path: str | Path) -> str:
    """'pdf', 'png', 'jpeg' or 'tiff' from the file's first bytes; UnreadableDocument otherwise."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise UnreadableDocument(f"{path.name}: cannot open ({exc.strerror})") from None
    if not head:
        raise UnreadableDocument(f"{path.name}: the file is empty")
    if b"%PDF" in head[:1024] and head.lstrip()[:4] == b"%PDF":
        return "pdf"
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    raise UnreadableDocument(f"{path.name}: not a PDF or an image (PNG, JPEG, TIFF); "
                             "send the invoice as one of those")


@dataclass(frozen=True)
class PageTask:
    """One page to OCR; small and picklable so a worker process can load the page itself."""

    path: str
    kind: str  # pdf | image
    index: int  # 0-based page / frame
    number: int  # 1-based page number in the document
    languages: str = DEFAULT_LANGUAGES
    thorough: bool = True  # also re-read doubtful segments (costs one more Tesseract call)
    known: tuple | None = None  # words of a quick read of this page: only the re-read is left to do
    retry_turn: int = 0


def worker_init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def tesseract_missing(languages: str = DEFAULT_LANGUAGES) -> str | None:
    """None when Tesseract and the languages are installed, else what is missing."""
    if not shutil.which("tesseract"):
        return "the tesseract binary is not installed (apt-get install tesseract-ocr)"
    try:
        import pytesseract

        have = set(pytesseract.get_languages(config=""))
    except Exception as exc:  # a broken install reports itself in many ways
        return f"tesseract does not run: {exc}"
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        return f"tesseract language pack missing: {', '.join(missing)} (apt-get install tesseract-ocr-<lang>)"
    return None


def _check_pdf(path: Path) -> int:
    """Number of pages; raises UnreadableDocument for encrypted or broken PDFs."""
    import pypdf

    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise UnreadableDocument(f"{path.name}: the PDF is password-protected; "
                                         "ask the sender for an unprotected copy")
        count = len(reader.pages)
    except UnreadableDocument:
        raise
    except Exception as exc:
        raise UnreadableDocument(f"{path.name}: the PDF is damaged ({type(exc).__name__}: {exc}); "
                                 "ask the sender to export it again") from None
    if count == 0:
        raise UnreadableDocument(f"{path.name}: the PDF has no pages")
    return count


def _text_layer_pages(path: Path, count: int) -> dict[int, Page]:
    """Pages (by 0-based index) whose text layer carries real text."""
    import pdfplumber

    found: dict[int, Page] = {}
    try:
        with pdfplumber.open(str(path)) as pdf:
            for index, pdf_page in enumerate(pdf.pages[:MAX_PAGES]):
                started = time.perf_counter()
                raw = pdf_page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
                words = [Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                              1.0, index + 1) for w in raw if w["text"].strip()]
                if sum(len(w.text) for w in words) >= 20:
                    found[index] = Page(index + 1, float(pdf_page.width), float(pdf_page.height), words, "text",
                                        seconds=time.perf_counter() - started)
    except Exception as exc:
        raise UnreadableDocument(f"{path.name}: the PDF cannot be parsed ({type(exc).__name__}: {exc})") from None
    return found


def plan(path: str | Path, languages: str = DEFAULT_LANGUAGES, thorough: bool = True) -> tuple[str, list[Page | PageTask]]:
    """The document's kind, and per page either a finished text-layer Page or a PageTask."""
    path = Path(path)
    kind = sniff(path)
    if kind == "pdf":
        count = _check_pdf(path)
        if count > MAX_PAGES:
            raise UnreadableDocument(f"{path.name}: {count} pages; invoices longer than {MAX_PAGES} pages "
                                     "are not read automatically")
        text_pages = _text_layer_pages(path, count)
        return "pdf", [text_pages.get(i) or PageTask(str(path), "pdf", i, i + 1, languages, thorough)
                       for i in range(count)]
    frames = _count_frames(path)
    return "image", [PageTask(str(path), "image", i, i + 1, languages, thorough) for i in range(frames)]


def _count_frames(path: Path) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            im.verify()
            return min(int(n), MAX_PAGES)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableDocument(f"{path.name}: the image is damaged ({exc}); scan it again") from None


def load_image(task: PageTask) -> tuple[np.ndarray, float | None]:
    """The page as a grayscale array, and its resolution when known."""
    from PIL import Image, ImageOps

    if task.kind == "pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(task.path)
            try:
                bitmap = pdf[task.index].render(scale=RENDER_DPI / 72, grayscale=True)
                image = bitmap.to_pil().convert("L")
            finally:
                pdf.close()
        except Exception as exc:
            raise UnreadableDocument(f"{Path(task.path).name}: page {task.number} cannot be rendered ({exc})") from None
        return np.asarray(image), float(RENDER_DPI)
    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(task.path) as im:
            im.seek(task.index)
            dpi = im.info.get("dpi", (None,))[0]
            frame = ImageOps.exif_transpose(im) if task.index == 0 else im
            gray = np.asarray(frame.convert("L"))
    except Exception as exc:
        raise UnreadableDocument(f"{Path(task.path).name}: page {task.number} cannot be decoded ({exc})") from None
    # metadata of 72/96 dpi is what many tools write by default; trust only scanner-like values
    return gray, float(dpi) if dpi and 100 <= float(dpi) <= 1200 else None


def _tesseract_words(image: np.ndarray, languages: str, page: int, psm: int = 3) -> list[Word]:
    import pytesseract

    try:
        data = pytesseract.image_to_data(image, lang=languages, config=f"--psm {psm}",
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable("the tesseract binary is not installed (apt-get install tesseract-ocr)") from None
    except pytesseract.TesseractError as exc:
        if "Failed loading language" in str(exc) or "Error opening data file" in str(exc):
            raise OcrUnavailable(f"tesseract language pack missing for {languages!r}") from None
        raise
    words = []
    for text, conf, left, top, width, height in zip(data["text"], data["conf"], data["left"], data["top"],
                                                     data["width"], data["height"]):
        text = (text or "").strip()
        if not text or float(conf) < 0:
            continue
        words.append(Word(text, float(left), float(top), float(left + width), float(top + height),
                          float(conf) / 100.0, page))
    return words


def _quality(words: list[Word]) -> float:
    """How plausible an OCR result is: confident words, weighted by length."""
    return sum(len(w.text) * w.conf for w in words if w.conf > 0.5 and len(w.text) > 1)


def _poor(words: list[Word]) -> bool:
    confident = [w for w in words if w.conf > 0.6]
    return len(words) < 5 or len(confident) < 0.6 * len(words)


def _languages_for_rest(words: list[Word], languages: str) -> str:
    """Once the first pass found no Chinese (Japanese …) text on a page, later passes need only
    the Latin model, which loads in half the time."""
    if "eng" not in languages.split("+") or any(_CJK.search(w.text) for w in words):
        return languages
    return "eng"


def _second_look(image: np.ndarray, words: list[Word], task: PageTask) -> list[Word]:
    """Words in ink the first pass left unread: light-grey print, text inside boxed cells,
    lone digits in a quantity column (Tesseract's layout analysis drops them)."""
    from statistics import median

    if len(words) < 5:
        return []
    height = median(w.height for w in words)
    leftover = uncovered_text(image, [(w.x0, w.y0, w.x1, w.y1) for w in words], height)
    if leftover is None:
        return []
    extra = _tesseract_words(leftover, _languages_for_rest(words, task.languages), task.number, psm=11)
    taken = [(w.x0, w.y0, w.x1, w.y1) for w in words]
    return [w for w in extra if w.conf >= 0.3 and not any(
        w.x0 < b[2] and w.x1 > b[0] and w.y0 < b[3] and w.y1 > b[1] for b in taken)]


MAX_REREAD = 12


def _reread_doubtful(image: np.ndarray, words: list[Word], task: PageTask) -> list[Word]:
    """Read low-confidence segments again, one line each (``--psm 7``), all in ONE Tesseract
    call: the segments are cut out and stacked on a blank strip. A segment's words are
    replaced when the second reading is more confident."""
    from vision.document import group_lines

    doubtful = [seg for line in group_lines(words, task.number) for seg in line.segments
                if min(w.conf for w in seg.words) < 0.6][:MAX_REREAD]
    if not doubtful:
        return words
    pad = 12
    crops = []
    for seg in doubtful:
        h = seg.y1 - seg.y0
        y0, y1 = max(int(seg.y0 - h * 0.3), 0), min(int(seg.y1 + h * 0.3), image.shape[0])
        x0, x1 = max(int(seg.x0 - h * 0.5), 0), min(int(seg.x1 + h * 0.5), image.shape[1])
        crops.append((seg, image[y0:y1, x0:x1], x0, y0))
    width = max(c.shape[1] for _, c, _, _ in crops) + 2 * pad
    gap = max(int(max(c.shape[0] for _, c, _, _ in crops) * 0.8), 20)
    total = sum(c.shape[0] + gap for _, c, _, _ in crops) + pad
    strip = np.full((total, width), 255, dtype=np.uint8)
    placed = []
    y = pad
    for seg, crop, x0, y0 in crops:
        strip[y:y + crop.shape[0], pad:pad + crop.shape[1]] = crop
        placed.append((seg, y, y + crop.shape[0], x0 - pad, y0 - y))
        y += crop.shape[0] + gap
    again = _tesseract_words(strip, _languages_for_rest(words, task.languages), task.number, psm=6)
    replaced = set()
    result_extra: list[Word] = []
    for seg, top, bottom, dx, dy in placed:
        mine = [w for w in again if top - 2 <= w.cy <= bottom + 2]
        if not mine:
            continue
        old = sum(w.conf * len(w.text) for w in seg.words) / max(sum(len(w.text) for w in seg.words), 1)
        new = sum(w.conf * len(w.text) for w in mine) / max(sum(len(w.text) for w in mine), 1)
        if new > old + 0.05:
            replaced.update(id(w) for w in seg.words)
            result_extra += [Word(w.text, w.x0 + dx, w.y0 + dy, w.x1 + dx, w.y1 + dy, w.conf, w.page) for w in mine]
    return [w for w in words if id(w) not in replaced] + result_extra


def read_task(task: PageTask) -> Page:
    """OCR one page: load, prepare, recognise, then a second look at what was missed or doubtful."""
    started = time.perf_counter()
    raw, dpi = load_image(task)
    prepared = prepare(raw, dpi)
    image = prepared.image
    rotation = (90 if prepared.vertical_text else 0) + (180 if prepared.upside_down else 0)
    notes = list(prepared.notes)
    retry_turn = 0
    if task.known is not None:  # the quick read was done: redo its view, re-read doubtful words only
        retry_turn = task.retry_turn
        if retry_turn:
            image = rotate_quarter(image, retry_turn)
            rotation += retry_turn
        words = _reread_doubtful(image, list(task.known), task)
    else:
        words = _tesseract_words(image, task.languages, task.number)
        if _poor(words):
            # upside down reads as low-confidence garbage; one more pass settles it
            turned = rotate_quarter(image, 180)
            other = _tesseract_words(turned, task.languages, task.number)
            if _quality(other) > _quality(words) * 1.3:
                words, image, retry_turn = other, turned, 180
                rotation += 180
                notes.append("turned 180 degrees after a poor first read")
        if not _poor(words):
            words = words + _second_look(image, words, task)
            if task.thorough:
                words = _reread_doubtful(image, words, task)
    height, width = image.shape[:2]
    return Page(task.number, float(width), float(height), words, "ocr", dpi=round(prepared.dpi),
                rotation=rotation % 360, skew=prepared.skew, seconds=time.perf_counter() - started, notes=notes,
                retry_turn=retry_turn, thorough=task.thorough)


def read_document(path: str | Path, languages: str = DEFAULT_LANGUAGES, executor: Executor | None = None,
                  thorough: bool = True, previous: Document | None = None) -> Document:
    """Read every page of ``path``; OCR pages go to ``executor`` when one is given.
    ``thorough=False`` skips re-reading doubtful segments (``vision.invoice`` asks for it only
    when the quick read does not give a bookable invoice)."""
    kind, pages = plan(path, languages, thorough)
    if previous is not None:  # build on a quick read of the same file instead of starting over
        quick = {p.number: p for p in previous.pages if p.source == "ocr"}
        pages = [replace(p, known=tuple(quick[p.number].words), retry_turn=quick[p.number].retry_turn)
                 if isinstance(p, PageTask) and p.number in quick and quick[p.number].words else p for p in pages]
    tasks = [p for p in pages if isinstance(p, PageTask)]
    if tasks:
        missing = tesseract_missing(languages)
        if missing:
            raise OcrUnavailable(missing)
    if executor is not None and len(tasks) > 0:
        futures = {t.index: executor.submit(read_task, t) for t in tasks}
        done = {i: f.result() for i, f in futures.items()}
    else:
        done = {t.index: read_task(t) for t in tasks}
    result = [p if isinstance(p, Page) else done[p.index] for p in pages]
    return Document(str(path), result, kind)


def read_bytes_image(data: bytes) -> np.ndarray:
    """Decode an image held in memory (tests, benchmarks)."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("L"))
