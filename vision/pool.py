"""A process pool that reads OCR pages a few at a time, so Tesseract's start-up is paid once
per batch instead of once per page.

    from vision.pool import PagePool
    from vision import read_invoice

    with PagePool(workers=2) as pool:                       # a concurrent.futures.Executor
        result = read_invoice("scan.tif", executor=pool)    # from many threads at once

Every ``tesseract`` command loads its models and warms up, ~0.15 s CPU with eng and ~0.3 s
with eng+chi_sim, next to ~0.5-1 s of reading a page. ``vision.reader.read_tasks`` reads several
pages with one call per step; this pool feeds it. Where Tesseract runs inside the workers
(``vision.tesseract_library``) each worker loads the models once for all its pages, and batches
only save handing pages over one at a time.

Pages submitted with ``pool.submit(read_task, task)`` (what ``read_document`` does) wait in
this process. Whenever a worker is free it takes up to ``batch`` of them, an even share of
those waiting, so two waiting pages go to two idle workers rather than one. A page that
arrives while a worker is idle is read at once: a quiet folder pays no latency for batching,
and a pile of scans (a scanner's stack, a backlog after a restart) is read in batches. For
batches to form, more files must be in flight than workers: ``files_in_flight`` says how many.
Anything else submitted goes straight to the process pool.

A worker that dies (killed, out of memory) breaks a process pool for good. Here the pool is
replaced, and the pages it was reading are read again, each on its own: the good ones come
back as if nothing happened, and a page that kills a worker twice fails alone, as unreadable.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from vision.errors import UnreadableDocument
from vision.reader import PageTask, read_task, read_tasks, worker_init

DEFAULT_BATCH = 4


@dataclass
class _Pending:
    task: PageTask
    future: Future
    alone: bool = False  # to be read in a batch of its own: a worker died on a batch holding it


class PagePool(Executor):
    def __init__(self, workers: int | None = None, batch: int = DEFAULT_BATCH, mp_context=None,
                 reader: Callable[[list[PageTask]], list] = read_tasks):
        """``reader`` is what a worker runs on a batch (a module-level function, to be pickled):
        ``read_tasks`` unless a test wraps it."""
        self.workers = max(workers or os.cpu_count() or 1, 1)
        self.batch = max(batch, 1)
        if mp_context is None:
            # not fork: the pool often starts after the caller has started threads (Playwright,
            # a file watcher), and a forked child inherits their held locks and can hang
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            mp_context = multiprocessing.get_context(method)
        self._mp_context = mp_context
        self._reader = reader
        self._pool = self._new_pool()
        self._waiting: deque[_Pending] = deque()
        self._busy = 0
        self._closed = False
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        #: batches sent to the workers, and pages in them (for tests and benchmarks)
        self.batches_sent = 0
        self.pages_sent = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._mp_context, initializer=worker_init)

    def files_in_flight(self) -> int:
        """How many files to read at once to keep every worker on full batches: one batch per
        worker being read, and one more waiting to be taken."""
        return (self.workers + 1) * self.batch

    def submit(self, fn, /, *args, **kwargs) -> Future:
        if fn is not read_task or kwargs or len(args) != 1:
            return self._pool.submit(fn, *args, **kwargs)
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot read pages after the pool was shut down")
            self._waiting.append(_Pending(args[0], future))
            self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Give waiting pages to free workers (holding the lock)."""
        while self._waiting and self._busy < self.workers:
            share = min(-(-len(self._waiting) // (self.workers - self._busy)), self.batch)
            taken = [self._waiting.popleft()]
            while not taken[0].alone and len(taken) < share and not self._waiting[0].alone:
                taken.append(self._waiting.popleft())
            # a page read again after a worker died is already running
            batch = [p for p in taken if p.alone or p.future.set_running_or_notify_cancel()]
            if not batch:
                continue
            try:
                reading, pool = self._submit(batch)
            except Exception as exc:  # shut down meanwhile
                for p in batch:
                    p.future.set_exception(exc)
                continue
            self._busy += 1
            self.batches_sent += 1
            self.pages_sent += len(batch)
            reading.add_done_callback(partial(self._finished, batch, pool))

    def _submit(self, batch: list[_Pending]) -> tuple[Future, ProcessPoolExecutor]:
        """The batch sent to a worker, and the process pool it went to (holding the lock)."""
        pool = self._pool
        try:
            return pool.submit(self._reader, [p.task for p in batch]), pool
        except BrokenProcessPool:  # a worker died and no batch has told yet
            self._replace(pool)
            return self._pool.submit(self._reader, [p.task for p in batch]), self._pool

    def _finished(self, batch: list[_Pending], pool: ProcessPoolExecutor, reading: Future) -> None:
        try:
            results = reading.result()
        except BrokenProcessPool:
            results = self._after_worker_died(batch, pool)
        except BaseException as exc:  # OCR is not available at all
            results = [exc] * len(batch)
        with self._lock:
            self._busy -= 1
            self._dispatch()
            self._idle.notify_all()
        # outside the lock: resolving a future runs its waiters' callbacks
        for p, result in zip(batch, results):
            if result is None:  # to be read again
                continue
            if isinstance(result, BaseException):
                p.future.set_exception(result)
            else:
                p.future.set_result(result)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A fresh process pool instead of ``broken`` (holding the lock; once per breakage)."""
        if self._pool is broken and not self._closed:
            self._pool = self._new_pool()
            broken.shutdown(wait=False, cancel_futures=True)

    def _after_worker_died(self, batch: list[_Pending], pool: ProcessPoolExecutor) -> list:
        """A fresh pool, and the batch's pages queued again one by one (None each), unless it was
        a single page read alone already: that page is unreadable."""
        with self._lock:
            self._replace(pool)
            if len(batch) == 1 and batch[0].alone:
                task = batch[0].task
                return [UnreadableDocument(f"{Path(task.path).name}: page {task.number} stopped the OCR worker "
                                           "twice (too large for memory, or damaged); scan it again")]
            for p in reversed(batch):
                p.alone = True
                self._waiting.appendleft(p)
            return [None] * len(batch)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            if cancel_futures:
                while self._waiting:
                    pending = self._waiting.popleft()
                    if not pending.alone:
                        pending.future.cancel()
                    else:  # already running: it cannot be cancelled, only told
                        pending.future.set_exception(RuntimeError("the pool was shut down before the page was read"))
            if wait:
                self._idle.wait_for(lambda: not self._waiting and self._busy == 0)
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
