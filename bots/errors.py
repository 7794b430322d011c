"""Every error deskbot raises, in one tree.

The class of an error decides what the runner does with it, so step code never needs to
know about retries or alerts; it raises the right kind and the runner does the rest::

    DeskbotError
    ├── RecipeError          the recipe (data) is wrong: nothing runs; exit 2.
    │                        Carries every Problem found, each with PATH:LINE:COL.
    ├── StepError            a step failed while running (execution failure)
    │   ├── BusinessError    the input or the target says no (bad invoice, wrong login,
    │   │   │                missing row). Retrying cannot help: no retry.
    │   │   └── InputError   a user-supplied file is unreadable or malformed; names the file,
    │   │                    row/line and what to do
    │   ├── TransientError   the world hiccuped (HTTP 503, locked file, network blip):
    │   │                    retried when the step has ``retry:``
    │   └── FatalError       stop the bot: no retry, no ``continue_on_error``; on_failure still runs
    ├── DependencyMissing    an optional binary or library (Chromium, Tesseract) is absent;
    │                        reported by ``deskbot validate`` before anything runs
    └── AccessError          who may do what (bots/users.py): a bad user name, role or
        │                    password; a decision by someone without the role
        └── SignInRefused    wrong password, unknown, disabled or locked-out user (one
                             message for all, so a sign-in page reveals nothing)

    StepTimeout (BaseException)  a step ran past its ``timeout``. It derives from
                             BaseException on purpose, as Robot Framework's timeouts do:
                             a generic ``except Exception`` in step code must not swallow it.
    Parked (BaseException)   the run waits (an approval, a timed retry, a long wait): the
                             runner journals where it stands and the process exits (code 3).
    Rejected (BaseException) an approval was refused: the run ends ``rejected``, a business
                             outcome, not a failure (no alert, exit 0).

Any other exception escaping a step is treated as a BusinessError-like failure (no retry):
retrying an unknown bug only repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass


class DeskbotError(Exception):
    """Root of every error deskbot raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a recipe, placed where the admin can find it."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f" {self.path}:" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}:{where} {self.message}"


class RecipeError(DeskbotError):
    """The recipe is invalid. ``problems`` lists all of them, not only the first."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("<recipe>", 0, 0, "", problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class StepError(DeskbotError):
    """A step failed while running. ``retryable`` tells the runner whether retry may help."""

    retryable = False
    fatal = False


class BusinessError(StepError):
    """The work itself cannot be done as asked; retrying will not change that."""


class InputError(BusinessError):
    """A user-supplied file or value is bad. The message names where and what to do."""

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | int | None = None, sheet: str | None = None):
        self.file, self.row, self.column, self.sheet = file, row, column, sheet
        where = []
        if file:
            where.append(str(file))
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class TransientError(StepError):
    """A passing failure: the step's ``retry:`` policy applies.

    ``retry_after`` (seconds), when the other side said how long to wait (HTTP ``Retry-After``),
    is the least wait before the next try.
    """

    retryable = True
    retry_after: float | None = None


class FatalError(StepError):
    """Stop the bot now: no retry and no continue_on_error."""

    fatal = True


class DependencyMissing(DeskbotError):
    """An optional dependency a step needs (a binary, a language pack) is not installed."""


class AccessError(DeskbotError):
    """A user, role or permission problem; the message says what to do."""


class SignInRefused(AccessError):
    """A sign-in did not succeed. ``reason`` (for the audit trail) is never shown to the person signing in."""

    def __init__(self, reason: str, *, locked_until: str | None = None):
        self.reason = reason
        self.locked_until = locked_until
        super().__init__("wrong user name or password, or the account is locked or disabled")


class StepTimeout(BaseException):
    """A step exceeded its timeout. Not an Exception, so ``except Exception`` cannot eat it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"step timed out after {seconds:g}s")


class Parked(BaseException):
    """The run must wait: a timed retry, a long ``wait:``, an approval. Not an Exception, so
    step code cannot swallow it; the runner journals the step and parks the run.

    ``kind``: approval | retry | wait; ``wake_at``: when the run is due again (None: when a
    person decides); ``state``: what the step wants back when it runs again (journaled).
    """

    def __init__(self, kind: str, detail: str, wake_at=None, *, approval_id: str | None = None,
                 state: dict | None = None):
        self.kind, self.detail, self.wake_at = kind, detail, wake_at
        self.approval_id, self.state = approval_id, state
        super().__init__(detail)


class Rejected(BaseException):
    """An approval was rejected and the recipe stops there: the run ends ``rejected``."""

    def __init__(self, by: str, reason: str):
        self.by, self.reason = by, reason
        super().__init__(f"rejected by {by}: {reason}")
