"""The run's browser: one Playwright Chromium session per run, opened by the first browser step.

    session = browser_session(ctx)      # created once per run, closed by the runner at the end
    session.page                        # the current tab (popups and switch_tab change it)
    session.timeout_ms(ctx)             # the step's time left, as a Playwright timeout

Which Chromium: ``DESKBOT_BROWSER`` if set, else Playwright's own build if it is installed,
else ``/usr/bin/chromium``. Headless unless the run was started with ``--headed``.
Downloads are saved under the run's folder. ``settings.browser`` may set ``timeout`` (default
30s, a step's own ``timeout`` wins), ``trace`` (``actions``, the default, ``full`` with DOM
snapshots, or ``off``), ``input`` (how ``browser.click``
reaches the page: auto, mouse or simulate; default auto) and ``slow_mo`` (ms, for watching).

Failure evidence (``capture_failure``): the page's screenshot and HTML and a Playwright trace
(``trace.zip``) go to ``runs/<id>/failures/<n>-<step>/``. Before the screenshot and HTML are
taken, password fields and every field holding a secret are blanked (and refilled after), the
HTML is passed through the run's redactor, and every text file inside the trace is too; see
docs/browser.md for what the trace still records.

Saved login state (``save_state`` / ``restore_state``) lives in
``DESKBOT_HOME/browser-state/<site>.json``, readable by the owner only.

Tests and long-lived processes may keep one Chromium for many runs with ``shared_browser()``;
each run still gets its own browser context (cookies, downloads, trace).
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import os
import re
import signal
import threading
import zipfile
from pathlib import Path
from typing import Any, Iterator

from bots.durations import parse_duration
from bots.errors import InputError
from bots.fileio import write_atomic
from bots.registry import Requirement

SYSTEM_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]
# Not added on purpose: --disable-gpu-vsync --disable-frame-rate-limit make clicks ~20 ms faster
# (Playwright's "stable" check waits two frames) but let an animated spinner burn 1.5 cores.

# Chromium 15x preloads its omnibox popup as a WebUI renderer in every new window, that is in
# every run's browser context: 0.3-0.9 s of CPU per run for a popup a bot never opens.
UNWANTED_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]
# Playwright's own --disable-features list as of 1.65, for when its driver cannot be read.
_PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch"]


@functools.lru_cache(maxsize=1)
def playwright_disabled_features() -> list[str]:
    """The features Playwright's driver disables when it launches Chromium (read from the
    driver's JavaScript, so an upgrade of Playwright keeps its own list)."""
    try:
        from playwright._impl._driver import compute_driver_executable

        package = Path(compute_driver_executable()[1]).parent
        for source in [package / "lib" / "coreBundle.js", *package.glob("lib/server/chromium/chromiumSwitches.js")]:
            if source.is_file():
                found = re.search(r"disabledFeatures = \[(.*?)\]", source.read_text(encoding="utf-8"), re.S)
                if found:
                    names = re.findall(r'^\s*"(\w+)"', found.group(1), re.M)
                    if names:
                        return names
    except Exception:  # an unusual install: the copy below is right for recent versions
        pass
    return list(_PLAYWRIGHT_DISABLED_FEATURES)


def launch_args() -> list[str]:
    """Chromium reads only the last --disable-features switch and Playwright passes its own
    before ours, so ours repeats Playwright's list."""
    features = dict.fromkeys(playwright_disabled_features() + UNWANTED_FEATURES)
    return LAUNCH_ARGS + ["--disable-features=" + ",".join(features)]


DEFAULT_TIMEOUT_S = 30.0
_SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

_shared: dict[str, Any] = {}


def _playwright_own_chromium() -> str | None:
    """Playwright's downloaded Chromium, found without starting Playwright (fast, for validate)."""
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or os.path.expanduser("~/.cache/ms-playwright")
    for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-linux*/headless_shell",
                    "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium", "chromium-*/chrome-win*/chrome.exe"):
        found = sorted(glob.glob(os.path.join(root, pattern)))
        if found:
            return found[-1]
    return None


def chromium_path() -> str | None:
    """The Chromium executable deskbot would use, or None (then Playwright's default is tried)."""
    explicit = os.environ.get("DESKBOT_BROWSER")
    if explicit:
        return explicit
    if _playwright_own_chromium():
        return None  # let Playwright pick its own build (it knows its revision)
    return SYSTEM_CHROMIUM


def _check_chromium() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright Python package (pip install playwright)"
    explicit = os.environ.get("DESKBOT_BROWSER")
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return None
        return f"a Chromium at DESKBOT_BROWSER={explicit}, which is not an executable file"
    if _playwright_own_chromium() or (os.path.isfile(SYSTEM_CHROMIUM) and os.access(SYSTEM_CHROMIUM, os.X_OK)):
        return None
    return ("a Chromium browser: none found (run `playwright install chromium`, install the distribution's "
            "chromium package, or set DESKBOT_BROWSER to its path)")


CHROMIUM = Requirement("chromium", _check_chromium)


def _launch(playwright, headed: bool, slow_mo: float = 0):
    path = chromium_path()
    kwargs: dict[str, Any] = {"headless": not headed, "args": launch_args()}
    if slow_mo:
        kwargs["slow_mo"] = slow_mo
    if path:
        kwargs["executable_path"] = path
    return playwright.chromium.launch(**kwargs)


@contextlib.contextmanager
def shared_browser(headed: bool = False) -> Iterator[Any]:
    """Keep one Chromium for every run started in this thread while the block lasts."""
    from playwright.sync_api import sync_playwright

    if _shared:
        yield _shared["browser"]
        return
    pw = sync_playwright().start()
    try:
        browser = _launch(pw, headed)
        _shared.update(browser=browser, thread=threading.get_ident())
        yield browser
    finally:
        _shared.clear()
        with contextlib.suppress(Exception):
            pw.stop()


@contextlib.contextmanager
def alarms_deferred() -> Iterator[None]:
    """Hold back a step timeout (SIGALRM) until the Playwright calls inside have returned.

    Raising an exception in the middle of a Playwright call breaks its connection to the
    browser for the rest of the run. Each call has its own timeout (the step's time left), so
    a step still ends; a timeout that fell due meanwhile is raised as soon as the block ends.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return
    previous = signal.getsignal(signal.SIGALRM)
    if not callable(previous):
        yield
        return
    fired: list = []
    signal.signal(signal.SIGALRM, lambda signum, frame: fired.append((signum, frame)))
    try:
        yield
    finally:
        signal.signal(signal.SIGALRM, previous)
        if fired:
            previous(*fired[-1])


def state_path(home: Path, site: str) -> Path:
    if not _SITE_NAME.match(site or ""):
        raise ValueError(f"site name {site!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return Path(home) / "browser-state" / f"{site}.json"


def _trace_mode(value: Any) -> str:
    """``settings.browser.trace``: ``full`` (DOM snapshots before and after every call),
    true / ``actions`` (the default: calls, their logs, console and network, no snapshots)
    or false / ``off``."""
    modes = {True: "actions", False: "off", "actions": "actions", "full": "full", "off": "off"}
    mode = modes.get(value.strip().lower() if isinstance(value, str) else value)
    if mode is None:
        raise InputError(f"settings.browser.trace is {value!r}; use actions (default), full or off")
    return mode


class BrowserSession:
    """One run's browser context and tabs."""

    def __init__(self, run_dir: Path, home: Path, *, headed: bool = False, settings: dict | None = None,
                 title: str = "deskbot"):
        settings = settings or {}
        self.run_dir = Path(run_dir)
        self.home = Path(home)
        self.default_timeout_s = parse_duration(settings.get("timeout", DEFAULT_TIMEOUT_S))
        self.trace_mode = _trace_mode(settings.get("trace", True))
        self.tracing = self.trace_mode != "off"
        self.click_input = str(settings.get("input", "auto"))
        if self.click_input not in ("auto", "mouse", "simulate"):
            raise InputError(f"settings.browser.input is {self.click_input!r}; use auto, mouse or simulate")
        self.extra_secrets: list[str] = []      # one-time codes and the like, blanked in evidence
        self.dialog_policy = {"action": "dismiss", "prompt_text": None}
        self.dialogs: list[dict] = []
        self.failures = 0
        #: per tab: (how many documents it loaded, URL and HTTP status of the last one)
        self.documents: dict[Any, tuple[int, str, int]] = {}
        self._pw = None
        self._own_browser = None
        if _shared and _shared.get("thread") == threading.get_ident() and not headed:
            browser = _shared["browser"]
        else:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
        self.context = None
        try:
            if self._pw is not None:
                browser = self._own_browser = _launch(self._pw, headed, float(settings.get("slow_mo", 0) or 0))
            self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
            if self.tracing:
                self.context.tracing.start(snapshots=self.trace_mode == "full", screenshots=False, sources=False,
                                           title=title)
                self._trace_without_stacks()
            self.context.on("page", self._adopt)
            self.pages: list[Any] = []
            self.page = self.context.new_page()
            self._adopt(self.page)
        except BaseException:  # Ctrl-C while Chromium starts must not leave it running
            self.close()
            raise

    # ---- tabs and dialogs ----------------------------------------------------------------
    def _adopt(self, page) -> None:
        if page not in self.pages:
            self.pages.append(page)
            page.on("dialog", self._on_dialog)
            page.on("close", lambda p: self._forget(p))
            page.on("response", lambda response, p=page: self._on_response(p, response))

    def _forget(self, page) -> None:
        if page in self.pages:
            self.pages.remove(page)
        if self.page is page and self.pages:
            self.page = self.pages[-1]

    def _on_response(self, page, response) -> None:
        try:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                count = self.documents.get(page, (0, "", 0))[0]
                self.documents[page] = (count + 1, response.url, response.status)
        except Exception:  # a response of a page being closed: nothing to learn
            pass

    def document_count(self) -> int:
        return self.documents.get(self.page, (0, "", 0))[0]

    def check_new_document(self, count_before: int) -> None:
        """After an action: if it loaded a page that answered HTTP 5xx, that is a transient failure."""
        from bots.errors import TransientError

        count, url, status = self.documents.get(self.page, (0, "", 0))
        if count != count_before and status >= 500:
            raise TransientError(f"the page it led to answered HTTP {status} ({url})")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append({"type": dialog.type, "message": dialog.message})
        try:
            if self.dialog_policy["action"] == "accept":
                if dialog.type == "prompt" and self.dialog_policy["prompt_text"] is not None:
                    dialog.accept(self.dialog_policy["prompt_text"])
                else:
                    dialog.accept()
            else:
                dialog.dismiss()
        except Exception:  # the page may already be gone; nothing left to answer
            pass

    # ---- timeouts --------------------------------------------------------------------------
    def timeout_ms(self, ctx) -> float:
        """Playwright timeout for this step: its time left minus a margin kept for evidence."""
        left = ctx.time_left(self.default_timeout_s)
        # a quarter of it, at least 1 s (evidence under load) and at most 3 s, never over half
        margin = min(max(1.0, left * 0.25), 3.0, left / 2) if ctx.deadline is not None else 0.0
        return max(left - margin, 0.1) * 1000

    # ---- secrets in the page -----------------------------------------------------------------
    def secrets(self, ctx) -> list[str]:
        codes = ctx.resources.peek("one_time_codes") or []
        return [s for s in [*ctx.secret_values, *self.extra_secrets, *codes] if s]

    _BLANK_JS = """(secrets) => {
      const saved = [];
      const docs = [document];
      let i = 0;
      for (const el of document.querySelectorAll('input, textarea')) {
        const v = el.value || '';
        const a = el.getAttribute('value');
        const secret = el.type === 'password' || secrets.some(s => v.includes(s) || (a && a.includes(s)));
        if (secret) {
          saved.push([i, v, a]);
          el.value = '';
          if (a !== null) el.setAttribute('value', '');
        }
        i++;
      }
      window.__deskbotBlanked = saved;
      return saved.length;
    }"""
    _RESTORE_JS = """() => {
      const saved = window.__deskbotBlanked || [];
      const els = document.querySelectorAll('input, textarea');
      for (const [i, v, a] of saved) {
        const el = els[i];
        if (!el) continue;
        el.value = v;
        if (a !== null) el.setAttribute('value', a);
      }
      delete window.__deskbotBlanked;
    }"""

    @contextlib.contextmanager
    def secrets_blanked(self, ctx) -> Iterator[None]:
        """Blank password fields and fields holding secrets in every frame, refill them after."""
        frames = []
        for frame in list(self.page.frames):
            with contextlib.suppress(Exception):
                frame.evaluate(self._BLANK_JS, self.secrets(ctx))
                frames.append(frame)
        try:
            yield
        finally:
            for frame in frames:
                with contextlib.suppress(Exception):
                    frame.evaluate(self._RESTORE_JS)

    # ---- evidence ------------------------------------------------------------------------------
    def capture_failure(self, ctx, label: str) -> Path | None:
        """Screenshot, HTML and trace of the current page; returns the folder, or None."""
        self.failures += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-")[:60] or "step"
        folder = self.run_dir / "failures" / f"{self.failures:02d}-{safe}"
        folder.mkdir(parents=True, exist_ok=True)
        trace_raw = folder / "trace.raw.zip"
        if self.tracing:
            # stop the chunk first, so blanking the page for the screenshot is not traced
            with contextlib.suppress(Exception):
                self.context.tracing.stop_chunk(path=str(trace_raw))
        page = self.page
        with self.secrets_blanked(ctx):
            with contextlib.suppress(Exception):
                page.screenshot(path=str(folder / "screenshot.png"), full_page=True, timeout=5000)
                ctx.artifact(folder / "screenshot.png", "screenshot")
            with contextlib.suppress(Exception):
                html = _inert(page.content())
                write_atomic(folder / "page.html", mask_text(ctx, html, self.secrets(ctx)))
                ctx.artifact(folder / "page.html", "html")
        if trace_raw.exists():
            try:
                mask_trace(trace_raw, folder / "trace.zip", lambda text: mask_text(ctx, text, self.secrets(ctx)))
                ctx.artifact(folder / "trace.zip", "trace")
            finally:
                trace_raw.unlink(missing_ok=True)
        if self.tracing:
            with contextlib.suppress(Exception):
                self.context.tracing.start_chunk()
                self._trace_without_stacks()
        return folder

    def _trace_without_stacks(self) -> None:
        """With ``trace: actions``, Playwright still sends the Python call stack of every call
        for the trace's source view: a message of ~40 frames a call (about a millisecond of
        the process's time each), and the frames are deskbot's own code, not the recipe's. The
        trace keeps the actions with their parameters and timing, the console and the network.
        ``trace: full`` keeps the stacks. Private to Playwright's client: when its shape changes,
        stacks are simply sent as before."""
        if self.trace_mode == "full":
            return
        impl = getattr(self.context.tracing, "_impl_obj", None)
        connection = getattr(impl, "_connection", None)
        if getattr(impl, "_is_tracing", None) is True and hasattr(connection, "set_is_tracing"):
            impl._is_tracing = False  # its stop then leaves the shared connection's count alone
            connection.set_is_tracing(False)

    # ---- saved login state -----------------------------------------------------------------------
    def save_state(self, site: str) -> Path:
        path = state_path(self.home, site)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = self.context.storage_state()
        return write_atomic(path, json.dumps(state), mode=0o600)  # cookies: owner only

    def restore_state(self, site: str) -> bool:
        path = state_path(self.home, site)
        if not path.is_file():
            return False
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            cookies = list(state.get("cookies") or [])
            origins = list(state.get("origins") or [])
        except (ValueError, AttributeError, TypeError):
            raise ValueError(f"{path}: saved browser state is unreadable; delete it to log in afresh") from None
        if cookies:
            self.context.add_cookies(cookies)
        if origins:
            # localStorage cannot be set for an origin before a page of it is open: do it on load
            self.context.add_init_script(script=_LOCAL_STORAGE_JS % json.dumps(origins))
        return True

    # ---- end -------------------------------------------------------------------------------------------
    def close(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                if self.tracing:
                    self.context.tracing.stop()
            with contextlib.suppress(Exception):
                self.context.close()
        if self._own_browser is not None:
            with contextlib.suppress(Exception):
                self._own_browser.close()
        if self._pw is not None:
            with contextlib.suppress(Exception):
                self._pw.stop()


_LOCAL_STORAGE_JS = """(() => {
  const origins = %s;
  for (const o of origins) {
    if (o.origin !== location.origin) continue;
    for (const item of o.localStorage || []) {
      if (localStorage.getItem(item.name) === null) localStorage.setItem(item.name, item.value);
    }
  }
})();"""


def mask_text(ctx, text: str, extra: list[str]) -> str:
    text = ctx.mask(text)
    for value in extra:
        if value and value in text:
            text = text.replace(value, "***")
    return text


_TEXT_SUFFIXES = (".trace", ".network", ".stacks", ".json", ".html", ".htm", ".css", ".js", ".txt", ".xml", ".csv")


def mask_trace(source: Path, dest: Path, mask) -> None:
    """Copy a Playwright trace zip, passing every text entry through ``mask``."""
    tmp = dest.with_name(dest.name + ".part")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith(_TEXT_SUFFIXES) or not _looks_binary(data):
                try:
                    data = mask(data.decode("utf-8")).encode("utf-8")
                except UnicodeDecodeError:
                    pass
            zout.writestr(info, data)
    os.replace(tmp, dest)


def _looks_binary(data: bytes) -> bool:
    head = data[:2048]
    return b"\x00" in head or head[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"RIFF", b"GIF8")


_NO_SCRIPTS = ('<meta http-equiv="Content-Security-Policy" content="script-src \'none\'; connect-src \'none\'; '
               'form-action \'none\'">')


def _inert(html: str) -> str:
    """Opening saved evidence must not run the site's scripts or send its forms anywhere."""
    match = re.search(r"<head[^>]*>", html, re.I)
    if match:
        return html[:match.end()] + _NO_SCRIPTS + html[match.end():]
    return _NO_SCRIPTS + html


def browser_session(ctx) -> BrowserSession:
    """The run's session, created on first use and closed by the runner when the run ends."""

    def create() -> BrowserSession:
        from bots.errors import FatalError

        ctx.log("starting Chromium" + (" (headed)" if ctx.options.get("headed") else ""), "DEBUG")
        try:
            return BrowserSession(ctx.run_dir, ctx.home, headed=bool(ctx.options.get("headed")),
                                  settings=(ctx.settings or {}).get("browser") or {}, title=ctx.recipe.name)
        except Exception as exc:  # no browser, no browser steps: stop the bot with the reason
            text = str(exc)
            first = (text.strip().splitlines() or [type(exc).__name__])[0][:300]
            hint = ("there is no display for --headed: run headless, or under xvfb-run"
                    if "XServer" in text or "DISPLAY" in text else "set DESKBOT_BROWSER to a working Chromium")
            raise FatalError(f"cannot start Chromium ({chromium_path() or 'Playwright default'}): {first}; {hint}") from None

    with alarms_deferred():
        return ctx.resources.get("browser", create, lambda session: session.close())


def current_session(ctx) -> BrowserSession | None:
    """The run's session if a browser step already opened one (for on_failure screenshots)."""
    return ctx.resources.peek("browser")
