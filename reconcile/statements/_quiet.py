"""Keep third-party parsers off the terminal.

Statement libraries talk: ``mt-940`` logs a regex trace (and errors) for every tag it tries,
``ofxparse``/BeautifulSoup raise warnings, some print. None of that is for the operator, who
gets deskbot's own message naming the file and line. ``library_output`` routes a library's
log records, warnings and prints to the ``reconcile.statements`` logger at DEBUG level, so
they are in the debug log when one is kept and nowhere else.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

log = logging.getLogger("reconcile.statements")


class _ToDebug(logging.Handler):
    def __init__(self, library: str):
        super().__init__(logging.DEBUG)
        self.library = library

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a library's malformed log call is still not our user's problem
            message = str(record.msg)
        log.debug("%s [%s]: %s", self.library, record.levelname, message[:2000])


@contextlib.contextmanager
def library_output(library: str, *loggers: str):
    """Run a library call with its logging, warnings, stdout and stderr sent to the debug log."""
    handler = _ToDebug(library)
    saved = []
    for name in loggers:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers[:], logger.propagate))
        logger.handlers = [handler]
        logger.propagate = False
    out, err = io.StringIO(), io.StringIO()
    try:
        with warnings.catch_warnings(record=True) as caught, \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            warnings.simplefilter("always")
            yield
    finally:
        for logger, handlers, propagate in saved:
            logger.handlers = handlers
            logger.propagate = propagate
        for text in (out.getvalue(), err.getvalue()):
            if text.strip():
                log.debug("%s printed: %s", library, text.strip()[:4000])
        for warning in locals().get("caught", []) or []:
            log.debug("%s warned: %s", library, warning.message)
