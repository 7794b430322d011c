"""vision: image and PDF in, text and checked invoice fields out. A plain library (no ``bots``).

    from vision import read_document, read_invoice

    doc = read_document("scan.tif")                 # pages -> words with boxes + confidences
    inv = read_invoice("invoice.pdf", templates_dir="config/invoice_templates")
    inv.status, inv.reasons, inv.fields["amount"].value

Modules: ``reader`` (files -> pages: PDF text layer, 300-dpi rendering, images, OCR),
``pool`` (``PagePool``: worker processes that read OCR pages a few per Tesseract call),
``preprocess`` (OpenCV clean-up), ``document`` (words, lines, segments), ``parsing``
(amounts, dates, currencies), ``fields`` (generic layout extraction), ``templates`` (optional
vendor YAML), ``checks`` (arithmetic, plausibility, duplicates -> status), ``invoice``
(the whole pipeline), ``einvoice`` (Factur-X/ZUGFeRD, XRechnung/UBL/CII, FatturaPA and
Chinese e-invoices read from their data), ``errors``.
"""

# Every library a reading thread imports is imported here, before any thread starts: two
# threads importing one package for the first time at once can stop with CPython's
# _DeadlockError (rapidfuzz did, on a batch of invoices read in parallel), and the watch
# folder and `deskbot ocr` read files in threads. tests/vision/test_reading_threads.py keeps
# this list whole. (pytesseract: vision.reader imports it, without the pandas it would load.)
import asn1crypto.cms  # noqa: F401
import cv2  # noqa: F401
import numpy  # noqa: F401
import pdfplumber  # noqa: F401
import PIL.Image  # noqa: F401
import PIL.ImageOps  # noqa: F401
import pypdf  # noqa: F401
import pypdfium2  # noqa: F401
import rapidfuzz.distance  # noqa: F401
import rapidfuzz.fuzz  # noqa: F401
import stdnum.ch.uid  # noqa: F401
import stdnum.cn.uscc  # noqa: F401
import stdnum.eu.vat  # noqa: F401
import stdnum.gb.vat  # noqa: F401
import stdnum.iban  # noqa: F401
import stdnum.in_.gstin  # noqa: F401

from vision.checks import CheckPolicy
from vision.document import Document, Page, Word
from vision.errors import OcrUnavailable, UnreadableDocument, VisionError
from vision.invoice import InvoiceResult, analyse, read_invoice
from vision.pool import PagePool
from vision.reader import DEFAULT_LANGUAGES, read_document, tesseract_missing, worker_init
from vision.templates import Template, load_templates

__all__ = ["CheckPolicy", "Document", "Page", "Word", "OcrUnavailable", "UnreadableDocument", "VisionError",
           "InvoiceResult", "analyse", "read_invoice", "PagePool", "DEFAULT_LANGUAGES", "read_document", "tesseract_missing",
           "worker_init", "Template", "load_templates"]
