"""Tesseract run inside this process, through the C API of libtesseract (the library the
``tesseract`` command is built on), its models loaded once per process and language list.

    from vision.tesseract_library import read_tsv_rows
    rows = read_tsv_rows(image, "eng", psm=3)   # None: use the tesseract command instead

Each ``tesseract`` command loads its models again before it reads anything: ~0.15-0.2 s of
CPU with eng, ~0.3 s with eng+chi_sim, which is more than reading a receipt's doubtful words or
the few words a check reads again costs, and a page is read in 2-4 calls. Here a loaded model
set (a ``TessBaseAPI``) is kept per language list and reused, page after page. The same
library with the same parameters and the same pixels gives the same words as the command
(``tests/vision/test_tesseract_library.py`` compares them).

- Used only when libtesseract is found and its version is the ``tesseract`` command's, and
  when OpenMP in this process runs one thread (``OMP_THREAD_LIMIT=1``, which this module sets
  before the library loads, as ``vision.reader.worker_init`` does for the pool's workers):
  Tesseract's own threads only add CPU when every core reads a page, and a process that forks
  after OpenMP started threads hangs in the child. Otherwise, or with ``DESKBOT_TESSERACT=process``
  in the environment, ``read_tsv_rows`` returns None and the command is run as before.
- A loaded model set serves one thread at a time; threads reading at once get one each (at most
  ``MAX_PER_LANGUAGES``; more wait): ~60 MB each with eng or eng+chi_sim, ~40 MB with chi_sim.
  A read of a few words (``FEW_WORDS_PIXELS``) waits for a loaded one rather than load another.
- A forked child starts with none (the parent's may be in use by its other threads).
- Trade-off: a crash inside Tesseract now ends the process that called it, where it ended only
  the ``tesseract`` command before. The pool's workers (``vision.pool``) survive that as before:
  a dead worker's pages are read again alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import threading

import numpy as np

from vision.errors import OcrUnavailable

#: loaded model sets of one language list kept at most (threads reading at once beyond it wait)
MAX_PER_LANGUAGES = max(os.cpu_count() or 1, 2)
#: images of fewer pixels than this (a few words read again, ~10-30 ms of CPU) wait for a loaded
#: model set rather than load another, which costs ~0.3 s of CPU and ~60 MB: two threads
#: confirming a date each loaded one of their own
FEW_WORDS_PIXELS = 500_000
#: parameters set on every model set, as ``vision.reader.TESSERACT_OPTIONS`` gives the command
PARAMETERS = {"tessedit_do_invert": "0", "debug_file": os.devnull}

_state_lock = threading.Lock()
_library: ctypes.CDLL | None | bool = None  # False: not to be used in this process
_free: dict[str, list[int]] = {}
_count: dict[str, int] = {}
_returned = threading.Condition(_state_lock)


class TesseractFailed(Exception):
    """Tesseract could not read an image (as the command's non-zero exit)."""


def _reset_after_fork() -> None:
    global _state_lock, _returned, _free, _count
    # the parent's model sets may be in use by its other threads: the child starts with none
    # (those are left to the process image, not freed), and with fresh locks
    _state_lock = threading.Lock()
    _returned = threading.Condition(_state_lock)
    _free, _count = {}, {}


os.register_at_fork(after_in_child=_reset_after_fork)


def _libgomp_loaded() -> bool | None:
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            return "libgomp" in fh.read()
    except OSError:
        return None


def _one_openmp_thread() -> bool:
    """Will Tesseract's OpenMP run one thread here? libgomp reads OMP_THREAD_LIMIT once, when
    it loads: before that it is set here (unless the caller chose another limit)."""
    limit = os.environ.get("OMP_THREAD_LIMIT")
    if _libgomp_loaded() is False and limit in (None, "", "1"):
        os.environ["OMP_THREAD_LIMIT"] = "1"
        return True
    return limit == "1"


def tesseract_command(*arguments: str) -> str:
    """What ``tesseract ARGUMENTS`` prints (its output and errors). Run here, not through
    pytesseract: importing pytesseract imports pandas when it is installed, ~0.2 s of CPU and
    ~40 MB in every process that reads a page, for a DataFrame output deskbot never asks for.
    Raises ``OcrUnavailable`` when the command does not run."""
    try:
        done = subprocess.run([shutil.which("tesseract") or "tesseract", *arguments], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=False)
    except OSError as exc:
        raise OcrUnavailable(f"the tesseract command does not run: {exc}") from None
    if done.returncode not in (0, 1):  # tesseract 3 answered --list-langs with 1
        raise OcrUnavailable(f"the tesseract command failed (exit {done.returncode})")
    return done.stdout.decode("utf-8", errors="replace")


def _command_version() -> str | None:
    """The command's version as the library states its own ('5.3.0'): the first line is
    'tesseract 5.3.0' ('tesseract 5.3.0-6-g1b7b', a build from git, is 5.3.0 too)."""
    try:
        first = tesseract_command("--version").strip().splitlines()[0]
        return first.split()[1].lstrip("v").partition("-")[0]
    except (OcrUnavailable, IndexError):  # no command: the caller's check reports it
        return None


def _load() -> ctypes.CDLL | None:
    if os.environ.get("DESKBOT_TESSERACT", "").strip().lower() == "process" or not _one_openmp_thread():
        return None
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
        lib.TessVersion.restype = ctypes.c_char_p
        version = lib.TessVersion().decode()
    except (OSError, AttributeError):
        return None
    if version.split()[0] != _command_version():
        return None  # another build than the command's: its words could differ
    handle, text = ctypes.c_void_p, ctypes.POINTER(ctypes.c_char)
    lib.TessBaseAPICreate.restype = handle
    lib.TessBaseAPIInit3.argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p]
    lib.TessBaseAPISetVariable.argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p]
    lib.TessBaseAPISetPageSegMode.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPISetImage.argtypes = [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.TessBaseAPIRecognize.argtypes = [handle, ctypes.c_void_p]
    lib.TessBaseAPIGetTsvText.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPIGetTsvText.restype = text
    lib.TessDeleteText.argtypes = [text]
    lib.TessBaseAPIClear.argtypes = [handle]
    lib.TessBaseAPIEnd.argtypes = [handle]
    lib.TessBaseAPIDelete.argtypes = [handle]
    return lib


def available() -> bool:
    """Is Tesseract read in this process (the library found, one OpenMP thread)?"""
    global _library
    with _state_lock:
        if _library is None:
            _library = _load() or False
        return bool(_library)


def _take(languages: str, load_another: bool = True) -> int:
    """A loaded model set of ``languages``: a free one, else a new one (at most
    ``MAX_PER_LANGUAGES``, or only the first with ``load_another`` False), else the next one
    given back."""
    lib = _library
    most = MAX_PER_LANGUAGES if load_another else 1
    with _returned:
        while not _free.get(languages) and _count.get(languages, 0) >= most:
            _returned.wait()
        if _free.get(languages):
            return _free[languages].pop()
        _count[languages] = _count.get(languages, 0) + 1
    api = lib.TessBaseAPICreate()
    if lib.TessBaseAPIInit3(api, None, languages.encode()) != 0:
        lib.TessBaseAPIDelete(api)
        with _returned:
            _count[languages] -= 1
            _returned.notify()
        raise OcrUnavailable(f"tesseract language pack missing for {languages!r}")
    for name, value in PARAMETERS.items():
        if not lib.TessBaseAPISetVariable(api, name.encode(), value.encode()):
            raise RuntimeError(f"libtesseract has no parameter {name}")
    return api


def _give_back(languages: str, api: int) -> None:
    with _returned:
        _free.setdefault(languages, []).append(api)
        _returned.notify()


def read_tsv_rows(images: list[np.ndarray], languages: str, psm: int) -> list[list[list[str]]] | None:
    """Each image's TSV rows (the command's ``tsv`` output without its header line, split at
    tabs), read one after the other with one loaded model set; None when Tesseract is not
    read in this process (``available``). Images are 2-D uint8 (grey) arrays. An image
    Tesseract cannot read raises ``TesseractFailed``."""
    if not available():
        return None
    lib = _library
    api = _take(languages, load_another=sum(image.size for image in images) >= FEW_WORDS_PIXELS)
    try:
        out = []
        for image in images:
            pixels = np.ascontiguousarray(image, dtype=np.uint8)
            if pixels.ndim != 2:
                raise TesseractFailed(f"not a grey image: shape {pixels.shape}")
            lib.TessBaseAPISetPageSegMode(api, psm)
            lib.TessBaseAPISetImage(api, pixels.ctypes.data, pixels.shape[1], pixels.shape[0], 1, pixels.strides[0])
            if lib.TessBaseAPIRecognize(api, None) != 0:
                lib.TessBaseAPIClear(api)
                raise TesseractFailed(f"tesseract could not read a {pixels.shape[1]}x{pixels.shape[0]} image")
            raw = lib.TessBaseAPIGetTsvText(api, 0)
            try:
                tsv = ctypes.string_at(raw).decode("utf-8", errors="replace") if raw else ""
            finally:
                if raw:
                    lib.TessDeleteText(raw)
            lib.TessBaseAPIClear(api)  # the page's results; the models stay loaded
            out.append([line.split("\t") for line in tsv.split("\n") if line])
        return out
    finally:
        _give_back(languages, api)
