"""Chat messages (DingTalk, WeCom, Slack, Teams, a plain webhook …) through Apprise, with an
outbox so that nothing is lost while a service is down or a rate limit is reached.

One Apprise URL names a service and its credentials (``dingtalk://SECRET@TOKEN/`` for a signed
DingTalk robot, ``wecombot://KEY``, ``json://host/path`` for a generic JSON webhook); see
https://github.com/caronc/apprise/wiki for every service.

- Every message is written to ``DESKBOT_HOME/outbox/chat/`` first (one file per target, temp
  file then rename) and removed once the service took it. A secret inside a target URL is not
  written to disk: the file holds ``${secret:NAME}`` and the value is read from the environment
  (or ``.env``) when the message goes out.
- Per-target rate limits (DingTalk robots accept 20 messages a minute, then block for 10
  minutes; WeCom robots 20 a minute): a message over the limit waits in the outbox and goes
  with a later flush (the scheduler flushes once a minute), in order.
- Text is cut to the service's limit, in UTF-8 bytes (WeCom: 2,048), with a note saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from bots.fileio import write_atomic

#: service scheme -> (messages, per seconds)
RATE_LIMITS = {"dingtalk": (20, 60.0), "wecombot": (20, 60.0)}
#: service scheme -> body limit in UTF-8 bytes (Apprise's own limits are in characters)
BYTE_LIMITS = {"wecombot": 2048, "dingtalk": 19_000}
CUT_NOTE = "\n… (message cut to the service's size limit)"
_MARKER = re.compile(r"\$\{secret:([A-Za-z_][A-Za-z0-9_]*)\}")


class ChatError(Exception):
    """A target URL Apprise does not understand, or a secret missing at delivery."""


def chat_dir(home: Path) -> Path:
    folder = Path(home) / "outbox" / "chat"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def scheme_of(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def with_markers(url: str, secrets: dict[str, str]) -> str:
    """Replace secret values inside a URL by ``${secret:NAME}`` (longest first)."""
    for name, value in sorted(secrets.items(), key=lambda kv: len(kv[1] or ""), reverse=True):
        if value:
            url = url.replace(value, f"${{secret:{name}}}")
    return url


def _resolve(url: str, search_dirs: Iterable[Path]) -> str:
    names = _MARKER.findall(url)
    if not names:
        return url
    from bots.secrets import resolve_secrets

    try:
        values = resolve_secrets(names, search_dirs)
    except Exception as exc:
        raise ChatError(str(exc)) from None
    return _MARKER.sub(lambda m: values[m.group(1)], url)


def masked_target(url: str) -> str:
    """How a target is shown in logs: the service and a short fingerprint, never credentials."""
    return f"{scheme_of(url) or 'chat'}://…#{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def cut_to_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = max(limit - len(CUT_NOTE.encode("utf-8")), 0)
    return data[:room].decode("utf-8", errors="ignore") + CUT_NOTE


def check_target(url: str) -> str | None:
    """None when Apprise knows the URL's service, else why not (for validation)."""
    import apprise

    probe = _MARKER.sub("placeholder", url)
    if apprise.Apprise.instantiate(probe, suppress_exceptions=True) is None:
        return f"{masked_target(url)}: not an Apprise URL this version understands (scheme {scheme_of(url)!r})"
    return None


def queue(home: Path, targets: list[str], title: str, body: str, attach: list[str] | None = None,
          label: str = "chat", search_dirs: Iterable[Path] = ()) -> list[Path]:
    """One outbox file per target; ``targets`` already carry ``${secret:NAME}`` markers."""
    folder = chat_dir(home)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", label)[:60]
    paths = []
    for index, target in enumerate(targets):
        record = {"target": target, "title": title, "body": body, "attach": list(attach or []),
                  "search_dirs": [str(d) for d in search_dirs], "created": time.time()}
        final = folder / f"{stamp}-{index:02d}-{safe}-{os.urandom(3).hex()}.json"
        paths.append(write_atomic(final, json.dumps(record, ensure_ascii=False)))
    return paths


def waiting(home: Path) -> list[Path]:
    folder = Path(home) / "outbox" / "chat"
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith(".")) if folder.is_dir() else []


class _RateBook:
    """When each target last sent, kept beside the outbox so every process sees the same window."""

    def __init__(self, home: Path):
        self.path = chat_dir(home) / ".rate-book"
        try:
            self.sent: dict[str, list[float]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.sent = {}

    def allows(self, target: str) -> bool:
        limit = RATE_LIMITS.get(scheme_of(target))
        if limit is None:
            return True
        count, window = limit
        key = hashlib.sha256(target.encode()).hexdigest()
        now = time.time()
        recent = [t for t in self.sent.get(key, []) if now - t < window]
        self.sent[key] = recent
        return len(recent) < count

    def note(self, target: str) -> None:
        if scheme_of(target) in RATE_LIMITS:
            self.sent.setdefault(hashlib.sha256(target.encode()).hexdigest(), []).append(time.time())

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self.sent))


def _deliver(record: dict) -> tuple[bool, str]:
    import apprise

    url = _resolve(record["target"], [Path(d) for d in record.get("search_dirs", [])])
    service = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if service is None:
        return False, f"{masked_target(record['target'])}: not an Apprise URL this version understands"
    limit = BYTE_LIMITS.get(scheme_of(url), getattr(service, "body_maxlen", 0) or 0)
    body = cut_to_bytes(record["body"], limit) if limit else record["body"]
    attach = None
    if record.get("attach"):
        attach = apprise.AppriseAttachment()
        for item in record["attach"]:
            if Path(item).is_file():
                attach.add(item)
    # Apprise logs the full URL (with its token) at debug level: keep its logger quiet
    import logging

    logging.getLogger("apprise").setLevel(logging.CRITICAL)
    ok = service.notify(body=body, title=record.get("title") or "", body_format=apprise.NotifyFormat.MARKDOWN,
                        attach=attach)
    return bool(ok), "" if ok else f"{masked_target(record['target'])}: the service did not accept the message"


def flush(home: Path) -> int:
    """Deliver waiting chat messages, oldest first, within each target's rate limit."""
    from filelock import FileLock, Timeout

    folder = chat_dir(home)
    lock = FileLock(str(folder / ".flush.lock"))
    try:
        lock.acquire(timeout=60)
    except Timeout:
        return 0
    sent = 0
    try:
        book = _RateBook(home)
        held_back: set[str] = set()  # a target that failed or is at its limit keeps its order
        for path in waiting(home):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue
            except ValueError:
                _set_aside(path, "the outbox file is not valid JSON")
                continue
            target = record.get("target", "")
            if target in held_back:
                continue
            if not book.allows(target):
                held_back.add(target)
                continue
            try:
                ok, why = _deliver(record)
            except ChatError as exc:
                ok, why = False, str(exc)
            except Exception as exc:  # a plugin bug must not stop the other targets
                ok, why = False, f"{masked_target(target)}: {type(exc).__name__}"
            if ok:
                book.note(target)
                path.unlink(missing_ok=True)
                sent += 1
            else:
                held_back.add(target)
                print(f"deskbot chat: {why}; the message waits in {folder}", file=sys.stderr)
        book.save()
    finally:
        lock.release()
    return sent


def _set_aside(path: Path, reason: str) -> None:
    folder = path.parent / "undeliverable"
    folder.mkdir(exist_ok=True)
    os.replace(path, folder / path.name)
    (folder / (path.name + ".reason.txt")).write_text(reason + "\n", encoding="utf-8")


def send(home: Path, targets: list[str], title: str, body: str, attach: list[str] | None = None,
         label: str = "chat", search_dirs: Iterable[Path] = ()) -> dict:
    """Queue then deliver; returns {"sent": n, "queued": n} for these targets."""
    paths = queue(home, targets, title, body, attach, label, search_dirs)
    flush(home)
    left = sum(1 for p in paths if p.exists())
    return {"sent": len(paths) - left, "queued": left}
