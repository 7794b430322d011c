"""Files in, pages of words out: PDF text layers, rasterized PDF pages, PNG/JPEG/TIFF scans.

    from vision.reader import read_document
    doc = read_document("scan.pdf", languages="eng+chi_sim")
    doc.pages[0].words[0]   # Word(text, x0, y0, x1, y1, conf, page)

- The file type comes from its first bytes, not its name.
- A PDF page with a text layer is read from it (pdfplumber word boxes, confidence 1.0); a page
  without one is rendered at 300 dpi (pypdfium2) and OCR'd, as are image files (every frame of
  a multi-page TIFF).
- OCR of one page (``read_task``), about one second of CPU for a typical scanned invoice:
  1. load, then ``vision.preprocess.prepare``: the paper found in a photo (perspective) or a
     small receipt on a scanner page, shadows flattened, the page brought to the size its
     print needs (measured on the print, not from metadata), orientation, deskew, denoising,
     and whether the page carries CJK text;
  2. one Tesseract pass over the page (``--psm 3``), with the CJK models only when the page
     has CJK text (they make a Latin page ~1.6x slower to read), and with them alone when
     the page is mostly CJK (the Latin model adds ~40% and turns some Chinese labels into
     Latin garbage); when the CJK models' reading shows little CJK text (``_reads_as_cjk``:
     the ink test took bold print or boxed cells for Chinese), the page is read again with the
     Latin models;
  3. only when that read is garbled (under half its words confident) and the page did not show
     itself upright Latin print (``Prepared.upright_latin``), or was turned over by its lines'
     showing (``Prepared.upside_down``: a curled photo's sagging lines): the page turned 180 degrees, and
     (if the CJK models were left out) the full language list, whichever reads best; the full
     list also when the CJK models were left out but a doubtful segment looks like CJK script;
  4. a second look in ONE more Tesseract call, only when there is something to look at: cut-outs
     of ink no word covered (faint print, boxed cells, lone digits) and, if there are any of
     those or ``thorough`` is asked for, of low-confidence segments, stacked on one strip.
  Last, a letter OCR read beside digits (O, I, S, B …) becomes the digit it looks like where
  its glyph is that digit's in the same word, a 6, 8 or 9 whose counter runs its height (a
  zero printed with a dot or slash inside) becomes a 0 (``vision.lookalikes``), and a date's digit whose
  ink matches no other print of that digit on the page is marked worn (``vision.worn``).
  ``read_document(previous=...)`` (``thorough`` after a quick read) redoes the quick read's
  view without searching for it again and re-reads only doubtful segments, and only on pages
  whose second look has not already done so.
- Tesseract runs inside the process through libtesseract's C API (``vision.tesseract_library``),
  its models loaded once per process and language list: every start of the ``tesseract``
  command loaded them again (~0.2 s CPU with eng, ~0.3 s with eng+chi_sim, a page needs 2-4
  reads), for the same words. Where the library cannot be used (not found, another version
  than the command's, OpenMP not held to one thread, ``DESKBOT_TESSERACT=process``), pytesseract
  runs the command on a temporary file: pages go over as uncompressed TIFF (PNG encoding cost
  more CPU than the recognition of some pages, and Leptonica reads PGM a byte at a time).
  Pages read together (``read_tasks``) share one Tesseract call per step, a list file of
  images: the models load once for all of them.
- OCR pages are independent tasks (``PageTask``): pass an ``executor`` (a process pool whose
  workers ran ``worker_init``) to read them in parallel. ``worker_init`` sets
  ``OMP_THREAD_LIMIT=1`` because Tesseract's own threads fight over the cores otherwise.
- Corrupt, encrypted or foreign files raise ``UnreadableDocument`` with the reason.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections.abc import Generator
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from vision.document import Document, Page, Word, box_of, overlap
from vision.errors import OcrUnavailable, UnreadableDocument
from vision.lookalikes import settle_lookalikes, zeros_by_their_counter
from vision.pageglyphs import zeros_by_their_prints
from vision.preprocess import CJK_PAGE, Prepared, cjk_characters_in, content_box, prepare, rotate_quarter, uncovered_text
from vision.worn import mark_worn_digits

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
    view: tuple[int, float] | None = None  # (rotation, skew) the quick read's prepare() found
    keep_image: bool = False  # the Page carries the prepared image back (``Page.image``)
    #: with ``known``: the quick read's prepared page, its image in the view it was read in, so
    #: the page is not loaded and prepared again (~0.25 s CPU); None: ``view`` redoes it
    prepared: Prepared | None = None


def worker_init() -> None:
    """One thread per worker process: there is a worker per core, and Tesseract's OpenMP
    threads and OpenCV's thread pool only add CPU spent on handing work over. And the memory a
    page freed is kept for the next page (``keep_freed_memory``)."""
    import cv2

    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)
    keep_freed_memory()


#: glibc's malloc settings in a reading worker: blocks up to this size come from the heap, not
#: each from a mapping of its own (default: past 128 kB, rising to 32 MB as such blocks are freed)
HEAP_BLOCKS_UP_TO = 256 << 20
#: and the heap's free top is handed back to the kernel only past this much (default 128 kB)
HEAP_KEPT_FREE = 512 << 20


def keep_freed_memory() -> bool:
    """Let this process's allocator reuse freed memory instead of handing it back to the
    kernel (glibc's ``mallopt``): a page's images (a photographed receipt's copies of 10-40 MB,
    grey and float, and Tesseract's own) were each mapped afresh and zero-filled page by page
    by the kernel, and given back when freed, ~0.05-0.1 s of system time per photographed
    receipt, 5-9% of its CPU. Same reading; a worker keeps the memory of its largest page
    (at most ``HEAP_KEPT_FREE`` of it free). False where the C library is not glibc."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        return False
    if mallopt is None:
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(mallopt(m_mmap_threshold, HEAP_BLOCKS_UP_TO)) and bool(mallopt(m_trim_threshold, HEAP_KEPT_FREE))


def tesseract_missing(languages: str = DEFAULT_LANGUAGES) -> str | None:
    """None when Tesseract and the languages are installed, else what is missing."""
    if not shutil.which("tesseract"):
        return "the tesseract binary is not installed (apt-get install tesseract-ocr)"
    wanted = languages.split("+")
    try:
        # `tesseract --list-langs` costs ~30 ms CPU per document: ask once per process, and
        # again only when something seems missing (a language pack installed meanwhile)
        have = _installed_languages()
        if not have.issuperset(wanted):
            _installed_languages.cache_clear()
            have = _installed_languages()
    except Exception as exc:  # a broken install reports itself in many ways
        return f"tesseract does not run: {exc}"
    missing = [lang for lang in wanted if lang not in have]
    if missing:
        return f"tesseract language pack missing: {', '.join(missing)} (apt-get install tesseract-ocr-<lang>)"
    return None


@lru_cache(maxsize=1)
def _installed_languages() -> frozenset[str]:
    from vision.tesseract_library import tesseract_command

    # the lines naming a language pack; 'List of available languages …' and script/Latin are not
    return frozenset(line.strip() for line in tesseract_command("--list-langs").splitlines()
                     if re.fullmatch(r"[a-z_]+", line.strip()))


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
                sideways = [c for c in pdf_page.chars if not c.get("upright", True)]
                if sideways and len(sideways) < 0.5 * len(pdf_page.chars):  # a page turned whole is not side text
                    # a line printed sideways in the margin (the company's legal line up the edge):
                    # read it along its own direction, not as a column of reversed letters
                    raw = [w for w in raw if w.get("upright", True)]
                    side = side_text_words(sideways, float(pdf_page.width), float(pdf_page.height), index + 1)
                else:
                    side = []
                words = [Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                              1.0, index + 1) for w in raw if w["text"].strip()] + side
                if sum(len(w.text) for w in words) >= 20:
                    found[index] = Page(index + 1, float(pdf_page.width), float(pdf_page.height), words, "text",
                                        seconds=time.perf_counter() - started)
    except Exception as exc:
        raise UnreadableDocument(f"{path.name}: the PDF cannot be parsed ({type(exc).__name__}: {exc})") from None
    return found


def side_text_words(chars: list[dict], width: float, height: float, page: int) -> list[Word]:
    """Words of text printed sideways (pdfplumber chars that are not upright), each run laid out
    as a horizontal line just below the page's bottom edge, where a legal footer would stand:
    the layout code reads it as a footer line, and the page's frame (for highlights) is kept.
    A run going up the page (rotated 90 degrees counter-clockwise) reads bottom to top."""
    columns: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if columns and abs(c["x0"] - columns[-1][-1]["x0"]) <= 0.5 * max(c["x1"] - c["x0"], 1.0):
            columns[-1].append(c)
        else:
            columns.append([c])
    words: list[Word] = []
    row = 0
    for column in columns:
        upward = (column[0].get("matrix") or (0, 1))[1] > 0
        column.sort(key=lambda c: -c["bottom"] if upward else c["top"])
        size = sorted(c["x1"] - c["x0"] for c in column)[len(column) // 2] or 1.0
        runs: list[list[list[dict]]] = [[[]]]
        last = None
        for c in column:
            gap = 0.0 if last is None else (last["top"] - c["bottom"] if upward else c["top"] - last["bottom"])
            if last is not None and gap > 2.5 * size:
                runs.append([[]])
            elif not c["text"].strip() or (last is not None and gap > 0.25 * size):
                runs[-1].append([])
            if c["text"].strip():
                runs[-1][-1].append(c)
            last = c
        for run in runs:
            run = [w for w in run if w]
            if not run:
                continue
            along = (lambda c: run[0][0]["bottom"] - c["bottom"]) if upward else (lambda c: c["top"] - run[0][0]["top"])
            extent = (lambda c: c["bottom"] - c["top"])
            length = max(along(w[-1]) + extent(w[-1]) for w in run) or 1.0
            scale = min(1.0, 0.9 * width / length)
            y0 = height + (1 + 2 * row) * size * scale
            row += 1
            for w in run:
                x0 = 0.05 * width + along(w[0]) * scale
                x1 = 0.05 * width + (along(w[-1]) + extent(w[-1])) * scale
                words.append(Word("".join(c["text"] for c in w), x0, y0, x1, y0 + size * scale, 1.0, page))
    return words


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


def load_image(task: PageTask) -> np.ndarray:
    """The page as a grayscale array. Its resolution is measured on the print later
    (``vision.preprocess.true_size``), not taken from the file's metadata."""
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
        return np.asarray(image)
    try:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(task.path) as im:
            im.seek(task.index)
            if im.format == "JPEG":
                # libjpeg decodes the luma alone, which is the grey page: no colour conversion and
                # no chroma upsampling (~40 ms less CPU on an A4 colour scan, the same pixels)
                im.draft("L", im.size)
            if task.index == 0:
                # in place: a turned copy only when the EXIF says turn (a copy of every page cost
                # ~6 ms CPU, and converting a grey page to grey another)
                ImageOps.exif_transpose(im, in_place=True)
            gray = np.asarray(im if im.mode == "L" else im.convert("L"))
    except Exception as exc:
        raise UnreadableDocument(f"{Path(task.path).name}: page {task.number} cannot be decoded ({exc})") from None
    return gray


#: Tesseract re-reads every line it is unsure of as white print on black, in case it is: ~4% of
#: its CPU on till receipts (logos, show-through and worn lines are all unsure), for nothing, as
#: ``prepare`` turns light print on dark bands dark on white before any read
TESSERACT_OPTIONS = "-c tessedit_do_invert=0"


def _import_pytesseract_without_pandas() -> None:
    """pytesseract imports pandas when it is installed, for a DataFrame output never asked for
    here: ~0.25 s of CPU and ~40 MB in every process that reads a page (0.02 s without it)."""
    if "pytesseract" in sys.modules or "pandas" in sys.modules:
        import pytesseract  # noqa: F401
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # a None entry fails that import at once
    try:
        import pytesseract  # noqa: F401
    finally:
        del sys.modules["pandas"]


# imported with vision, before any reading thread starts (see vision/__init__.py)
_import_pytesseract_without_pandas()


def _tesseract_data(source, languages: str, psm: int) -> dict:
    """``image_to_data`` of an image, or of a list file naming several images (one per line)."""
    import pytesseract

    try:
        return pytesseract.image_to_data(source, lang=languages, config=f"--psm {psm} {TESSERACT_OPTIONS}",
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable("the tesseract binary is not installed (apt-get install tesseract-ocr)") from None
    except pytesseract.TesseractError as exc:
        if "Failed loading language" in str(exc) or "Error opening data file" in str(exc):
            raise OcrUnavailable(f"tesseract language pack missing for {languages!r}") from None
        raise


def _words_of(data: dict, page: int, page_num: int | None = None) -> list[Word]:
    """The words of ``image_to_data`` output (of one image of a list file when ``page_num``)."""
    words, lines = [], []
    for number, text, conf, left, top, width, height, *line in zip(
            data["page_num"], data["text"], data["conf"], data["left"], data["top"], data["width"],
            data["height"], *(data.get(k, ()) for k in ("block_num", "par_num", "line_num"))):
        text = (text or "").strip()
        if not text or float(conf) < 0 or (page_num is not None and int(number) != page_num):
            continue
        words.append(Word(text, float(left), float(top), float(left + width), float(top + height),
                          float(conf) / 100.0, page))
        lines.append(tuple(line))
    return _without_doubled_reading(words, lines) if len(lines) == len(words) and all(lines) else words


_LETTER = re.compile(r"[^\W\d_]")
#: how much taller one of a word's two readings may be than the other (the second reading of a
#: label's lower half: 19 pixels of 26)
TWIN_HEIGHTS = 1.6


def _the_lesser_reading(w: Word, o: Word) -> bool:
    """Of two readings of one word, is ``w`` the one to drop: the part the other spells whole
    ('ep' of 'Sep', however confident), else the less confident (the later of two as sure)."""
    a, b = w.text.lower(), o.text.lower()
    if a != b and a in b:
        return True
    if a != b and b in a:
        return False
    return w.conf < o.conf or (w.conf == o.conf and (w.x0, w.y0) > (o.x0, o.y0))


def _without_doubled_reading(words: list[Word], line_of: list[tuple]) -> list[Word]:
    """``words`` without those Tesseract read twice: part of a label put in another text line
    than the rest ('Tax Date' read 'Tax Dat' on its line and again, a little lower, as 'ax mare';
    'Due date' as 'Due Sue date date'). Such a word stands at the height of a more confident word
    of another line and covers it, or touches it and repeats its letters: the lesser of the two
    readings (``_the_lesser_reading``) is dropped, and the other, whose box Tesseract may have
    cut short where the second reading took over, spans both.
    Two words of one line are never each other's double; nor are words that stand apart."""
    from bisect import bisect_left, bisect_right

    from rapidfuzz import fuzz

    if len(words) < 2:
        return words
    order = sorted(range(len(words)), key=lambda i: words[i].cy)
    centres = [words[i].cy for i in order]
    doubled: dict[int, int] = {}
    for i, w in enumerate(words):
        for j in order[bisect_left(centres, w.cy - 1.5 * w.height): bisect_right(centres, w.cy + 1.5 * w.height)]:
            o = words[j]
            if j == i or line_of[j] == line_of[i] or j in doubled \
                    or not 1 / TWIN_HEIGHTS <= o.height / w.height <= TWIN_HEIGHTS:
                continue  # a box much taller than the other is a tilted line's, or a heading's
            high = min(w.y1, o.y1) - max(w.y0, o.y0)
            if high < 0.5 * min(w.height, o.height):
                continue
            across = min(w.x1, o.x1) - max(w.x0, o.x0)
            covers = across >= 0.3 * min(w.x1 - w.x0, o.x1 - o.x0)
            # letters only: two figures side by side in a tight table ('2' beside '2.50') are two
            repeats = (across > -0.5 * min(w.height, o.height) and _LETTER.search(w.text) and _LETTER.search(o.text)
                       and fuzz.partial_ratio(w.text.lower(), o.text.lower()) >= 75)
            if (covers or repeats) and _the_lesser_reading(w, o):
                doubled[i] = j
                break
    # the confident reading's box is cut short where the other reading took over: it spans both
    spans: dict[int, list[Word]] = {}
    for i, j in doubled.items():
        spans.setdefault(j, [words[j]]).append(words[i])
    out = []
    for i, w in enumerate(words):
        if i in doubled:
            continue
        both = spans.get(i)
        if both:
            w = Word(w.text, min(b.x0 for b in both), w.y0, max(b.x1 for b in both), w.y1, w.conf, w.page)
        out.append(w)
    return out


def _for_tesseract(image: np.ndarray):
    # pytesseract hands the image over as a file. PNG (its default) costs zlib encoding here
    # and decoding in Tesseract, up to 1 s CPU on a noisy 300-dpi page; PGM is read by
    # Leptonica one byte per fread() call, ~0.08 s a page. An uncompressed TIFF costs neither.
    # None of them carries a resolution: Tesseract estimates it from the text size, the same
    # way for all three (same words, same confidences).
    from PIL import Image

    picture = Image.fromarray(image)
    picture.format = "TIFF"
    return picture


def _words_of_rows(rows: list[list[str]], page: int) -> list[Word]:
    """The words of TSV rows read in this process (``vision.tesseract_library``), as
    ``_words_of`` makes them of the command's output: pytesseract keeps a confidence's whole
    percent (96.58 -> 96), so the words come out the same."""
    words, lines = [], []
    for row in rows:
        if len(row) < 11:
            continue
        text = (row[11] if len(row) > 11 else "").strip()
        conf = int(float(row[10]))
        if not text or conf < 0:
            continue
        left, top, width, height = (int(float(v)) for v in row[6:10])
        words.append(Word(text, float(left), float(top), float(left + width), float(top + height), conf / 100.0, page))
        lines.append(tuple(row[1:5]))
    return _without_doubled_reading(words, lines)


def _tesseract_words(image: np.ndarray, languages: str, page: int, psm: int = 3) -> list[Word]:
    return _tesseract_batch([image], languages, psm, [page])[0]


def _tesseract_batch(images: list[np.ndarray], languages: str, psm: int, pages: list[int]) -> list[list[Word]]:
    """The words of each image, read with ONE loading of the models: in this process when
    libtesseract can be (``vision.tesseract_library``: the models stay loaded for the next
    call too), else in one ``tesseract`` command given a list file of the images. Loading the
    models and warming up costs ~0.15 s CPU with eng, ~0.3 s with eng+chi_sim, whatever is
    read; the words are the same as image by image, and the same either way."""
    from vision.tesseract_library import TesseractFailed, read_tsv_rows

    try:
        rows = read_tsv_rows(images, languages, psm)
    except TesseractFailed as exc:
        raise UnreadableDocument(f"tesseract could not read page {pages[0] if len(pages) == 1 else pages}: {exc}") from None
    if rows is not None:
        return [_words_of_rows(r, page) for r, page in zip(rows, pages)]
    if len(images) == 1:
        return [_words_of(_tesseract_data(_for_tesseract(images[0]), languages, psm), pages[0])]
    with tempfile.TemporaryDirectory(prefix="deskbot-ocr-") as folder:
        names = []
        for n, image in enumerate(images):
            names.append(os.path.join(folder, f"{n}.tif"))
            _for_tesseract(image).save(names[-1], format="TIFF")
        listing = os.path.join(folder, "images.txt")
        Path(listing).write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
        data = _tesseract_data(listing, languages, psm)
    return [_words_of(data, page, n + 1) for n, page in enumerate(pages)]


@dataclass(frozen=True)
class _Read:
    """A Tesseract read that a page's steps ask for (``yield``); ``read_tasks`` does those of
    many pages that share languages and page segmentation mode in one call."""

    image: np.ndarray
    languages: str
    psm: int = 3


Steps = Generator[_Read, list[Word], object]


def _read_page(image: np.ndarray, languages: str) -> Steps:
    """A full Tesseract pass (``--psm 3``) over the page; on Latin-only passes the blank margins
    are cut off first (~15% less CPU). Not with CJK models: on the corpus that changed which
    model won a fapiao label (发票号码 read as Latin garbage), losing the invoice number."""
    if all(_is_cjk_language(lang) for lang in languages.split("+")):
        return _restore_yen((yield _Read(image, languages)))
    if languages != _without_cjk(languages):
        return (yield _Read(image, languages))
    x0, y0, x1, y1 = content_box(image)
    words = yield _Read(image[y0:y1, x0:x1], languages)
    if not (x0 or y0):
        return words
    return [Word(w.text, w.x0 + x0, w.y0 + y0, w.x1 + x0, w.y1 + y0, w.conf, w.page) for w in words]


def _quality(words: list[Word]) -> float:
    """How plausible an OCR result is: confident words, weighted by length."""
    return sum(len(w.text) * w.conf for w in words if w.conf > 0.5 and len(w.text) > 1)


def _poor(words: list[Word]) -> bool:
    confident = [w for w in words if w.conf > 0.6]
    return len(words) < 5 or len(confident) < 0.6 * len(words)


#: confident words of three letters or more that show a page was read the right way up, however
#: doubtful its other words (a dot-matrix tax invoice photographed large: its rules of dashes
#: read as runs of junk, half its words; an upside-down page reads as a handful of such words)
WORDS_READ_UPRIGHT = 30


def _read_upright(words: list[Word]) -> bool:
    return sum(w.conf > 0.6 and len(w.text) >= 3 and w.text.isalpha() for w in words) >= WORDS_READ_UPRIGHT


def _garbled(words: list[Word]) -> bool:
    """Read the wrong way up, or in the wrong script: most words doubtful. Such a read has at
    most ~40% of its words confident (generated invoices and receipts upside down 12-37%,
    Chinese invoices read with the Latin model 35%); worn till receipts read the right way
    have 55-95% (a logo, show-through from the back and a faded line make a lot of
    doubtful snippets). Only then is a whole page pass more worth its CPU."""
    confident = [w for w in words if w.conf > 0.6]
    return len(words) < 5 or len(confident) < 0.5 * len(words)


def _is_cjk_language(lang: str) -> bool:
    return lang.startswith(("chi_", "jpn", "kor")) or lang in ("script/HanS", "script/HanT", "script/Japanese",
                                                                "script/Hangul")


def _without_cjk(languages: str) -> str:
    """The languages minus the CJK models; unchanged when nothing else would be left."""
    rest = [lang for lang in languages.split("+") if not _is_cjk_language(lang)]
    return "+".join(rest) if rest else languages


def _only_cjk(languages: str) -> str:
    """The CJK models of the languages; unchanged when there are none."""
    cjk = [lang for lang in languages.split("+") if _is_cjk_language(lang)]
    return "+".join(cjk) if cjk else languages


def _restore_yen(words: list[Word]) -> list[Word]:
    """The Chinese model alone reads the yen/yuan sign before an amount (¥62,766.66, a Japanese
    invoice's ¥2,075,296-) as 羊 or 半: put the sign back, or the total loses its currency and
    its confidence. Only before an amount with decimals or grouped thousands, which neither
    character starts in words (羊肉串, 半年)."""
    fixed = []
    for i, w in enumerate(words):
        following = words[i + 1].text if i + 1 < len(words) else ""
        sign = w.text[:1]
        if sign and sign in YEN_MISREADS and (_YEN_AMOUNT.fullmatch(w.text[1:])
                                     or w.text == sign and _YEN_AMOUNT.fullmatch(following)):
            w = replace(w, text="¥" + w.text[1:])
        fixed.append(w)
    return fixed


#: what the Chinese model reads the ¥ sign as
YEN_MISREADS = "羊半"
#: an amount after a ¥ sign: with decimals, or yen in grouped thousands, with the dash a Japanese
#: invoice may end it with (¥2,075,296-)
_YEN_AMOUNT = re.compile(r"[\d,]*\d\.\d\d|\d{1,3}(?:,\d{3})+(?:\.\d\d)?-?")


#: share of a page's letters that are CJK characters when the Chinese model reads a Chinese page;
#: on Latin pages it reads 0-5% (accents, ligatures and logos read as characters), on Chinese
#: invoices, Latin codes, names and amounts included, 30% and more
CJK_READ_SHARE = 0.15


def _reads_as_cjk(words: list[Word]) -> bool:
    """Does a page's reading by the CJK models show CJK text, not a Latin page read by them?"""
    text = "".join(w.text for w in words)
    letters = len(re.findall(r"[^\W\d_]", text))
    return letters > 0 and len(_CJK.findall(text)) >= CJK_READ_SHARE * letters


def _languages_for_rest(words: list[Word], languages: str) -> str:
    """Once a pass found no Chinese (Japanese …) text on a page, later passes need no CJK model,
    which loads in half the time."""
    return languages if any(_CJK.search(w.text) for w in words) else _without_cjk(languages)


def _read_pieces(pieces: list[tuple[np.ndarray, int, int]], languages: str) -> Steps:
    """Read many small cut-outs ``(crop, x0, y0)`` in ONE Tesseract call: they are stacked on a
    blank strip, one per line (``--psm 6``), and each gets back its words in page coordinates.
    Every call pays ~0.2 s of model loading, and a page-sized image pays for layout analysis
    of blank paper; a strip of a few lines pays neither twice."""
    pad = 12
    width = max(c.shape[1] for c, _, _ in pieces) + 2 * pad
    gap = max(int(float(np.median([c.shape[0] for c, _, _ in pieces])) * 0.8), 20)
    # Tesseract refuses an image over 32767 pixels tall: a few tall cut-outs (a logo, a bar
    # code left unread) would make one strip too long, so the strip is cut into several
    groups: list[list[tuple[np.ndarray, int, int]]] = [[]]
    height = pad
    for piece in pieces:
        if groups[-1] and height + piece[0].shape[0] + gap > STRIP_LIMIT:
            groups.append([])
            height = pad
        groups[-1].append(piece)
        height += piece[0].shape[0] + gap
    out: list[list[Word]] = []
    for group in groups:
        total = sum(min(c.shape[0], STRIP_LIMIT - 2 * pad) + gap for c, _, _ in group) + pad
        strip = np.full((total, width), 255, dtype=np.uint8)
        placed = []
        y = pad
        for crop, x0, y0 in group:
            crop = crop[:STRIP_LIMIT - 2 * pad]
            strip[y:y + crop.shape[0], pad:pad + crop.shape[1]] = crop
            placed.append((y, y + crop.shape[0], x0 - pad, y0 - y))
            y += crop.shape[0] + gap
        read = yield _Read(strip[:STRIP_LIMIT], languages, psm=6)
        out += [[Word(w.text, w.x0 + dx, w.y0 + dy, w.x1 + dx, w.y1 + dy, w.conf, w.page)
                 for w in read if top - 2 <= w.cy <= bottom + 2] for top, bottom, dx, dy in placed]
    return out


STRIP_LIMIT = 30000
#: cut-outs of unread ink read again at most: a long receipt whose amounts column the layout
#: analysis dropped leaves four a line (quantity, price, amount, tax code), and forty ended above
#: its totals
MAX_LEFTOVER = 80


def _leftover_pieces(image: np.ndarray, words: list[Word]) -> list[tuple[np.ndarray, int, int]]:
    """Cut-outs of ink the first pass left unread: light-grey print, text inside boxed cells,
    lone digits in a quantity column (Tesseract's layout analysis drops them)."""
    from statistics import median

    if len(words) < 5:
        return []
    height = median(w.height for w in words)
    return uncovered_text(image, [(w.x0, w.y0, w.x1, w.y1) for w in words], height)[:MAX_LEFTOVER]


def _new_words(read: list[list[Word]], words: list[Word]) -> list[Word]:
    """Words of the leftover cut-outs that are confident enough and cover no word already read."""
    taken = [(w.x0, w.y0, w.x1, w.y1) for w in words]
    return [w for piece in read for w in piece if w.conf >= 0.3 and not any(
        w.x0 < b[2] and w.x1 > b[0] and w.y0 < b[3] and w.y1 > b[1] for b in taken)]


#: a number read without its decimals ('211' of 211.35)
_WHOLE_PART = re.compile(r"\d{1,6}[.,]?")
#: the same number read whole from its line's cut-out
_WITH_CENTS = re.compile(r"-?\d{1,6}[.,]\d{2}")
#: how far right of a number (in its heights) leftover ink is still its decimals: a monospaced
#: ribbon printer leaves a whole character cell for the point, about one height
CENTS_WITHIN = 1.5


def _whole_parts(image: np.ndarray, words: list[Word],
                 leftover: list[tuple[np.ndarray, int, int]]) -> list[tuple[np.ndarray, int, int]]:
    """Cut-outs of the numbers read without decimals that a ``leftover`` cut-out starts just
    right of, widened to take that cut-out in: the first pass's layout analysis read '211' of a
    dot-matrix docket's 211.35 and left '.35' unread (the point a whole character cell apart on
    monospaced print); read alone, the cut-out gave '35' or '135', which said nothing of the
    amount. Cut from the page as it is (the leftover cut-out's print is darkened)."""
    out = []
    for crop, x0, y0 in leftover:
        y1 = y0 + crop.shape[0]
        before = [w for w in words if _WHOLE_PART.fullmatch(w.text) and w.x1 <= x0 + w.height * 0.5
                  and x0 - w.x1 <= CENTS_WITHIN * w.height and y0 <= w.cy <= y1]
        if before:
            start = int(max(min(w.x0 - 0.3 * w.height for w in before), 0))
            out.append((np.ascontiguousarray(image[y0:y1, start:x0 + crop.shape[1]]), start, y0))
    return out


def _with_cents(read: list[list[Word]], words: list[Word]) -> tuple[list[Word], list[Word]]:
    """(words no longer wanted, words read instead): a number read without its decimals whose
    widened cut-out (``_whole_parts``) read as one amount with cents, confidently."""
    gone, found = [], []
    for piece in read:
        for w in piece:
            if w.conf < 0.3 or not _WITH_CENTS.fullmatch(w.text):
                continue
            under = [o for o in words if _WHOLE_PART.fullmatch(o.text) and w.x0 - 2 <= (o.x0 + o.x1) / 2 <= w.x1 + 2
                     and w.y0 <= o.cy <= w.y1 and w.text.lstrip("-").startswith(o.text.rstrip(".,"))]
            if under:
                gone += under
                found.append(w)
    return gone, found


MAX_REREAD = 12


def _doubtful_segments(words: list[Word], page: int) -> list:
    """Low-confidence segments (a line's run of words), the first MAX_REREAD of them."""
    from vision.document import group_lines

    return [seg for line in group_lines(words, page) for seg in line.segments
            if min(w.conf for w in seg.words) < 0.6][:MAX_REREAD]


def _doubtful_pieces(image: np.ndarray, words: list[Word], page: int) -> list[tuple[object, tuple[np.ndarray, int, int]]]:
    """Low-confidence segments and their cut-outs, to be read again."""
    pieces = []
    for seg in _doubtful_segments(words, page):
        h = seg.y1 - seg.y0
        y0, y1 = max(int(seg.y0 - h * 0.3), 0), min(int(seg.y1 + h * 0.3), image.shape[0])
        x0, x1 = max(int(seg.x0 - h * 0.5), 0), min(int(seg.x1 + h * 0.5), image.shape[1])
        pieces.append((seg, (image[y0:y1, x0:x1], x0, y0)))
    return pieces


def _replace_doubtful(words: list[Word], doubtful: list, read: list[list[Word]]) -> list[Word]:
    """A segment's words are replaced when the second reading of them is more confident."""
    replaced = set()
    extra: list[Word] = []
    # words by their middle's height: a page's hundreds of words are not all gone through for
    # each of its doubtful segments
    by_height = sorted(words, key=lambda w: w.cy)
    heights = [w.cy for w in by_height]
    for (seg, _), mine in zip(doubtful, read):
        # the cut-out's margin may take in a close line above or below (a fapiao's 发票号码 row
        # over its date's): those words are that line's, read already, and kept twice they
        # spelled its label '发 发 票 票 号 号 码 码', which no label matches
        own = {id(w) for w in seg.words}
        reach = seg.y1 - seg.y0
        near = [o for o in by_height[bisect_left(heights, seg.y0 - reach):bisect_right(heights, seg.y1 + reach)]
                if id(o) not in own]
        mine = [w for w in mine if not any(o.text == w.text and overlap(box_of([o]), box_of([w])) >= 0.5 for o in near)]
        if not mine:
            continue
        old = sum(w.conf * len(w.text) for w in seg.words) / max(sum(len(w.text) for w in seg.words), 1)
        new = sum(w.conf * len(w.text) for w in mine) / max(sum(len(w.text) for w in mine), 1)
        if new > old + 0.05 and not _changes_a_date(seg.words, mine):
            replaced.update(id(w) for w in seg.words)
            extra += mine
    return [w for w in words if id(w) not in replaced] + extra


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)")


def _dates_in(words: list[Word]) -> set[str]:
    """The numeric dates (as printed) among ``words`` that are real dates either way round."""
    from datetime import date

    found = set()
    for m in _NUMERIC_DATE.finditer(" ".join(w.text for w in words)):
        a, b, year = int(m[1]), int(m[2]), int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        for day, month in ((a, b), (b, a)):
            try:
                date(year, month, day)
            except ValueError:
                continue
            found.add(m[0])
            break
    return found


def _changes_a_date(old: list[Word], new: list[Word]) -> bool:
    """Does a re-read turn a date the page's read made sense of into another real date (26.09
    into 28.09)? Tesseract's confidence does not tell a worn 6 from an 8, and a cut-out read
    without its page is no better witness than the page: such a segment keeps its first
    reading (``vision.receipts`` weighs the dates a till printed against each other)."""
    before, after = _dates_in(old), _dates_in(new)
    return bool(before and after and before != after)


def _looks_cjk(crop: np.ndarray) -> bool:
    """A cut-out of a text line many of whose columns meet ink four or more times: CJK
    characters do (many horizontal strokes), Latin print only at ä, ë or €, a few columns
    each."""
    import cv2

    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # only the band of the line itself: the cut-outs' margins catch box borders, table rules
    # and the neighbouring lines' descenders and ascenders, all of which add crossings
    height = crop.shape[0]
    band = ink[int(height * 0.2):int(height * 0.8) + 1]
    crossings = np.count_nonzero(band[1:] > band[:-1], axis=0)
    return np.count_nonzero(crossings >= 4) >= height / 2


#: CJK characters (``count_cjk_characters``) a doubtful segment must show besides its crossings:
#: a Chinese company name shows 3-7; a logo or a slogan in a script font on a till receipt 0-2
CJK_IN_SEGMENT = 3
#: the confidence of the CJK models' reading of a suspect segment (``_cjk_misread``) from which
#: a character counts as printed: QR codes and logos read as CJK characters at 0.0-0.3
CJK_SURE = 0.6


def _cjk_misread(doubtful: list[tuple[object, tuple[np.ndarray, int, int]]], dpi: float, languages: str) -> Steps:
    """After a Latin-only pass: is some doubtful segment CJK script after all (a Chinese name
    on a Latin invoice, too few for ``Prepared.cjk``)? The Latin model reads it as
    low-confidence garbage; and re-reading only those cut-outs with eng+chi_sim does not help,
    since Tesseract keeps the Latin reading of such a snippet. (Unread ink is not tested: boxed
    and dashed cells in Latin invoices looked like CJK too often.) The line's crossings and
    CJK-shaped blobs are also what a till receipt's QR code, striped logo or script-font slogan
    shows, and each cost a whole second pass with the Chinese model (2-3 s of CPU a phone
    photo): so the suspects are read with the CJK models alone first, one small strip, and only
    CJK characters those models are sure of send the page to a second pass. Graphics read as
    CJK characters too, but at a third of the confidence printed characters get. ``doubtful``:
    the page's ``_doubtful_pieces``."""
    suspects = [piece for _, piece in doubtful
                if _looks_cjk(piece[0]) and cjk_characters_in(piece[0], dpi, CJK_IN_SEGMENT) >= CJK_IN_SEGMENT]
    if not suspects:
        return False
    read = yield from _read_pieces(suspects, _only_cjk(languages))
    return any(sum(len(_CJK.findall(w.text)) for w in piece if w.conf >= CJK_SURE) >= CJK_IN_SEGMENT
               for piece in read)


def _second_look(image: np.ndarray, words: list[Word], task: PageTask,
                 leftover: list[tuple[np.ndarray, int, int]],
                 doubtful: list[tuple[object, tuple[np.ndarray, int, int]]] | None = None) -> Steps:
    """The first pass's words plus words in the ``leftover`` ink it left unread, and whether
    doubtful segments were read again too: they are when ``task.thorough``, and also whenever
    there is leftover ink, since they then ride along in the same Tesseract call for next to
    nothing (and spare a slower second read of the page later). ``doubtful``: the words'
    ``_doubtful_pieces`` when the caller has them already."""
    if not (task.thorough or leftover):
        doubtful = []
    elif doubtful is None:
        doubtful = _doubtful_pieces(image, words, task.number)
    if not leftover and not doubtful:
        return words, task.thorough
    widened = _whole_parts(image, words, leftover)
    read = yield from _read_pieces(leftover + widened + [piece for _, piece in doubtful],
                                   _languages_for_rest(words, task.languages))
    count = len(leftover) + len(widened)
    gone, whole = _with_cents(read[len(leftover):count], words)
    words = [w for w in words if not any(w is g for g in gone)]
    return (_replace_doubtful(words, doubtful, read[count:]) + whole
            + _new_words(read[:len(leftover)], words + whole)), True


def _page_steps(task: PageTask) -> Steps:
    """OCR one page: load, prepare, recognise, then a second look at what was missed or doubtful.
    Returns the Page (its ``seconds`` are filled in by ``read_tasks``)."""
    if task.known is not None and task.prepared is not None:
        prepared = task.prepared
    else:
        prepared = prepare(load_image(task), task.view if task.known is not None else None)
    image = prepared.image
    rotation = (90 if prepared.vertical_text else 0) + (180 if prepared.upside_down else 0)
    notes = list(prepared.notes)
    retry_turn = 0
    thorough = task.thorough
    if task.known is not None:  # the quick read was done: redo its view, re-read doubtful words only
        retry_turn = task.retry_turn
        if retry_turn:
            if task.prepared is None:  # the quick read's image was turned already
                image = rotate_quarter(image, retry_turn)
            rotation += retry_turn
        words, _ = yield from _second_look(image, list(task.known), task, [])
    else:
        languages = task.languages
        if not prepared.cjk:
            languages = _without_cjk(languages)
        elif prepared.cjk_characters >= CJK_PAGE:
            # the Chinese model reads digits and Latin words too (a little worse): a mostly
            # Chinese page reads in ~40% less CPU without the Latin model, and its labels no
            # longer come out as Latin garbage (销售方 as "HEA:"); doubtful words are read
            # again with every model in the second look
            languages = _only_cjk(languages)
            notes.append(f"mostly CJK text: read with {languages} alone first")
        else:
            notes.append(f"some CJK text: read with {languages}")
        words = yield from _read_page(image, languages)
        cjk_only = languages == _only_cjk(task.languages) != task.languages
        if cjk_only and not _reads_as_cjk(words):
            # the ink looked like CJK script (bold print, boxed cells, a logo) but the Chinese
            # model's own reading shows a Latin page: it reads Latin print, worse than the Latin
            # model (a French invoice's labels, an O for a zero), so the page is read again
            languages = _without_cjk(task.languages)
            notes.append(f"the CJK model read little CJK text: read again with {languages}")
            words = yield from _read_page(image, languages)
        if _garbled(words) and (not prepared.upright_latin or prepared.upside_down):
            # upside down reads as low-confidence garbage; one more pass settles it. Not when
            # the page's Latin lines showed it upright: worn or dotted print reads as garbage
            # too, and turning it only doubled its reading time (4-7 s CPU a dot-matrix docket).
            # Lines that voted a page over do not vouch for it turned: a phone photo's curl sags
            # every line towards its middle, ink below the baseline as if from descenders, and
            # six of seven such lines turned an upright petrol slip over
            turned = rotate_quarter(image, 180)
            other = yield from _read_page(turned, languages)
            if _quality(other) > _quality(words) * 1.3:
                words, image, retry_turn = other, turned, 180
                rotation += 180
                notes.append("turned 180 degrees after a poor first read")
        latin_only = languages == _without_cjk(task.languages) != task.languages
        if _garbled(words) and latin_only and not (prepared.upright_latin and prepared.cjk_characters == 0):
            # CJK text the blob test missed (Hangul, a few large characters) also reads as
            # garbage; a page whose lines are upright Latin print with not one CJK-looking
            # character is poor Latin print, and the CJK models read it no better
            other = yield from _read_page(image, task.languages)
            if _quality(other) > _quality(words) * 1.3:
                words = other
                notes.append("read again with the CJK models after a poor Latin-only read")
        if not _poor(words) or prepared.upright_latin or prepared.dotted or _read_upright(words):
            # a page whose lines showed upright Latin print, or dot-matrix print, or whose words
            # read as many real words, reads poorly because its print is worn or dotted, not
            # because it is upside down: the ink Tesseract's layout analysis left unread there (a
            # dot-matrix receipt's whole amounts column) is read too
            leftover = _leftover_pieces(image, words)
            # the doubtful segments are cut out once: the CJK test looks at them, and the second
            # look reads the same ones again (the page's lines were grouped twice for one answer)
            doubtful = _doubtful_pieces(image, words, task.number) if latin_only else None
            if latin_only and (yield from _cjk_misread(doubtful, prepared.dpi, task.languages)):
                words = yield from _read_page(image, task.languages)
                leftover = _leftover_pieces(image, words)
                doubtful = None
                notes.append("read again with the CJK models: CJK-looking text left unread")
            words, thorough = yield from _second_look(image, words, task, leftover, doubtful)
    words = settle_lookalikes(image, words)  # 'RO005532486': an O whose glyph is the word's zero
    words = zeros_by_their_counter(image, words)  # '26-04-2615': a dotted zero's counter runs its height
    if prepared.dotted:  # '436.75' on a 9-pin docket: the page's prints of its zero, laid together
        words = zeros_by_their_prints(image, words)
    words = mark_worn_digits(image, words)  # a date's digit whose ink is no other print of it
    height, width = image.shape[:2]
    return Page(task.number, float(width), float(height), words, "ocr", dpi=round(prepared.dpi),
                rotation=rotation % 360, skew=prepared.skew, notes=notes,
                retry_turn=retry_turn, thorough=thorough, image=image if task.keep_image else None)


def read_tasks(tasks: list[PageTask]) -> list[Page | Exception]:
    """OCR several pages at once, with the same words as page by page: their steps run side by
    side, and the reads they ask for at the same time go to Tesseract together, one call per
    (languages, mode). Four scanned invoices a call take ~30% less CPU than one a call.

    Each page comes back as its Page, or as the exception that stopped it (a frame that cannot
    be decoded): one bad page does not cost the others their read. ``OcrUnavailable`` (no
    Tesseract, no language pack) is the machine's fault and stops everything."""
    results: list[Page | Exception | None] = [None] * len(tasks)
    seconds = [0.0] * len(tasks)
    waiting: dict[int, tuple[Steps, _Read]] = {}

    def advance(i: int, steps: Steps, words: list[Word] | None = None, error: Exception | None = None) -> None:
        started = time.perf_counter()
        try:
            request = steps.throw(error) if error is not None else steps.send(words)
        except StopIteration as finished:
            results[i] = replace(finished.value, seconds=seconds[i] + time.perf_counter() - started)
        except OcrUnavailable:
            raise
        except Exception as exc:  # this page's failure; the other pages go on
            results[i] = exc
        else:
            seconds[i] += time.perf_counter() - started
            waiting[i] = (steps, request)

    for i, task in enumerate(tasks):
        advance(i, _page_steps(task))
    while waiting:
        groups: dict[tuple[str, int], list[int]] = {}
        for i, (_, request) in waiting.items():
            groups.setdefault((request.languages, request.psm), []).append(i)
        for (languages, psm), members in groups.items():
            started = time.perf_counter()
            try:
                reads: list = _tesseract_batch([waiting[i][1].image for i in members], languages, psm,
                                               [tasks[i].number for i in members])
            except OcrUnavailable:
                raise
            except Exception:
                if len(members) == 1:
                    raise
                # Tesseract refused the batch: image by image, so only the page at fault fails
                reads = []
                for i in members:
                    try:
                        reads.append(_tesseract_words(waiting[i][1].image, languages, tasks[i].number, psm))
                    except OcrUnavailable:
                        raise
                    except Exception as exc:
                        reads.append(exc)
            share = (time.perf_counter() - started) / len(members)
            for i, read in zip(members, reads):
                steps, _ = waiting.pop(i)
                seconds[i] += share
                if isinstance(read, Exception):
                    advance(i, steps, error=read)
                else:
                    advance(i, steps, read)
    return results  # type: ignore[return-value]


def read_task(task: PageTask) -> Page:
    """OCR one page (in a worker of a plain process pool: ``executor.submit(read_task, task)``)."""
    result = read_tasks([task])[0]
    if isinstance(result, Exception):
        raise result
    return result


def _left_after(task: PageTask, quick: Page | None) -> Page | PageTask:
    """What a thorough read still has to do on a page after a quick read of it: re-read its
    doubtful words in the quick read's view, or nothing (the quick read's page as it is)."""
    if quick is None or not quick.words:
        return task
    if quick.thorough:  # its second look re-read the doubtful words already
        return quick
    if not _doubtful_segments(quick.words, quick.number):  # loading and preparing it again would be all
        return replace(quick, thorough=True)
    view = ((quick.rotation - quick.retry_turn) % 360, quick.skew)
    prepared = None
    if quick.image is not None:
        prepared = Prepared(quick.image, float(quick.dpi or 0), quick.skew, view[0] in (90, 270), list(quick.notes),
                            upside_down=view[0] in (180, 270))
    return replace(task, known=tuple(quick.words), retry_turn=quick.retry_turn, view=view, prepared=prepared)


#: OCR pages of one document whose prepared image ``read_document(keep_images=True)`` keeps
#: (~9 MB each at 300 dpi): all of a short document; of a longer one the first and last
#: three, where invoices print their number, date and totals (others are prepared again)
MAX_KEPT_IMAGES = 6


def read_document(path: str | Path, languages: str = DEFAULT_LANGUAGES, executor: Executor | None = None,
                  thorough: bool = True, previous: Document | None = None, keep_images: bool = False) -> Document:
    """Read every page of ``path``; OCR pages go to ``executor`` when one is given.
    ``thorough=False`` skips re-reading doubtful segments (``vision.invoice`` asks for it only
    when the quick read does not give a bookable invoice). ``keep_images``: OCR pages carry the
    prepared image they were read from (``Page.image``), for words to be read again there."""
    kind, pages = plan(path, languages, thorough)
    if keep_images:
        ocr = [i for i, p in enumerate(pages) if isinstance(p, PageTask)]
        half = MAX_KEPT_IMAGES // 2
        kept = set(ocr if len(ocr) <= MAX_KEPT_IMAGES else ocr[:half] + ocr[-half:])
        pages = [replace(p, keep_image=True) if i in kept else p for i, p in enumerate(pages)]
    if previous is not None:  # build on a quick read of the same file instead of starting over
        quick = {p.number: p for p in previous.pages if p.source == "ocr"}
        pages = [_left_after(p, quick.get(p.number)) if isinstance(p, PageTask) else p for p in pages]
    tasks = [p for p in pages if isinstance(p, PageTask)]
    if tasks:
        missing = tesseract_missing(languages)
        if missing:
            raise OcrUnavailable(missing)
    if executor is not None and len(tasks) > 0:
        futures = {t.index: executor.submit(read_task, t) for t in tasks}
        done = {i: f.result() for i, f in futures.items()}
    else:
        done = {}
        for task, page in zip(tasks, read_tasks(tasks)):
            if isinstance(page, Exception):
                raise page
            done[task.index] = page
    result = [p if isinstance(p, Page) else done[p.index] for p in pages]
    return Document(str(path), result, kind)


def read_bytes_image(data: bytes) -> np.ndarray:
    """Decode an image held in memory (tests, benchmarks)."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("L"))
