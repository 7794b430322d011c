"""File steps: ``files.list``, ``files.copy``, ``files.move``, ``files.wait``.

Copies and moves never leave a half-written file behind: they write to a temporary name in
the destination folder and rename it into place. An existing destination is not overwritten
unless ``overwrite: true``.

```yaml
steps:
  - id: scans
    files.list: {folder: inbox, pattern: "*.pdf"}
  - files.move: {src: "{{ item }}", dest: "archive/{{ vars.period }}/"}
    for_each: "{{ steps.scans.files }}"
  - id: export
    files.wait: {path: "downloads/ledger.xlsx", timeout: 2m, stable_for: 2s}
```
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Literal

from pydantic import Field

from bots.durations import parse_duration
from bots.errors import BusinessError, InputError, TransientError
from bots.registry import StepParams, step


class ListParams(StepParams):
    """List files in a folder matching a glob pattern.

    ```yaml
    - id: scans
      files.list: {folder: inbox, pattern: "*.pdf", sort: modified}
    ```
    """

    folder: str = Field(description="folder to list")
    pattern: str = Field("*", description="glob of file names, e.g. *.pdf")
    recursive: bool = Field(False, description="also look in sub-folders")
    sort: Literal["name", "modified", "size"] = Field("name", description="order of the list")


@step("files.list", ListParams, shorthand="folder",
      outputs={"files": "matching file paths, as text", "count": "how many"})
def list_files(ctx, params: ListParams) -> dict:
    folder = Path(params.folder)
    if not folder.is_dir():
        raise BusinessError(f"folder not found: {folder}")
    candidates = folder.rglob("*") if params.recursive else folder.iterdir()
    found = [p for p in candidates if p.is_file() and fnmatch.fnmatch(p.name, params.pattern)]
    keys = {"name": lambda p: str(p), "modified": lambda p: p.stat().st_mtime, "size": lambda p: p.stat().st_size}
    found.sort(key=keys[params.sort])
    return {"files": [str(p) for p in found], "count": len(found)}


class CopyParams(StepParams):
    """Copy a file; ``dest`` ending in ``/`` (or an existing folder) keeps the file name.

    ```yaml
    - files.copy: {src: "{{ steps.statement.path }}", dest: "archive/statements/"}
    ```
    """

    src: str = Field(description="file to copy")
    dest: str = Field(description="target file, or folder ending in /")
    overwrite: bool = Field(False, description="replace an existing target")


def _target(src: Path, dest: str) -> Path:
    target = Path(dest)
    if dest.endswith(("/", os.sep)) or target.is_dir():
        target = target / src.name
    return target


def _place(src: Path, target: Path, overwrite: bool, remove_source: bool) -> Path:
    if not src.is_file():
        raise InputError("file not found", file=str(src))
    if target.exists() and not overwrite:
        raise BusinessError(f"{target} already exists; set overwrite: true to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    if remove_source:
        try:
            os.replace(src, target)  # same filesystem: atomic
            return target
        except OSError:
            pass
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        shutil.copy2(src, temp)
        os.replace(temp, target)
    except PermissionError as exc:
        Path(temp).unlink(missing_ok=True)
        raise TransientError(f"cannot write {target}: {exc.strerror} (is it open elsewhere?)") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if remove_source:
        src.unlink()
    return target


@step("files.copy", CopyParams, outputs={"path": "where the copy is"})
def copy_file(ctx, params: CopyParams) -> dict:
    src = Path(params.src)
    return {"path": str(_place(src, _target(src, params.dest), params.overwrite, remove_source=False))}


class MoveParams(CopyParams):
    """Move a file (atomic on one filesystem; copy-then-delete across filesystems).

    ```yaml
    - files.move: {src: "inbox/a.pdf", dest: "archive/2026-11/"}
    ```
    """


@step("files.move", MoveParams, outputs={"path": "where the file is now"})
def move_file(ctx, params: MoveParams) -> dict:
    src = Path(params.src)
    return {"path": str(_place(src, _target(src, params.dest), params.overwrite, remove_source=True))}


class WaitParams(StepParams):
    """Wait until a file appears and has stopped growing (a download or a scanner finishing).

    ```yaml
    - id: export
      files.wait: {path: "downloads/*.xlsx", timeout: 2m, stable_for: 2s}
    ```
    """

    path: str = Field(description="file path, or a glob pattern")
    timeout: str | float = Field("60s", description="give up after this long")
    stable_for: str | float = Field("1s", description="size unchanged for this long counts as finished")
    poll: str | float = Field("200ms", description="how often to look")


def _sizes(pattern: str) -> dict[str, int]:
    import glob

    out = {}
    for name in glob.glob(pattern):
        try:
            if os.path.isfile(name) and not name.endswith((".part", ".crdownload", ".tmp")):
                out[name] = os.path.getsize(name)
        except OSError:
            continue
    return out


@step("files.wait", WaitParams, shorthand="path", outputs={"path": "the file that arrived", "size": "its size in bytes"})
def wait_for_file(ctx, params: WaitParams) -> dict:
    try:
        timeout, stable, poll = (parse_duration(v) for v in (params.timeout, params.stable_for, params.poll))
    except ValueError as exc:
        raise BusinessError(str(exc)) from None
    deadline = time.monotonic() + timeout
    last: dict[str, tuple[int, float]] = {}
    while True:
        now = time.monotonic()
        for name, size in _sizes(params.path).items():
            previous = last.get(name)
            if previous is None or previous[0] != size:
                last[name] = (size, now)
            elif now - previous[1] >= stable:
                return {"path": name, "size": size}
        if now >= deadline:
            state = "appeared but kept growing" if last else "did not appear"
            raise TransientError(f"{params.path} {state} within {timeout:g}s")
        time.sleep(poll)
