"""Tesseract read inside the process (vision.tesseract_library): the same words as the
``tesseract`` command gives, its models loaded once, safe from several threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import vision.reader as reader
import vision.reread as reread
import vision.tesseract_library as library
from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import Scan, make_invoice, write_scan
from tests.vision.receipt_corpus import PHOTO_VARIANTS, make_receipt, photo
from vision.reader import PageTask, read_tasks
from vision.reread import readings

pytestmark = [needs_tesseract,
              pytest.mark.skipif(not library.available(), reason="libtesseract cannot be loaded in this process "
                                 "(not found, another version than the tesseract command, or OMP_THREAD_LIMIT is not 1)")]


def _words(page) -> list[tuple]:
    return [(w.text, w.x0, w.y0, w.x1, w.y1, w.conf) for w in page.words]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A receipt photo (doubtful words and leftover ink: several reads of strips), a German scan
    at 150 dpi, and a Chinese invoice turned 90 degrees (CJK models)."""
    folder = tmp_path_factory.mktemp("library")
    files = [photo(make_receipt(9004, "de_baumarkt"), PHOTO_VARIANTS[1], folder / "receipt.jpg"),
             write_scan(make_invoice(902, "de"), Scan(150, skew=1.5), folder / "de.png"),
             write_scan(make_invoice(903, "cn"), Scan(300, rotate=90), folder / "cn.png")]
    return [PageTask(str(path), "image", 0, 1) for path in files]


def _with_the_command(monkeypatch):
    monkeypatch.setattr(library, "read_tsv_rows", lambda images, languages, psm: None)


def test_pages_read_in_the_process_give_the_words_of_the_tesseract_command(pages, monkeypatch):
    inside = read_tasks(pages)
    with monkeypatch.context() as patch:
        _with_the_command(patch)
        command = read_tasks(pages)
    assert [_words(p) for p in inside] == [_words(p) for p in command]
    assert any(p.thorough for p in inside)  # a second look (a strip of cut-outs, --psm 6) was read too
    assert any("chi_sim" in n for p in inside for n in p.notes) or any(
        any("\u4e00" <= c <= "\u9fff" for c in w.text) for w in inside[2].words)


def test_words_read_again_in_the_process_are_the_commands(pages, monkeypatch):
    page = read_tasks(pages[:1])[0]
    image = reader.load_image(pages[0])
    prepared = reader.prepare(image).image
    boxes = [(w.x0, w.y0, w.x1, w.y1) for w in page.words if any(c.isdigit() for c in w.text)][:6]
    inside = readings(prepared, boxes)
    with monkeypatch.context() as patch:
        _with_the_command(patch)
        command = readings(prepared, boxes)
    assert inside == command and any(any(texts) for texts in inside)


def test_the_models_load_once_per_process_and_threads_reading_at_once_get_the_same_words(pages):
    first = read_tasks(pages[:1])[0]
    loaded = dict(library._count)
    with ThreadPoolExecutor(4) as threads:
        again = list(threads.map(lambda _: read_tasks(pages[:1])[0], range(4)))
    assert all(_words(p) == _words(first) for p in again)
    # one loaded model set per language list and thread reading at the same time, at most
    assert all(library._count[languages] <= max(loaded.get(languages, 0), 4) for languages in library._count)
    before = dict(library._count)
    read_tasks(pages[:1])
    assert library._count == before  # read one after another: no model loaded again


def test_the_command_is_used_when_asked_for(monkeypatch):
    monkeypatch.setenv("DESKBOT_TESSERACT", "process")
    assert library._load() is None


def test_a_process_that_reads_a_photographed_receipt_never_loads_pandas(tmp_path):
    """pandas costs ~0.2 s of CPU and ~40 MB in every process that imports it; reading a
    page has no use for it (pytesseract would import it, for a DataFrame output never asked for)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import vision

    receipt = photo(make_receipt(9004, "my_mart"), PHOTO_VARIANTS[0], tmp_path / "receipt.jpg")
    script = ("import sys\nfrom vision import read_invoice, tesseract_missing\n"
              "assert tesseract_missing('eng') is None\n"
              f"result = read_invoice({str(receipt)!r}, templates=[])\n"
              "print(result.status, 'pandas' in sys.modules)\n")
    root = Path(vision.__file__).resolve().parents[1]  # the deskbot this test runs against
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    status, pandas_loaded = done.stdout.split()
    assert status in ("ready", "review") and pandas_loaded == "False"


def test_threads_reading_a_few_words_again_at_once_share_one_loaded_model_set(pages, monkeypatch):
    """Loading a model set costs ~0.3 s of CPU and ~60 MB, reading a date again ~10-30 ms: the
    threads checking their documents' dates wait for the loaded one instead of loading their own."""
    import threading

    page = read_tasks(pages[:1])[0]
    prepared = reader.prepare(reader.load_image(pages[0])).image
    boxes = [(w.x0, w.y0, w.x1, w.y1) for w in page.words if any(c.isdigit() for c in w.text)][:2]
    alone = readings(prepared, boxes)
    monkeypatch.setattr(library, "_free", {})  # as in a process that has read nothing yet
    monkeypatch.setattr(library, "_count", {})
    monkeypatch.setattr(reread, "_READ", {})  # nor remembers what it read
    start = threading.Barrier(4)

    def check(_):
        start.wait()
        return readings(prepared, boxes)

    with ThreadPoolExecutor(4) as threads:
        together = list(threads.map(check, range(4)))
    assert together == [alone] * 4
    assert library._count == {"eng": 1}
