"""Step timeouts that stop a hung step.

On POSIX in the main thread a real-time interval timer (SIGALRM) raises ``StepTimeout``
inside the running step, even in ``time.sleep`` or a blocking read; nested scopes share the
one timer by keeping a stack of deadlines. Elsewhere (a non-main thread) the step runs in a
helper thread that is abandoned when its time is up: the run goes on, the step is failed.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from bots.errors import StepTimeout

_stack: list[tuple[float, object]] = []
_shielded = 0  # depth of ``shielded()`` blocks running in the main thread
_deferred = False  # an alarm came while shielded: it is raised when the block ends
#: a scope's timeout that fired is raised again only this long after, should something have
#: eaten it (a C callback prints and drops exceptions): sooner, it would land in the scope's own
#: handling of the first one and escape it as an outer scope's timeout
REFIRE_AFTER = 1.0


def _due(deadline: float, token: object) -> float:
    fired = getattr(token, "fired_at", None)
    return deadline if fired is None else fired + REFIRE_AFTER


def _arm() -> None:
    if not _stack:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    deadline = min(_due(d, tok) for d, tok in _stack)
    signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))


def _on_alarm(signum, frame) -> None:
    global _deferred
    if _shielded:
        _deferred = True
        return
    now = time.monotonic()
    due = [(_due(d, tok), tok) for d, tok in _stack if _due(d, tok) <= now + 0.0005]
    if not due:
        _arm()
        return
    deadline, token = min(due, key=lambda x: x[0])
    token.fired_at = now
    exc = StepTimeout(getattr(token, "seconds", 0))
    exc.token = token
    _arm()
    raise exc


@contextmanager
def shielded() -> Iterator[None]:
    """A block a timeout must not cut in two (a commit and the note of what it committed): a
    timeout due inside it is raised as soon as it ends."""
    global _shielded, _deferred
    if not _can_use_signals():
        yield
        return
    _shielded += 1
    try:
        yield
    finally:
        _shielded -= 1
        if not _shielded and _deferred:
            _deferred = False
            _on_alarm(signal.SIGALRM, None)  # raises the timeout that fell due, else re-arms


def _can_use_signals() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class _Token:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired_at: float | None = None


#: longest a sleep goes without looking for a signal that another thread took
_SLEEP_SLICE = 0.25


def sleep(seconds: float) -> None:
    """``time.sleep`` that acts on Ctrl-C or SIGTERM within a quarter second.

    While a store write holds those signals back in the main thread, the kernel hands one to
    another thread (numpy's, say); Python then runs its handler at the main thread's next
    bytecode, which a plain long sleep would put off until it ends."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(left, _SLEEP_SLICE))


def run_with_timeout(seconds: float | None, func: Callable[[], Any]) -> Any:
    """Run ``func()``; raise StepTimeout(seconds) if it takes longer than ``seconds``."""
    if not seconds:
        return func()
    if _can_use_signals():
        return _run_signal(seconds, func)
    return _run_thread(seconds, func)


def _run_signal(seconds: float, func: Callable[[], Any]) -> Any:
    token = _Token(seconds)
    previous = signal.getsignal(signal.SIGALRM)
    if previous is not _on_alarm:
        signal.signal(signal.SIGALRM, _on_alarm)
    entry = (time.monotonic() + seconds, token)
    _stack.append(entry)
    _arm()
    try:
        return func()
    except StepTimeout as exc:
        if getattr(exc, "token", token) is token:
            raise StepTimeout(seconds) from None
        raise
    finally:
        _stack.remove(entry)
        _arm()
        if not _stack and previous is not _on_alarm:
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def _run_thread(seconds: float, func: Callable[[], Any]) -> Any:
    box: dict[str, Any] = {}

    def target():
        try:
            box["value"] = func()
        except BaseException as exc:  # handed back to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name="deskbot-step")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StepTimeout(seconds)
    if "error" in box:
        raise box["error"]
    return box.get("value")

