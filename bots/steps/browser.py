"""Browser steps: drive the run's Chromium (Playwright) through systems that have no API.

```yaml
secrets: [BANK_USER, BANK_PASSWORD, BANK_TOTP_SEED]
steps:
  - browser.goto: "{{ settings.bank.url }}login"
    retry: {attempts: 3, delay: 2s}
  - id: otp
    browser.totp: "{{ secrets.BANK_TOTP_SEED }}"
  - browser.fill:
      "#username": "{{ secrets.BANK_USER }}"
      "#password": "{{ secrets.BANK_PASSWORD }}"
      "label=One-time code": "{{ steps.otp.code }}"
  - browser.click: "role=button[name='Sign in']"
  - browser.expect: {url: "**/accounts"}
  - browser.goto: "{{ settings.bank.url }}statement"
  - browser.fill_form: {From: "2026-10-01", To: "2026-10-31"}
  - browser.click: "text=Show statement"
  - id: lines
    browser.extract_table: {selector: "#transactions", next: "a[rel=next]"}
  - id: statement
    browser.download: {click: "text=Export CSV"}
    retry: {attempts: 3, delay: 1s}
```

- Selectors are Playwright's: CSS (``#id``, ``.class``), ``text=Sign in``,
  ``role=button[name='Sign in']``, ``label=Password`` (the field that label names), and
  chains with ``>>``. Every step waits for its element (visible, enabled, stable) up to the
  step's ``timeout`` (default ``settings.browser.timeout``, 30s). Steps that take a
  ``selector`` also take ``frame`` (a selector of the ``<iframe>`` to look inside).
- ``fill_form`` fills fields by their visible label text, ignoring case, surrounding spaces
  and a trailing ``:``/``*``, whatever the field order or ids, in one browser round trip.
- A failing step leaves a screenshot, the page's HTML and a Playwright trace (``trace.zip``,
  open with ``playwright show-trace``) under ``runs/<id>/failures/``; the error names the
  step, selector, timeout and URL. Password fields and secret values are blanked or masked
  in all three.
- Timeouts, network errors and HTTP 5xx answers are TransientErrors (``retry:`` applies);
  an element that is ambiguous, a failed ``expect``, an HTTP 4xx are BusinessErrors.
"""

from __future__ import annotations

import base64
import contextlib
import binascii
import difflib
import hashlib
import hmac
import math
import os
import re
import struct
import time
from datetime import date, datetime
from decimal import Decimal
from email.message import Message
from pathlib import Path
from typing import Any, Callable, Literal
from urllib.parse import unquote, urljoin, urlparse

from pydantic import Field, model_validator

from bots.browser import CHROMIUM, BrowserSession, alarms_deferred, browser_session, current_session
from bots.errors import BusinessError, InputError, StepError, TransientError
from bots.registry import StepParams, step

REQUIRES = [CHROMIUM]


# ---- shared parameter bases -------------------------------------------------------------------
class SelectorParams(StepParams):
    selector: str = Field(description="Playwright selector: css, text=…, role=…[name='…'], label=…")
    frame: str | None = Field(None, description="selector of the <iframe> the element is in")


# ---- helpers ------------------------------------------------------------------------------------
def _locator(session: BrowserSession, selector: str, frame: str | None = None):
    root = session.page.frame_locator(frame) if frame else session.page
    if selector.startswith("label="):
        text = selector[len("label="):].strip().strip("'\"")
        return root.get_by_label(text)
    return root.locator(selector)


def _first_lines(message: str) -> str:
    lines = [ln.strip() for ln in str(message).splitlines() if ln.strip()]
    if not lines:
        return "failed"
    head = re.sub(r"^(Locator|Page|Frame|ElementHandle|BrowserContext|APIRequestContext)\.\w+: ", "", lines[0])
    calls = [re.sub(r"^[-\s]*(\d+ × )?", "", ln) for ln in lines[1:]]
    # what stood in the way (covered, hidden, disabled) says more than what was waited for
    obstacle = [ln for ln in calls if "intercepts pointer events" in ln or ln.startswith("element is not")]
    waiting = obstacle or [ln for ln in calls if ln.startswith(("waiting for", "locator resolved"))]
    detail = f" ({waiting[-1][:200]})" if waiting and waiting[-1] not in head else ""
    return (head[:400] + detail).strip()


def _classify(exc: Exception) -> type[StepError]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if isinstance(exc, PlaywrightTimeout):
        return TransientError
    text = str(exc)
    if any(mark in text for mark in ("net::ERR_", "NS_ERROR_", "Navigation failed", "navigation", "frame was detached",
                                     "Execution context was destroyed", "ECONNREFUSED", "ECONNRESET", "socket hang up")):
        return TransientError
    return BusinessError


def _act(ctx, what: str, selector: str | None, action: Callable[[BrowserSession, float], dict]) -> dict:
    """Run one browser action; on failure keep evidence and raise a precise StepError."""
    session = browser_session(ctx)
    timeout = session.timeout_ms(ctx)
    with alarms_deferred():
        return _act_and_explain(ctx, session, timeout, what, selector, action)


def _act_and_explain(ctx, session: BrowserSession, timeout: float, what: str, selector: str | None,
                     action: Callable[[BrowserSession, float], dict]) -> dict:
    from playwright.sync_api import Error as PlaywrightError

    try:
        return action(session, timeout)
    except (PlaywrightError, StepError) as exc:
        kind = type(exc) if isinstance(exc, StepError) else _classify(exc)
        reason = str(exc) if isinstance(exc, StepError) else _first_lines(str(exc))
        try:
            url = session.page.url
        except Exception:
            url = "(page closed)"
        try:
            folder = session.capture_failure(ctx, f"{ctx.step.path}-{ctx.step.action}")
        except Exception as capture_error:  # no evidence must not hide the failure itself
            ctx.log(f"could not keep failure evidence: {capture_error}", "WARNING")
            folder = None
        named = f" ({ctx.step.name})" if getattr(ctx.step, "name", None) else ""
        target = f" {selector!r}" if selector else ""
        message = (f"{what}{target}{named} failed on {url} (timeout {round(timeout / 1000, 1):g}s): {reason}"
                   + (f"; evidence in {folder}" if folder else ""))
        message = ctx.mask(message)
        for value in session.secrets(ctx):
            message = message.replace(value, "***")
        raise kind(message) from None


def _glob_regex(pattern: str) -> re.Pattern:
    """``**/accounts`` style URL globs (``**`` any text, ``*`` no slash); plain text: substring."""
    if pattern.startswith("re:"):
        return re.compile(pattern[3:])
    if "*" not in pattern:
        return re.compile(re.escape(pattern))
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(f"^{out}$")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if type(value).__name__ in ("NAType", "NaTType"):
        return ""
    try:
        if value != value:  # NaN of any numeric type
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _safe_filename(name: str) -> str:
    name = unquote(name or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip(" .")
    return name[:120] or "download"


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise BusinessError(f"too many downloads named {path.name} in {path.parent}")


def _destination(ctx, to: str | None, suggested: str) -> Path:
    name = _safe_filename(suggested)
    if not to:
        return _unique(Path(ctx.run_dir) / "downloads" / name)
    dest = Path(to)
    if to.endswith(("/", os.sep)) or dest.is_dir():
        return _unique(dest / name)
    return dest


# ---- navigation -----------------------------------------------------------------------------------
class GotoParams(StepParams):
    """Open a URL in the current tab. HTTP 5xx answers are transient errors (``retry:`` helps).

    ```yaml
    - browser.goto: "{{ settings.bank.url }}login"
      retry: {attempts: 3, delay: 2s}
    - browser.goto: {url: "https://erp.example/ap", wait_until: networkidle}
    ```
    """

    url: str = Field(description="absolute URL (or relative to the current page)")
    wait_until: Literal["load", "domcontentloaded", "networkidle", "commit"] = Field(
        "load", description="when the page counts as loaded")


@step("browser.goto", GotoParams, shorthand="url", requires=REQUIRES,
      outputs={"url": "the URL after redirects", "status": "HTTP status of the page", "title": "the page title"})
def goto(ctx, params: GotoParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        url = params.url
        if session.page.url not in ("", "about:blank") and not urlparse(url).scheme:
            url = urljoin(session.page.url, url)
        response = session.page.goto(url, wait_until=params.wait_until, timeout=timeout)
        status = response.status if response else None
        if status is not None and status >= 500:
            raise TransientError(f"the server answered HTTP {status}")
        if status is not None and status >= 400:
            raise BusinessError(f"the server answered HTTP {status}")
        return {"url": session.page.url, "status": status, "title": session.page.title()}

    return _act(ctx, "opening", params.url, action)


# ---- actions on elements -----------------------------------------------------------------------------
class ClickParams(SelectorParams):
    """Click an element (waits until it is visible, enabled and still).

    ``input`` says how the click reaches the page. ``mouse`` moves Chromium's real mouse: trusted
    events, after Playwright has waited for the element to be visible, enabled, still and not
    covered (about 50 ms a click, most of it waiting for animation frames). ``simulate`` checks
    the same conditions inside the page in one call and dispatches the pointer, mouse and click
    events to the element there (about 5 ms); the page sees ``isTrusted == false``. ``auto``
    (the default, or ``settings.browser.input``) simulates when the element is clickable at
    once and the click does not load a new page (links and submit buttons get the mouse,
    which waits for the page they open), and uses the mouse otherwise: while the element is
    still hidden, disabled, covered or moving, Playwright's waiting and error messages apply.

    ```yaml
    - browser.click: "role=button[name='Sign in']"
    - browser.click: {selector: "text=Open help", popup: true}   # continue in the tab it opens
    - browser.click: {selector: "#row-3", double: true}
    - browser.click: {selector: "#captcha-guarded", input: mouse}   # a page that checks isTrusted
    ```
    """

    button: Literal["left", "right", "middle"] = Field("left", description="mouse button")
    double: bool = Field(False, description="double-click")
    popup: bool = Field(False, description="the click opens a new tab or window: wait for it and continue there")
    input: Literal["auto", "mouse", "simulate"] | None = Field(
        None, description="how the click reaches the page: auto (default, or settings.browser.input), "
                          "mouse (real, trusted input events) or simulate (events dispatched in the page)")


@step("browser.click", ClickParams, shorthand="selector", requires=REQUIRES,
      outputs={"url": "the current tab's URL after the click"})
def click(ctx, params: ClickParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        target = _locator(session, params.selector, params.frame)
        if params.popup:
            with session.page.expect_popup(timeout=timeout) as popup_info:
                _do_click(target, params, timeout)
            popup = popup_info.value
            session._adopt(popup)
            session.page = popup
            popup.wait_for_load_state("domcontentloaded", timeout=timeout)
        else:
            before = session.document_count()
            mode = params.input or session.click_input
            css = params.selector if not params.frame and _plain_css(params.selector) else None
            if mode == "mouse" or params.double or params.button != "left" or not _simulated_click(
                    session, target, strict=(mode == "simulate"), timeout=timeout, css=css):
                _do_click(target, params, timeout)
            session.check_new_document(before)
        return {"url": session.page.url}

    return _act(ctx, "clicking", params.selector, action)


def _do_click(target, params: ClickParams, timeout: float) -> None:
    if params.double:
        target.dblclick(button=params.button, timeout=timeout)
    else:
        target.click(button=params.button, timeout=timeout)


# Playwright's actionability checks for a click (visible, enabled, still, receives the pointer),
# done once inside the page, then the events a mouse click produces, in one round trip.
# Returns '' when clicked, else why not (the caller falls back to the real mouse, or fails).
_SIMULATED_CLICK_JS = r"""
(found, strict) => {
  if (found.length !== 1) return found.length ? 'the selector matches more than one element' : 'not there yet';
  const el = found[0];
  const rect = el.getBoundingClientRect();
  if (!el.isConnected || !rect.width || !rect.height || !el.checkVisibility({visibilityProperty: true}))
    return 'it is not visible';
  const disabledControl = el.closest('button, input, select, textarea, option, optgroup');
  if ((disabledControl && disabledControl.matches(':disabled')) || el.closest('[aria-disabled=true]'))
    return 'it is disabled';
  if (!strict) {
    if (el.closest('a[href], area[href]')) return 'a link loads a page';
    if (el.closest('label, input[type=file]')) return 'labels and file inputs need trusted input';
    // pages of an opaque origin (data: URLs, sandboxed frames) get no navigate events
    if (!window.navigation || window.origin === 'null') return 'the page cannot report a navigation';
  }
  const moving = document.getAnimations().some(a => a.playState === 'running' && a.effect
    && a.effect.target && a.effect.target.contains && a.effect.target.contains(el));
  if (moving) return 'it is moving';
  el.scrollIntoView({block: 'nearest', inline: 'nearest'});
  const box = el.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  const inside = node => { for (let n = node; n; n = n.parentNode || n.host) if (n === el) return true; return false; };
  if (!hit || !inside(hit)) {
    const what = hit ? hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') : 'nothing';
    return `another element (${what}) would receive the click`;
  }
  let navigation = null, submitted = null;
  const onNavigate = e => { if (!e.destination.sameDocument && !e.downloadRequest) navigation = e.destination.url; };
  // a submit button's click submits its form synchronously; whether a page loads is known once
  // every submit handler ran: a page that handles the submission itself (fetch, a SPA) cancels it
  const onSubmit = e => { submitted = e; };
  if (window.navigation) window.navigation.addEventListener('navigate', onNavigate);
  window.addEventListener('submit', onSubmit, true);
  try {
    const base = {bubbles: true, cancelable: true, composed: true, view: window, clientX: x, clientY: y,
                  screenX: x, screenY: y, button: 0};
    const pointer = {...base, pointerId: 1, pointerType: 'mouse', isPrimary: true};
    hit.dispatchEvent(new PointerEvent('pointerover', pointer));
    hit.dispatchEvent(new MouseEvent('mouseover', base));
    // as in a browser: a cancelled pointerdown suppresses the mouse events, a cancelled
    // mousedown the focus change
    const pointerDown = hit.dispatchEvent(new PointerEvent('pointerdown', {...pointer, buttons: 1}));
    if (pointerDown && hit.dispatchEvent(new MouseEvent('mousedown', {...base, buttons: 1, detail: 1}))) {
      const focusable = hit.closest('a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]');
      if (focusable && document.activeElement !== focusable) focusable.focus({preventScroll: true});
    }
    hit.dispatchEvent(new PointerEvent('pointerup', pointer));
    if (pointerDown) hit.dispatchEvent(new MouseEvent('mouseup', {...base, detail: 1}));
    hit.dispatchEvent(new MouseEvent('click', {...base, detail: 1}));
  } finally {
    if (window.navigation) window.navigation.removeEventListener('navigate', onNavigate);
    window.removeEventListener('submit', onSubmit, true);
  }
  if (!navigation && submitted && !submitted.defaultPrevented) {
    const form = submitted.target, by = submitted.submitter;
    const method = ((by && by.getAttribute('formmethod')) || form.getAttribute('method') || 'get').toLowerCase();
    const target = ((by && by.getAttribute('formtarget')) || form.getAttribute('target') || '_self').toLowerCase();
    if (method !== 'dialog' && ['_self', '_top', '_parent', ''].includes(target))
      navigation = (by && by.formAction) || form.action || location.href;
  }
  return navigation ? {navigation} : '';
}
"""


# A plain CSS selector found by the page's own querySelectorAll inside one page.evaluate: about
# half the time of a locator's evaluate_all (Playwright's selector engine and element handles).
# Playwright's CSS also looks inside open shadow roots; a page that has any is left to it, as is
# anything the browser does not take as CSS (text=, role=, >>, :has-text(), xpath).
_CSS_CLICK_JS = (r"""
([selector, strict]) => {
  let found;
  try { found = [...document.querySelectorAll(selector)]; } catch (e) { return {engine: 'not css'}; }
  const walker = document.createTreeWalker(document.documentElement || document, NodeFilter.SHOW_ELEMENT);
  for (let n = walker.currentNode; n; n = walker.nextNode()) if (n.shadowRoot) return {engine: 'shadow roots'};
  return (""" + _SIMULATED_CLICK_JS.strip() + r""")(found, strict);
}
""")

#: selectors that name a Playwright engine or chain (never plain CSS)
_ENGINE_PREFIX = re.compile(r"^\s*(?:[a-z_-]+=|/|\.\.|\(|[\"'])", re.I)


def _plain_css(selector: str) -> bool:
    return not _ENGINE_PREFIX.match(selector) and ">>" not in selector


def _simulated_click(session: BrowserSession, target, *, strict: bool, timeout: float,
                     css: str | None = None) -> bool:
    """Click by events dispatched in the page. False when the element is not clickable right
    now or the click would load a page (``auto``: the caller uses the real mouse, which waits);
    with ``strict`` (``input: simulate``) those are errors instead. ``css``: the selector, when
    it may be plain CSS that the page can look up itself."""
    # evaluate_all is one round trip to the page; evaluate would be three (wait for the
    # element, evaluate, release the handle). No match or two: the mouse path waits or names them.
    def click() -> Any:
        if css is not None:
            from playwright.sync_api import Error as PlaywrightError

            try:
                outcome = session.page.evaluate(_CSS_CLICK_JS, [css, strict])
            except PlaywrightError as exc:  # a page still replacing the last one: as before, by the locator
                if "context was destroyed" not in str(exc) and "navigat" not in str(exc).lower():
                    raise
                outcome = {"engine": "navigating"}
            if not (isinstance(outcome, dict) and "engine" in outcome):
                if outcome in ("not there yet", "the selector matches more than one element", "it is not visible") \
                        and strict:
                    target.wait_for(state="visible", timeout=timeout)
                    outcome = target.evaluate_all(_SIMULATED_CLICK_JS, strict)
                return outcome
        outcome = target.evaluate_all(_SIMULATED_CLICK_JS, strict)
        if outcome in ("not there yet", "the selector matches more than one element", "it is not visible") and strict:
            target.wait_for(state="visible", timeout=timeout)  # names two matches; times out if never shown
            outcome = target.evaluate_all(_SIMULATED_CLICK_JS, strict)
        return outcome

    outcome = _click_in_page(session, click, timeout)
    if outcome and strict:
        raise BusinessError(f"cannot simulate the click: {outcome} (input: mouse waits for it)")
    return not outcome


def _click_in_page(session: BrowserSession, click: Callable[[], Any], timeout: float) -> Any:
    """Run ``click`` (a simulated click in the page, giving '' when clicked, a dict when it
    starts loading a page, else why not); when a page starts loading, wait until it commits,
    as Playwright's click does. Returns '' when clicked, else the reason."""
    page = session.page
    committed: list[str] = []

    def on_navigated(frame) -> None:
        if frame == page.main_frame:
            committed.append(frame.url)

    # listening before the click: a local server can commit the new page before the answer of
    # the click reaches us, and an event that came before wait_for_event started is not seen
    page.on("framenavigated", on_navigated)
    try:
        outcome = click()
        if isinstance(outcome, dict) and outcome.get("navigation"):
            if not committed:
                page.wait_for_event("framenavigated", predicate=lambda frame: frame == page.main_frame,
                                    timeout=timeout)
            return ""
    finally:
        page.remove_listener("framenavigated", on_navigated)
    return outcome


class FillParams(StepParams):
    """Type values into fields found by selector (the whole step value is ``selector: value``).

    ```yaml
    - browser.fill:
        "#username": "{{ secrets.BANK_USER }}"
        "label=Password": "{{ secrets.BANK_PASSWORD }}"
    ```
    """

    fields: dict[str, Any] = Field(description="selector: value; values are typed as text")


@step("browser.fill", FillParams, shorthand="fields", whole_value=True, requires=REQUIRES,
      outputs={"count": "how many fields were filled"})
def fill(ctx, params: FillParams) -> dict:
    if not params.fields:
        raise BusinessError("browser.fill needs at least one 'selector: value'")
    for selector, value in params.fields.items():
        def action(session: BrowserSession, timeout: float, selector=selector, value=value) -> dict:
            _locator(session, selector).fill(_as_text(value), timeout=timeout)
            return {}

        _act(ctx, "filling", selector, action)
    return {"count": len(params.fields)}


# The label index and the filling run inside the page in one evaluate() call: one round trip
# for the whole form, however many fields. Values are read back in the same call to verify.
_FILL_FORM_JS = r"""
([entries, doFill]) => {
  if (document.readyState === 'loading') return {wait: 'the page is still loading'};
  const norm = s => (s || '').replace(/\s+/g, ' ').trim().replace(/[\s:*\uFF1A]+$/, '').trim().toLowerCase();
  const CONTROL = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea';
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const ownText = node => {
    let t = '';
    for (const child of node.childNodes) {
      if (child.nodeType === 3) t += child.nodeValue;
      else if (child.nodeType === 1 && !child.matches('input, select, textarea, button, script, style')) t += ' ' + ownText(child) + ' ';
    }
    return t;
  };
  const controlFor = label => {
    if (label.control) return label.control;
    for (let sib = label.nextElementSibling; sib && sib.tagName !== 'LABEL'; sib = sib.nextElementSibling) {
      if (sib.matches(CONTROL)) return sib;
      const inner = sib.querySelectorAll(CONTROL);
      if (inner.length === 1) return inner[0];
      if (inner.length > 1) break;
    }
    for (let node = label.parentElement; node && node !== document.documentElement; node = node.parentElement) {
      const inner = node.querySelectorAll(CONTROL);
      if (inner.length === 1) return inner[0];
      if (inner.length > 1) return null;
    }
    return null;
  };
  const index = new Map();
  const add = (text, el) => {
    const key = norm(text);
    if (!key || !el || !el.matches(CONTROL)) return;
    if (!index.has(key)) index.set(key, new Set());
    index.get(key).add(el);
  };
  for (const label of document.querySelectorAll('label')) add(ownText(label), controlFor(label));
  for (const el of document.querySelectorAll(CONTROL)) {
    add(el.getAttribute('aria-label'), el);
    const by = el.getAttribute('aria-labelledby');
    if (by) add(by.split(/\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' '), el);
  }
  const known = [...index.keys()];
  const resolved = [], missing = [], ambiguous = [];
  for (const [label, value] of entries) {
    let found = [...(index.get(norm(label)) || [])];
    const shown = found.filter(visible);
    if (shown.length) found = shown;
    if (!found.length) missing.push(label);
    else if (found.length > 1) ambiguous.push([label, found.length]);
    else resolved.push([label, value, found[0]]);
  }
  if (missing.length || ambiguous.length || !doFill) return {missing, ambiguous, known};
  const truthy = v => ['yes', 'y', 'true', '1', 'x', 'on', 'checked'].includes(String(v).trim().toLowerCase());
  const fire = el => { el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); };
  const results = [];
  for (const [label, value, el] of resolved) {
    const r = {label, tag: el.tagName.toLowerCase(), type: el.type || ''};
    if (el.disabled || el.readOnly) { r.error = 'the field is ' + (el.disabled ? 'disabled' : 'read-only'); results.push(r); continue; }
    if (el.type === 'file') { r.error = 'it is a file field: use browser.upload'; results.push(r); continue; }
    if (el.tagName === 'SELECT') {
      const want = norm(value);
      const opt = [...el.options].find(o => o.value === value) || [...el.options].find(o => norm(o.text) === want || norm(o.value) === want);
      if (!opt) { r.error = `no option '${value}' (options: ${[...el.options].map(o => o.text.trim()).join(', ')})`; results.push(r); continue; }
      el.value = opt.value; fire(el);
      r.got = el.value; r.ok = el.value === opt.value;
    } else if (el.type === 'checkbox' || el.type === 'radio') {
      const want = truthy(value);
      if (el.checked !== want) el.click();
      if (el.checked !== want) { el.checked = want; fire(el); }
      r.got = el.checked; r.ok = el.checked === want;
    } else {
      const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
      fire(el);
      r.got = el.value;
      r.ok = value === '' || el.value !== '';
      if (!r.ok) r.error = `the page did not accept '${value}' (an ${el.type} field)`;
    }
    results.push(r);
  }
  // the filled controls, for browser.submit_form in the same call (not sent back: not enumerable)
  return Object.defineProperty({results}, 'controls', {value: resolved.map(([, , el]) => el)});
}
"""


def _json_answer(js: str) -> str:
    """``js`` giving its answer as JSON text: Playwright checks a returned object value by value
    against its protocol (a few ms for a form's results); one string is checked at once."""
    return "(...args) => JSON.stringify((" + js.strip() + ")(...args))"


def _from_json(answer: Any) -> Any:
    import json

    return json.loads(answer) if isinstance(answer, str) else answer


_FILL_FORM_JSON_JS = _json_answer(_FILL_FORM_JS)


class FillFormParams(StepParams):
    """Fill a form from ``label: value`` pairs: fields found by their visible label text.

    Labels match ignoring case, surrounding spaces and a trailing ``:`` or ``*`` (spreadsheet
    headers often carry trailing spaces), whether the label is tied by ``for=``, wraps its
    field, sits beside it in the same container, or is an ``aria-label``. Field order and ids
    do not matter. Selects take an option's text or value; checkboxes yes/no/true/false/1/0.
    A label that matches no field, or two, is an error naming it. One browser round trip.
    To fill and submit a form once per row, ``browser.submit_form`` does both in one round
    trip (``fill_form`` then ``click`` make two).

    ```yaml
    - browser.fill_form:
        Vendor: "{{ row.vendor }}"
        "Invoice number ": "{{ row.number }}"
        Currency: EUR
        Approved for payment: yes
    - browser.fill_form: "{{ row }}"      # a spreadsheet row: headers are the labels
      for_each: "{{ steps.invoices.rows }}"
      as: row
    ```
    """

    fields: dict[str, Any] = Field(description="label text: value")


@step("browser.fill_form", FillFormParams, shorthand="fields", whole_value=True, requires=REQUIRES,
      outputs={"count": "how many fields were filled", "fields": "the labels filled"})
def fill_form(ctx, params: FillFormParams) -> dict:
    if not isinstance(params.fields, dict) or not params.fields:
        raise BusinessError("browser.fill_form needs a mapping of field label: value")
    entries = [[str(label), _as_text(value)] for label, value in params.fields.items()]

    def action(session: BrowserSession, timeout: float) -> dict:
        _fill_until_done(session, timeout, lambda: _from_json(session.page.evaluate(_FILL_FORM_JSON_JS, [entries, True])), entries)
        return {"count": len(entries), "fields": [label for label, _ in entries]}

    return _act(ctx, "filling the form", None, action)


def _fill_until_done(session: BrowserSession, timeout: float, fill: Callable[[], dict], entries: list,
                     frames: bool = True) -> dict:
    """Call ``fill`` (the form filled inside the page) until the form is there, then check what
    it did; a label that matches no field, or two, or a value the page refused, is an error."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            result = fill()
            if result.get("missing") and frames and len(session.page.frames) > 1:
                result = _fill_in_frames(session, entries) or result
        except PlaywrightError as exc:
            # the page navigated under us (a previous submit still loading): try again
            if "context was destroyed" not in str(exc) and "navigation" not in str(exc).lower():
                raise
            result = {"wait": "the page was navigating"}
        if "results" in result:
            break
        if result.get("ambiguous"):
            label, count = result["ambiguous"][0]
            raise BusinessError(f"label {label!r} matches {count} fields; make it unique or use browser.fill "
                                f"with a selector")
        if time.monotonic() >= deadline:
            missing = result.get("missing") or []
            if missing:
                hint = difflib.get_close_matches(missing[0].strip().lower(), result.get("known", []), n=1)
                raise BusinessError(f"no field labelled {missing[0]!r}"
                                    + (f" (did you mean {hint[0]!r}?)" if hint else "")
                                    + (f"; also missing: {', '.join(map(repr, missing[1:]))}" if missing[1:] else ""))
            raise TransientError(result.get("wait", "the form did not appear"))
        time.sleep(0.05)
    errors = [f"{r['label']!r}: {r['error']}" for r in result["results"] if r.get("error") or not r.get("ok")]
    if errors:
        raise BusinessError("could not fill " + "; ".join(e if ":" in e else e + ": value not kept" for e in errors))
    return result


class SubmitFormParams(StepParams):
    """Fill a form from ``label: value`` pairs and submit it, in one browser round trip: what
    ``browser.fill_form`` and then ``browser.click`` on the form's submit button do, for
    forms filled over and over (one per spreadsheet row).

    Fields are found as ``browser.fill_form`` finds them. The button is the submit button of
    the form holding the fields (give ``button`` when there is none, or several). The click is
    made as ``browser.click`` with ``input: auto`` makes it: simulated in the page when the
    button is clickable at once, the real mouse otherwise; when the submission loads a page,
    the step waits for it. ``input: mouse`` (here or ``settings.browser.input``) always uses
    the mouse (a second round trip). The form must be in the page itself, not an iframe.

    ```yaml
    - browser.submit_form: "{{ row }}"          # headers are the labels; the form's submit button
      for_each: "{{ steps.people.rows }}"
      as: row
    - browser.submit_form:
        fields: {Vendor: "{{ row.vendor }}", Amount: "{{ row.amount }}"}
        button: "role=button[name='Save draft']"
    ```
    """

    fields: dict[str, Any] = Field(description="label text: value")
    button: str | None = Field(None, description="selector of the button to click (default: the form's submit button)")
    input: Literal["auto", "mouse", "simulate"] | None = Field(
        None, description="how the click reaches the page, as for browser.click (default: settings.browser.input)")


# Submit-like controls: the candidates for a form's submit button when none is named.
_SUBMIT_BUTTONS = "button:not([type]), button[type=submit], input[type=submit], input[type=image]"

# Fill, then click the button among ``found`` that belongs to the filled form, in one call.
_SUBMIT_FORM_JS = (r"""
(found, [entries, named, simulate, strict]) => {
  const fill = """ + _FILL_FORM_JS.strip() + r""";
  const click = """ + _SIMULATED_CLICK_JS.strip() + r""";
  const filled = fill([entries, true]);
  if (!filled.results || filled.results.some(r => r.error || !r.ok)) return {filled};
  let buttons = found;
  if (!named) {
    const form = filled.controls.map(el => el.form).find(f => f);
    buttons = form ? found.filter(b => b.form === form) : [];
    if (!form) return {filled, clicked: 'the fields are in no form; give button:'};
    if (buttons.length > 1) return {filled, clicked: `the form has ${buttons.length} submit buttons; give button:`};
    if (!buttons.length) return {filled, clicked: 'the form has no submit button; give button:'};
  }
  if (!simulate) {
    if (buttons.length === 1) buttons[0].setAttribute('data-deskbot-submit', '');
    return {filled, clicked: 'input: mouse'};
  }
  const clicked = click(buttons, strict);
  if (clicked && typeof clicked === 'string' && buttons.length === 1) buttons[0].setAttribute('data-deskbot-submit', '');
  return {filled, clicked};
}
""")


# Without a named button, the candidates are found by plain CSS inside the same call: a
# page.evaluate costs about half of a locator's evaluate_all (no selector engine, no handles).
_SUBMIT_FORM_JSON_JS = _json_answer(_SUBMIT_FORM_JS)
_SUBMIT_OWN_FORM_JS = ("([entries, simulate, strict]) => JSON.stringify((" + _SUBMIT_FORM_JS.strip() + ")("
                       "[...document.querySelectorAll(" + repr(_SUBMIT_BUTTONS) + ")], [entries, false, simulate, strict]))")


@step("browser.submit_form", SubmitFormParams, shorthand="fields", requires=REQUIRES,
      outputs={"count": "how many fields were filled", "fields": "the labels filled",
               "url": "the current tab's URL after the submission"})
def submit_form(ctx, params: SubmitFormParams) -> dict:
    if not isinstance(params.fields, dict) or not params.fields:
        raise BusinessError("browser.submit_form needs fields: a mapping of field label: value")
    entries = [[str(label), _as_text(value)] for label, value in params.fields.items()]

    def action(session: BrowserSession, timeout: float) -> dict:
        mode = params.input or session.click_input
        simulate, strict = mode != "mouse", mode == "simulate"
        if params.button:
            buttons = _locator(session, params.button)
            call = lambda: _from_json(buttons.evaluate_all(_SUBMIT_FORM_JSON_JS, [entries, True, simulate, strict]))  # noqa: E731
        else:
            call = lambda: _from_json(session.page.evaluate(_SUBMIT_OWN_FORM_JS, [entries, simulate, strict]))  # noqa: E731
        before = session.document_count()

        def fill_and_click() -> Any:
            return _fill_until_done(session, timeout, lambda: _submitted(call()), entries, frames=False).get("clicked", "")

        outcome = _click_in_page(session, fill_and_click, timeout)
        if outcome:  # not clickable at once, or input: mouse: the mouse waits for it
            if mode == "simulate" and outcome != "input: mouse":
                raise BusinessError(f"cannot simulate the click: {outcome} (input: mouse waits for it)")
            if "give button:" in outcome:
                raise BusinessError(outcome)
            target = _locator(session, params.button) if params.button else session.page.locator("[data-deskbot-submit]")
            try:
                target.click(timeout=timeout)
            finally:
                with contextlib.suppress(Exception):  # the page may have moved on already
                    session.page.evaluate("() => document.querySelectorAll('[data-deskbot-submit]')"
                                          ".forEach(el => el.removeAttribute('data-deskbot-submit'))")
        session.check_new_document(before)
        return {"count": len(entries), "fields": [label for label, _ in entries], "url": session.page.url}

    return _act(ctx, "submitting the form", params.button, action)


def _submitted(answer: dict) -> dict:
    """The composite call's answer as ``_fill_until_done`` reads it (the fill's), plus the click."""
    filled = dict(answer.get("filled") or {})
    if "clicked" in answer:
        filled["clicked"] = answer["clicked"]
    return filled


def _fill_in_frames(session: BrowserSession, entries: list) -> dict | None:
    """The form is not in the page itself: fill it in the first iframe that has every label."""
    for frame in session.page.frames:
        if frame is session.page.main_frame:
            continue
        try:
            result = _from_json(frame.evaluate(_FILL_FORM_JSON_JS, [entries, True]))
        except Exception:  # a frame still loading or cross-origin and gone: try the next one
            continue
        if "results" in result or result.get("ambiguous"):
            return result
    return None


class SelectParams(SelectorParams):
    """Choose option(s) of a ``<select>`` by value or visible text.

    ```yaml
    - browser.select: {selector: "label=Currency", option: EUR}
    - browser.select: {selector: "#tags", option: [urgent, q4]}
    ```
    """

    option: str | list[str] = Field(description="value or visible text of the option(s)")


@step("browser.select", SelectParams, requires=REQUIRES, outputs={"selected": "values now selected"})
def select(ctx, params: SelectParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        wanted = params.option if isinstance(params.option, list) else [params.option]
        target = _locator(session, params.selector, params.frame)
        selected = target.select_option(wanted, timeout=timeout)  # matches values and visible texts
        return {"selected": selected}

    return _act(ctx, "selecting in", params.selector, action)


class CheckParams(SelectorParams):
    """Tick (or untick) a checkbox or radio button.

    ```yaml
    - browser.check: "label=Approved for payment"
    - browser.check: {selector: "#newsletter", checked: false}
    ```
    """

    checked: bool = Field(True, description="true to tick, false to untick")


@step("browser.check", CheckParams, shorthand="selector", requires=REQUIRES, outputs={"checked": "the new state"})
def check(ctx, params: CheckParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        _locator(session, params.selector, params.frame).set_checked(params.checked, timeout=timeout)
        return {"checked": params.checked}

    return _act(ctx, "checking", params.selector, action)


class PressParams(StepParams):
    """Press a key (or chord) in an element, or wherever the focus is.

    ```yaml
    - browser.press: Enter
    - browser.press: {selector: "#search", key: "Control+A"}
    ```
    """

    key: str = Field(description="key name: Enter, Tab, Escape, ArrowDown, Control+A …")
    selector: str | None = Field(None, description="element to press it in; default: the focused one")
    frame: str | None = Field(None, description="selector of the <iframe> the element is in")


@step("browser.press", PressParams, shorthand="key", requires=REQUIRES)
def press(ctx, params: PressParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        if params.selector:
            _locator(session, params.selector, params.frame).press(params.key, timeout=timeout)
        else:
            session.page.keyboard.press(params.key)
        return {}

    return _act(ctx, f"pressing {params.key} in", params.selector, action)


class UploadParams(SelectorParams):
    """Put file(s) into a file field.

    ```yaml
    - browser.upload: {selector: "label=Invoice scan", files: "{{ trigger.file }}"}
    ```
    """

    files: str | list[str] = Field(description="path(s) of the file(s) to upload")


@step("browser.upload", UploadParams, requires=REQUIRES, outputs={"files": "the uploaded paths"})
def upload(ctx, params: UploadParams) -> dict:
    files = [params.files] if isinstance(params.files, str) else list(params.files)
    for path in files:
        if not Path(path).is_file():
            raise InputError("file to upload not found; check the path", file=path)

    def action(session: BrowserSession, timeout: float) -> dict:
        _locator(session, params.selector, params.frame).set_input_files(files, timeout=timeout)
        return {"files": files}

    return _act(ctx, "uploading to", params.selector, action)


# ---- waiting and checking ------------------------------------------------------------------------
class WaitForParams(StepParams):
    """Wait for an element's state, a URL, a text on the page, or the network to go quiet.

    ```yaml
    - browser.wait_for: "#transactions"                      # visible
    - browser.wait_for: {selector: "#spinner", state: hidden}
    - browser.wait_for: {url: "**/accounts"}
    - browser.wait_for: {text: "Invoice saved"}
    - browser.wait_for: {network_idle: true}
    ```
    """

    selector: str | None = Field(None, description="element to wait for")
    state: Literal["visible", "hidden", "attached", "detached"] = Field("visible", description="state of the element")
    frame: str | None = Field(None, description="selector of the <iframe> the element is in")
    url: str | None = Field(None, description="URL glob (**/accounts), substring, or re:REGEX")
    text: str | None = Field(None, description="text that must appear on the page")
    network_idle: bool = Field(False, description="wait until no network request for 500 ms")

    @model_validator(mode="after")
    def _something(self):
        if not (self.selector or self.url or self.text or self.network_idle):
            raise ValueError("say what to wait for: selector, url, text or network_idle")
        return self


@step("browser.wait_for", WaitForParams, shorthand="selector", requires=REQUIRES, outputs={"url": "the current URL"})
def wait_for(ctx, params: WaitForParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        page = session.page
        if params.selector:
            _locator(session, params.selector, params.frame).first.wait_for(state=params.state, timeout=timeout)
        if params.url:
            pattern = _glob_regex(params.url)
            page.wait_for_url(lambda u: bool(pattern.search(u)), wait_until="commit", timeout=timeout)
        if params.text:
            page.get_by_text(params.text).first.wait_for(state="visible", timeout=timeout)
        if params.network_idle:
            page.wait_for_load_state("networkidle", timeout=timeout)
        return {"url": page.url}

    what = params.selector or params.url or params.text or "network idle"
    return _act(ctx, "waiting for", what, action)


class ExpectParams(StepParams):
    """Check the page; if it does not show what is expected, fail saying what it shows instead.

    ```yaml
    - browser.expect: {selector: "h1", text: "Accounts"}
    - browser.expect: {selector: "#invoices tbody tr", count: 3}
    - browser.expect: {selector: "label=Currency", value: EUR}
    - browser.expect: {selector: "role=alert", visible: false}
    - browser.expect: {url: "**/accounts"}
    ```
    """

    selector: str | None = Field(None, description="element(s) to check")
    frame: str | None = Field(None, description="selector of the <iframe> the element is in")
    text: str | None = Field(None, description="text the element contains")
    exact: bool = Field(False, description="text must be the whole text, not a part")
    count: int | None = Field(None, ge=0, description="how many elements match")
    value: str | None = Field(None, description="the field's current value (inputs, selects, textareas)")
    visible: bool | None = Field(None, description="the element is visible (true) or not (false)")
    url: str | None = Field(None, description="URL glob (**/accounts), substring, or re:REGEX")

    @model_validator(mode="after")
    def _something(self):
        if self.url is None and self.selector is None:
            raise ValueError("give a selector (with text, count or visible) or a url")
        if self.selector is not None and self.text is None and self.count is None and self.visible is None \
                and self.value is None:
            self.visible = True
        return self


@step("browser.expect", ExpectParams, requires=REQUIRES, outputs={"url": "the current URL"})
def expect_step(ctx, params: ExpectParams) -> dict:
    from playwright.sync_api import expect

    def action(session: BrowserSession, timeout: float) -> dict:
        page = session.page
        if params.url:
            pattern = _glob_regex(params.url)
            try:
                expect(page).to_have_url(pattern, timeout=timeout)
            except AssertionError:
                raise BusinessError(f"expected the URL to match {params.url!r}, found {page.url!r}") from None
        if params.selector:
            loc = _locator(session, params.selector, params.frame)
            try:
                if params.count is not None:
                    expect(loc).to_have_count(params.count, timeout=timeout)
                if params.text is not None:
                    target = loc if params.count is not None else loc.first
                    if params.exact:
                        expect(target).to_have_text(params.text, timeout=timeout)
                    else:
                        expect(target).to_contain_text(params.text, timeout=timeout)
                if params.value is not None:
                    expect(loc).to_have_value(params.value, timeout=timeout)
                if params.visible is True:
                    expect(loc.first).to_be_visible(timeout=timeout)
                elif params.visible is False:
                    expect(loc.first).to_be_hidden(timeout=timeout)
            except AssertionError:
                raise BusinessError(_found(loc, params)) from None
        return {"url": page.url}

    return _act(ctx, "expecting", params.selector or params.url, action)


def _found(loc, params: ExpectParams) -> str:
    try:
        count = loc.count()
        texts = [t.strip()[:80] for t in loc.all_inner_texts()[:3]] if count else []
        shown = sum(1 for i in range(min(count, 5)) if loc.nth(i).is_visible())
    except Exception:
        count, texts, shown = 0, [], 0
    wanted = []
    if params.count is not None:
        wanted.append(f"{params.count} element(s)")
    if params.text is not None:
        wanted.append(("text " if params.exact else "text containing ") + repr(params.text))
    if params.value is not None:
        wanted.append(f"value {params.value!r}")
    if params.visible is not None:
        wanted.append("visible" if params.visible else "hidden")
    found = f"{count} element(s)" + (f", {shown} visible" if count else "")
    if params.value is not None and count == 1:
        try:
            found += f", value {loc.input_value(timeout=1000)!r}"
        except Exception:
            pass
    if texts:
        found += ", text " + ", ".join(repr(t) for t in texts)
    return f"expected {' and '.join(wanted)}; found {found}"


# ---- reading the page -------------------------------------------------------------------------------
class TextParams(SelectorParams):
    """Read the visible text of an element (or of every match with ``all: true``).

    ```yaml
    - id: balance
      browser.text: "#accounts tbody tr:first-child td.num"
    - log: "Balance {{ steps.balance.text }}"
    ```
    """

    all: bool = Field(False, description="read every matching element into ``texts``")


@step("browser.text", TextParams, shorthand="selector", requires=REQUIRES,
      outputs={"text": "the element's text (the first one's with all: true)", "texts": "every match's text"})
def text(ctx, params: TextParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        loc = _locator(session, params.selector, params.frame)
        if params.all:
            loc.first.wait_for(state="attached", timeout=timeout)
            texts = [t.strip() for t in loc.all_inner_texts()]
            return {"text": texts[0] if texts else "", "texts": texts}
        value = loc.inner_text(timeout=timeout).strip()
        return {"text": value, "texts": [value]}

    return _act(ctx, "reading", params.selector, action)


class AttributeParams(SelectorParams):
    """Read an attribute of an element (``href``, ``value``, ``data-id`` …).

    ```yaml
    - id: link
      browser.attribute: {selector: "#export-csv", name: href}
    ```
    """

    name: str = Field(description="attribute name")


@step("browser.attribute", AttributeParams, requires=REQUIRES, outputs={"value": "the attribute's value (null if absent)"})
def attribute(ctx, params: AttributeParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        return {"value": _locator(session, params.selector, params.frame).get_attribute(params.name, timeout=timeout)}

    return _act(ctx, "reading attribute " + params.name + " of", params.selector, action)


_TABLE_JS = r"""
(table) => {
  const text = el => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
  const bodyRows = [...table.querySelectorAll(':scope > tbody > tr, :scope > tr')];
  let header = [...table.querySelectorAll(':scope > thead > tr:last-child > th, :scope > thead > tr:last-child > td')];
  let rows = bodyRows;
  if (!header.length && rows.length && !rows[0].querySelector('td')) { header = [...rows[0].children]; rows = rows.slice(1); }
  return {header: header.map(text), rows: rows.map(r => [...r.children].map(text))};
}
"""
_MARK_JS = "t => { t.setAttribute('data-deskbot-seen', '1'); t.querySelectorAll('tr').forEach(r => r.setAttribute('data-deskbot-seen', '1')); }"


class ExtractTableParams(StepParams):
    """Read an HTML table into a table the spreadsheet steps accept, across pagination.

    With ``next``, the step clicks that link/button after each page until it is gone or
    disabled (or ``max_pages`` is reached) and waits for the new page's rows each time.

    ```yaml
    - id: lines
      browser.extract_table: {selector: "#transactions", next: "a[rel=next]"}
    - sheet.write: {table: "{{ steps.lines.table }}", path: "{{ run.dir }}/lines.xlsx"}
    ```
    """

    selector: str = Field("table", description="the <table>")
    frame: str | None = Field(None, description="selector of the <iframe> the table is in")
    next: str | None = Field(None, description="the 'next page' link or button, if the table is paginated")
    max_pages: int = Field(100, ge=1, le=10000, description="stop after this many pages")


@step("browser.extract_table", ExtractTableParams, shorthand="selector", requires=REQUIRES,
      outputs={"table": "the rows as a table (text cells)", "rows": "the rows as mappings", "count": "number of rows",
               "columns": "the header", "pages": "pages read"})
def extract_table(ctx, params: ExtractTableParams) -> dict:
    import pandas as pd

    def action(session: BrowserSession, timeout: float) -> dict:
        loc = _locator(session, params.selector, params.frame)
        loc.wait_for(state="visible", timeout=timeout)
        data = loc.evaluate(_TABLE_JS)
        header, rows, pages = data["header"], list(data["rows"]), 1
        while params.next and pages < params.max_pages:
            timeout = session.timeout_ms(ctx)  # the step's time left shrinks page by page
            nxt = _locator(session, params.next, params.frame)
            if nxt.count() == 0 or not nxt.first.is_visible() or _disabled(nxt.first):
                break
            loc.evaluate(_MARK_JS)
            nxt.first.click(timeout=timeout)
            root = session.page.frame_locator(params.frame) if params.frame else session.page
            fresh = loc.and_(root.locator(":not([data-deskbot-seen])")).or_(loc.locator("tr:not([data-deskbot-seen])"))
            fresh.first.wait_for(state="visible", timeout=timeout)
            loc.wait_for(state="visible", timeout=timeout)
            page_data = loc.evaluate(_TABLE_JS)
            if page_data["header"] != header:
                raise BusinessError(f"page {pages + 1} has other columns ({page_data['header']}) than page 1 ({header})")
            rows.extend(page_data["rows"])
            pages += 1
        else:
            if params.next and pages >= params.max_pages:
                ctx.log(f"extract_table stopped at max_pages={params.max_pages}", "WARNING")
        columns = _column_names(header, max((len(r) for r in rows), default=0))
        width = len(columns)
        clean = [r + [""] * (width - len(r)) if len(r) < width else r[:width]
                 for r in rows if not (len(r) == 1 and width > 1)]  # single-cell rows: "no results", subtotals
        table = pd.DataFrame(clean, columns=columns, dtype=object)
        return {"table": table, "rows": table.to_dict("records"), "count": len(table), "columns": columns, "pages": pages}

    return _act(ctx, "reading table", params.selector, action)


def _disabled(loc) -> bool:
    try:
        return loc.is_disabled() or (loc.get_attribute("aria-disabled") == "true")
    except Exception:
        return False


def _column_names(header: list[str], width: int) -> list[str]:
    names = list(header) + [""] * max(0, width - len(header))
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        base = name or f"column_{i}"
        candidate, n = base, 2
        while candidate in out:
            candidate, n = f"{base}_{n}", n + 1
        out.append(candidate)
    return out


# ---- files ------------------------------------------------------------------------------------------
class DownloadParams(StepParams):
    """Download a file by clicking a link or button, or from a URL with the page's cookies.

    Saved under the run's folder (``runs/<id>/downloads/``) unless ``to`` says where; a
    folder in ``to`` keeps the server's file name. HTTP 5xx is a transient error.

    ```yaml
    - id: statement
      browser.download: {click: "text=Export CSV"}
      retry: {attempts: 3, delay: 1s}
    - id: ledger
      browser.download: {url: "{{ settings.erp.url }}ledger/export.xlsx?from=2026-10-01&to=2026-10-31",
                         to: "{{ run.dir }}/ledger.xlsx"}
    ```
    """

    click: str | None = Field(None, description="selector of the link/button that starts the download")
    url: str | None = Field(None, description="URL to fetch (relative to the current page allowed)")
    frame: str | None = Field(None, description="selector of the <iframe> the link is in")
    to: str | None = Field(None, description="file path, or folder ending in /, to save to")

    @model_validator(mode="after")
    def _one_source(self):
        if bool(self.click) == bool(self.url):
            raise ValueError("give exactly one of click (a selector) or url")
        return self


@step("browser.download", DownloadParams, shorthand="click", requires=REQUIRES,
      outputs={"path": "where the file was saved", "name": "the file name the server suggested", "size": "bytes"})
def download(ctx, params: DownloadParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        if params.click:
            with session.page.expect_download(timeout=timeout) as info:
                _locator(session, params.click, params.frame).click(timeout=timeout)
            dl = info.value
            failure = dl.failure()
            if failure:
                raise TransientError(f"the download failed: {failure}")
            name = dl.suggested_filename
            dest = _destination(ctx, params.to, name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(dest.name + ".part")
            dl.save_as(str(part))
        else:
            url = urljoin(session.page.url, params.url) if session.page.url.startswith("http") else params.url
            response = session.context.request.get(url, timeout=timeout)
            if response.status >= 500:
                raise TransientError(f"the server answered HTTP {response.status} for {url}")
            if response.status >= 400:
                raise BusinessError(f"the server answered HTTP {response.status} for {url}")
            name = _disposition_name(response.headers.get("content-disposition")) or urlparse(url).path.rsplit("/", 1)[-1]
            dest = _destination(ctx, params.to, name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(dest.name + ".part")
            part.write_bytes(response.body())
        os.replace(part, dest)
        ctx.artifact(dest, "download")
        return {"path": str(dest), "name": _safe_filename(name), "size": dest.stat().st_size}

    return _act(ctx, "downloading", params.click or params.url, action)


def _disposition_name(header: str | None) -> str | None:
    if not header:
        return None
    msg = Message()
    msg["content-disposition"] = header
    return msg.get_filename()


class ScreenshotParams(StepParams):
    """Save a screenshot of the current page (password and secret fields blanked).

    ```yaml
    on_failure:
      - browser.screenshot: {to: "{{ run.dir }}/failure.png"}
    ```
    """

    to: str | None = Field(None, description="PNG path; default runs/<id>/screenshot-<n>.png")
    full_page: bool = Field(True, description="the whole scrollable page, not only the window")
    selector: str | None = Field(None, description="only this element")


@step("browser.screenshot", ScreenshotParams, shorthand="to", requires=REQUIRES,
      outputs={"path": "the PNG file (null when no browser was open)"})
def screenshot(ctx, params: ScreenshotParams) -> dict:
    if current_session(ctx) is None:
        ctx.log("browser.screenshot: no browser is open in this run; nothing to capture", "WARNING")
        return {"path": None}

    def action(session: BrowserSession, timeout: float) -> dict:
        dest = Path(params.to) if params.to else _unique(Path(ctx.run_dir) / "screenshot.png")
        dest.parent.mkdir(parents=True, exist_ok=True)
        with session.secrets_blanked(ctx):
            if params.selector:
                _locator(session, params.selector).screenshot(path=str(dest), timeout=timeout)
            else:
                session.page.screenshot(path=str(dest), full_page=params.full_page, timeout=timeout)
        ctx.artifact(dest, "screenshot")
        return {"path": str(dest)}

    return _act(ctx, "taking a screenshot of", params.selector, action)


# ---- tabs, dialogs, saved state ---------------------------------------------------------------------
class SwitchTabParams(StepParams):
    """Continue in another tab: by position (0 = first, -1 = newest), URL or title.

    ```yaml
    - browser.switch_tab: {url: "**/help*"}
    - browser.switch_tab: {index: 0}
    ```
    """

    index: int | None = Field(None, description="tab position; -1 is the newest")
    url: str | None = Field(None, description="URL glob, substring or re:REGEX of the tab")
    title: str | None = Field(None, description="text in the tab's title")

    @model_validator(mode="after")
    def _one(self):
        if sum(x is not None for x in (self.index, self.url, self.title)) != 1:
            raise ValueError("give exactly one of index, url or title")
        return self


@step("browser.switch_tab", SwitchTabParams, shorthand="index", requires=REQUIRES,
      outputs={"url": "the tab's URL", "title": "its title", "tabs": "how many tabs are open"})
def switch_tab(ctx, params: SwitchTabParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        deadline = time.monotonic() + timeout / 1000
        while True:
            pages = [p for p in session.context.pages if not p.is_closed()]
            chosen = None
            if params.index is not None and -len(pages) <= params.index < len(pages):
                chosen = pages[params.index]
            elif params.url is not None:
                pattern = _glob_regex(params.url)
                chosen = next((p for p in pages if pattern.search(p.url)), None)
            elif params.title is not None:
                chosen = next((p for p in pages if params.title.lower() in p.title().lower()), None)
            if chosen is not None:
                break
            if time.monotonic() >= deadline:
                raise BusinessError(f"no such tab; open tabs: {[p.url for p in pages]}")
            time.sleep(0.05)
        session._adopt(chosen)
        session.page = chosen
        chosen.bring_to_front()
        return {"url": chosen.url, "title": chosen.title(), "tabs": len(pages)}

    return _act(ctx, "switching tab", None, action)


class CloseTabParams(StepParams):
    """Close the current tab and continue in the newest remaining one.

    ```yaml
    - browser.close_tab:
    ```
    """


@step("browser.close_tab", CloseTabParams, requires=REQUIRES, outputs={"url": "the tab now current", "tabs": "tabs left open"})
def close_tab(ctx, params: CloseTabParams) -> dict:
    def action(session: BrowserSession, timeout: float) -> dict:
        closing = session.page
        remaining = [p for p in session.context.pages if p is not closing and not p.is_closed()]
        closing.close()
        session.page = remaining[-1] if remaining else session.context.new_page()
        session._adopt(session.page)
        return {"url": session.page.url, "tabs": len(remaining) or 1}

    return _act(ctx, "closing the tab", None, action)


class DialogsParams(StepParams):
    """How to answer the page's alert/confirm/prompt dialogs from now on (default: dismiss).

    ```yaml
    - browser.dialogs: accept
    - browser.dialogs: {action: accept, prompt_text: "approved by deskbot"}
    ```
    """

    action: Literal["accept", "dismiss"] = Field(description="accept (OK) or dismiss (Cancel)")
    prompt_text: str | None = Field(None, description="text typed into prompt() dialogs when accepting")


@step("browser.dialogs", DialogsParams, shorthand="action", requires=REQUIRES,
      outputs={"seen": "dialogs answered so far in this run: type and message"})
def dialogs(ctx, params: DialogsParams) -> dict:
    session = browser_session(ctx)
    session.dialog_policy = {"action": params.action, "prompt_text": params.prompt_text}
    return {"seen": list(session.dialogs)}


class TotpParams(StepParams):
    """Compute the current one-time code (RFC 6238 TOTP) from a base32 seed.

    The code is masked in logs and evidence like a secret.

    ```yaml
    - id: otp
      browser.totp: "{{ secrets.BANK_TOTP_SEED }}"
    - browser.fill: {"#otp": "{{ steps.otp.code }}"}
    ```
    """

    seed: str = Field(description="the base32 seed (keep it in secrets)")
    digits: int = Field(6, ge=6, le=10, description="code length")
    period: int = Field(30, ge=10, le=300, description="seconds a code is valid")


def totp(seed: str, at: float | None = None, digits: int = 6, period: int = 30) -> str:
    """RFC 6238 (SHA-1) code of a base32 seed at time ``at`` (default now)."""
    clean = re.sub(r"[\s-]", "", seed).upper()
    key = base64.b32decode(clean + "=" * (-len(clean) % 8))
    counter = int((time.time() if at is None else at) // period)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


@step("browser.totp", TotpParams, shorthand="seed", outputs={"code": "the one-time code", "valid_for": "seconds left"})
def totp_step(ctx, params: TotpParams) -> dict:
    try:
        # a code about to expire may be stale by the time the form is sent: take the next one
        now = time.time()
        left = params.period - now % params.period
        at = now + left + 0.5 if left < 3 else now
        code = totp(params.seed, at, params.digits, params.period)
    except (binascii.Error, ValueError):
        raise BusinessError("the TOTP seed is not base32 text (letters A-Z and digits 2-7)") from None
    ctx.redactor.add(code)
    codes = ctx.resources.get("one_time_codes", list)
    codes.append(code)
    return {"code": code, "valid_for": round(left if left >= 3 else left + params.period, 1)}


class StateParams(StepParams):
    """Save or restore the browser's login state (cookies, local storage) for a site.

    Saved in ``DESKBOT_HOME/browser-state/<site>.json`` (owner-only); restore before opening
    the site, then check whether the login is still valid.

    ```yaml
    - id: state
      browser.restore_state: bank
    - browser.goto: "{{ settings.bank.url }}accounts"
    - browser.save_state: bank
    ```
    """

    site: str = Field(description="a name for the site: letters, digits, . _ -")


@step("browser.save_state", StateParams, shorthand="site", requires=REQUIRES, outputs={"path": "the state file"})
def save_state(ctx, params: StateParams) -> dict:
    session = browser_session(ctx)
    try:
        with alarms_deferred():
            return {"path": str(session.save_state(params.site))}
    except ValueError as exc:
        raise BusinessError(str(exc)) from None


@step("browser.restore_state", StateParams, shorthand="site", requires=REQUIRES,
      outputs={"restored": "true if a saved state was found and loaded"})
def restore_state(ctx, params: StateParams) -> dict:
    session = browser_session(ctx)
    try:
        with alarms_deferred():
            return {"restored": session.restore_state(params.site)}
    except ValueError as exc:
        raise BusinessError(str(exc)) from None
