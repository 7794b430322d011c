"""Pages read together share Tesseract calls (vision.reader.read_tasks, vision.pool.PagePool):
the same words as page by page, fewer Tesseract start-ups, and one bad page costs the others
nothing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import vision.reader as reader
from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import SCAN_VARIANTS, Scan, make_invoice, write_scan
from vision import UnreadableDocument, read_invoice
from vision.pool import PagePool
from vision.reader import PageTask, read_task, read_tasks

pytestmark = needs_tesseract


def _words(page) -> list[tuple]:
    return [(w.text, w.x0, w.y0, w.x1, w.y1, w.conf) for w in page.words]


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """Four scans that take different paths: Latin, Latin upside down, German at 150 dpi,
    Chinese (CJK models) turned 90 degrees."""
    folder = tmp_path_factory.mktemp("batch")
    cases = [("classic", SCAN_VARIANTS[0]), ("stacked", Scan(300, rotate=180)), ("de", Scan(150, skew=1.5)),
             ("cn", Scan(300, rotate=90))]
    return [write_scan(make_invoice(900 + n, layout), scan, folder / f"{n}-{layout}.png")
            for n, (layout, scan) in enumerate(cases)]


def _count_tesseract_calls(monkeypatch) -> list[str]:
    """Reads handed to Tesseract: each one loaded the models once (the ``tesseract`` command),
    or took a loaded set from this process (``vision.tesseract_library``)."""
    calls: list[str] = []
    real = reader._tesseract_batch

    def counted(images, languages, psm, pages):
        calls.append(languages)
        return real(images, languages, psm, pages)

    monkeypatch.setattr(reader, "_tesseract_batch", counted)
    return calls


def test_pages_read_together_give_the_same_words_in_fewer_tesseract_calls(scans, monkeypatch):
    tasks = [PageTask(str(path), "image", 0, 1) for path in scans]
    calls = _count_tesseract_calls(monkeypatch)
    alone = [read_task(task) for task in tasks]
    calls_alone = len(calls)
    calls.clear()
    together = read_tasks(tasks)
    assert [_words(p) for p in together] == [_words(p) for p in alone]
    assert [(p.rotation, p.skew, p.thorough) for p in together] == [(p.rotation, p.skew, p.thorough) for p in alone]
    turned = {p.rotation for p in together}
    assert 180 in turned and turned & {90, 270}  # the batch really held turned pages
    # the first pass alone needs one call per page one by one, one per language set together
    assert len(calls) < calls_alone
    assert all(p.seconds > 0 for p in together)


def test_a_page_that_cannot_be_decoded_does_not_cost_the_others_their_read(scans, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(scans[0].read_bytes()[:3000])
    results = read_tasks([PageTask(str(broken), "image", 0, 1), PageTask(str(scans[0]), "image", 0, 1)])
    assert isinstance(results[0], UnreadableDocument) and "broken.png" in str(results[0])
    assert any(w.text.startswith("INV") or w.text == "Invoice" for w in results[1].words)


def test_page_pool_batches_pages_of_many_files_and_reads_them_right(scans, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(scans[0].read_bytes()[:3000])
    files = [str(p) for p in scans] + [str(broken)]
    alone = {f: read_invoice(f, templates=[]) for f in files}
    with PagePool(workers=1, batch=4) as pool:
        # one worker busy with the first page lets the other files pile up into batches
        with ThreadPoolExecutor(pool.files_in_flight()) as threads:
            pooled = dict(zip(files, threads.map(lambda f: read_invoice(f, templates=[], executor=pool), files)))
        assert pool.pages_sent >= len(files) and pool.batches_sent < pool.pages_sent
    for f in files:
        assert pooled[f].status == alone[f].status
        assert pooled[f].plain_fields() == alone[f].plain_fields()
    assert pooled[str(broken)].status == "unreadable" and "broken.png" in pooled[str(broken)].reasons[0]


def test_page_pool_runs_other_work_and_refuses_pages_after_shutdown(scans):
    pool = PagePool(workers=1)
    assert pool.submit(pow, 2, 10).result() == 1024
    pool.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit(read_task, PageTask(str(scans[0]), "image", 0, 1))


def test_page_pool_shutdown_cancels_pages_not_yet_started(scans):
    pool = PagePool(workers=1, batch=1)
    futures = [pool.submit(read_task, PageTask(str(scans[0]), "image", 0, 1)) for _ in range(4)]
    pool.shutdown(wait=True, cancel_futures=True)
    assert futures[0].result().words  # the page already with the worker was finished
    assert all(f.cancelled() for f in futures[1:])


def _read_tasks_or_die(tasks):
    """read_tasks, except that a worker given the page named killer.png dies on the spot."""
    import os

    if any(task.path.endswith("killer.png") for task in tasks):
        os._exit(1)
    return read_tasks(tasks)


def test_a_page_that_kills_its_worker_fails_alone_and_the_pool_goes_on(scans, tmp_path):
    import shutil

    killer = tmp_path / "killer.png"
    shutil.copy(scans[0], killer)
    tasks = [PageTask(str(scans[0]), "image", 0, 1), PageTask(str(killer), "image", 0, 1),
             PageTask(str(scans[2]), "image", 0, 1), PageTask(str(scans[0]), "image", 0, 1)]
    # not fork: a pool started again from a callback would fork a process full of threads
    with PagePool(workers=1, batch=4, reader=_read_tasks_or_die) as pool:
        futures = [pool.submit(read_task, task) for task in tasks]
        with pytest.raises(UnreadableDocument, match="killer.png: page 1 stopped the OCR worker"):
            futures[1].result(timeout=120)
        pages = [futures[i].result(timeout=120) for i in (0, 2, 3)]
        assert all(page.words for page in pages)
        # and the pool still reads
        assert pool.submit(read_task, tasks[2]).result(timeout=120).words


def test_cut_outs_taller_together_than_tesseract_accepts_are_read_in_several_strips():
    # a receipt's second look once stacked 52 cut-outs, one of them a tall logo, into a strip
    # 35,762 pixels high, and Tesseract refused the whole page ("Image too large")
    import numpy as np

    pieces = [(np.full((40, 300), 255, np.uint8), 10, 50 * i) for i in range(50)]
    pieces.insert(3, (np.full((3000, 500), 255, np.uint8), 0, 0))
    steps = reader._read_pieces(pieces, "eng")
    strips = []
    try:
        request = next(steps)
        while True:
            strips.append(request.image.shape)
            request = steps.send([])
    except StopIteration as done:
        read = done.value
    assert all(height <= 32767 for height, _ in strips)
    assert len(read) == len(pieces)
