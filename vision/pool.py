"""A process pool that reads OCR pages a few at a time, so Tesseract's start-up is paid once
per batch instead of once per page.

    from vision.pool import PagePool
    from vision import read_invoice

    with PagePool(workers=2) as pool:                       # a concurrent.futures.Executor
        result = read_invoice("scan.tif", executor=pool)    # from many threads at once

Every Tesseract call loads its models and warms up, ~0.15 s CPU with eng and ~0.3 s with
eng+chi_sim, next to ~0.5-1 s of reading a page. ``vision.reader.read_tasks`` reads several
pages with one call per step; this pool feeds it.

Pages submitted with ``pool.submit(read_task, task)`` (what ``read_document`` does) wait in
this process. Whenever a worker is free it takes up to ``batch`` of them, an even share of
those waiting, so two waiting pages go to two idle workers rather than one. A page that
arrives while a worker is idle is read at once: a quiet folder pays no latency for batching,
and a pile of scans (a scanner's stack, a backlog after a restart) is read in batches. For
batches to form, more files must be in flight than workers: ``files_in_flight`` says how many.
Anything else submitted goes straight to the process pool.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import partial

from vision.reader import PageTask, read_task, read_tasks, worker_init

DEFAULT_BATCH = 4


class PagePool(Executor):
    def __init__(self, workers: int | None = None, batch: int = DEFAULT_BATCH, mp_context=None):
        self.workers = max(workers or os.cpu_count() or 1, 1)
        self.batch = max(batch, 1)
        if mp_context is None:
            # not fork: the pool often starts after the caller has started threads (Playwright,
            # a file watcher), and a forked child inherits their held locks and can hang
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            mp_context = multiprocessing.get_context(method)
        self._pool = ProcessPoolExecutor(self.workers, mp_context=mp_context, initializer=worker_init)
        self._waiting: deque[tuple[PageTask, Future]] = deque()
        self._busy = 0
        self._closed = False
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        #: batches sent to the workers, and pages in them (for tests and benchmarks)
        self.batches_sent = 0
        self.pages_sent = 0

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
            self._waiting.append((args[0], future))
            self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Give waiting pages to free workers (holding the lock)."""
        while self._waiting and self._busy < self.workers:
            share = -(-len(self._waiting) // (self.workers - self._busy))
            taken = [self._waiting.popleft() for _ in range(min(share, self.batch))]
            batch = [(task, future) for task, future in taken if future.set_running_or_notify_cancel()]
            if not batch:
                continue
            try:
                reading = self._pool.submit(read_tasks, [task for task, _ in batch])
            except Exception as exc:  # the pool broke (a worker was killed) or was shut down
                for _, future in batch:
                    future.set_exception(exc)
                continue
            self._busy += 1
            self.batches_sent += 1
            self.pages_sent += len(batch)
            reading.add_done_callback(partial(self._finished, batch))

    def _finished(self, batch: list[tuple[PageTask, Future]], reading: Future) -> None:
        try:
            results = reading.result()
        except BaseException as exc:  # the worker died, or OCR is not available at all
            results = [exc] * len(batch)
        with self._lock:
            self._busy -= 1
            self._dispatch()
            self._idle.notify_all()
        # outside the lock: resolving a future runs its waiters' callbacks
        for (_, future), result in zip(batch, results):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            if cancel_futures:
                while self._waiting:
                    self._waiting.popleft()[1].cancel()
            if wait:
                self._idle.wait_for(lambda: not self._waiting and self._busy == 0)
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
