"""How ``browser.click`` reaches the page: simulated events when the element is clickable at
once, Chromium's real mouse when the element must be waited for, when the click loads a page,
or when the recipe asks for it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

# every event the button sees, with isTrusted, so a test can tell the two input modes apart
RECORDER = """
<title>clicks</title>
<button id=save type=button>Save</button>
<input id=name>
<p id=log></p>
<script>
  const log = [];
  for (const type of ['pointerdown', 'mousedown', 'focus', 'pointerup', 'mouseup', 'click'])
    document.getElementById('save').addEventListener(type, e => {
      log.push(type + (e.isTrusted ? '' : '*'));
      document.getElementById('log').textContent = log.join(' ');
    });
</script>
"""


def data_url(html: str) -> str:
    return "data:text/html," + quote(html)


@pytest.fixture(scope="module")
def serve():
    """serve(html) -> an http://127.0.0.1 URL of that page (a real origin, unlike data: URLs)."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(html: str) -> str:
        path = f"/page{len(pages)}"
        pages[path] = html.encode()
        return f"http://127.0.0.1:{server.server_port}{path}"

    yield url
    server.shutdown()


def events_seen(run_recipe, url: str, click: str = '"#save"', **kwargs) -> str:
    """Open ``url``, run ``browser.click: <click>``, return the button's event log."""
    result = run_recipe(f"""
        name: click-events
        steps:
          - browser.goto: "{url}"
          - browser.click: {click}
          - id: log
            browser.text: "#log"
    """, **kwargs)
    assert result.ok, result.error
    return result.outputs["log"]["text"]


def test_auto_click_on_a_ready_button_is_simulated_with_the_events_of_a_mouse_click(chromium, run_recipe, serve):
    # '*' marks untrusted (dispatched) events; the order is a real click's, and the button
    # takes the focus (el.focus() is a trusted focus event)
    assert events_seen(run_recipe, serve(RECORDER)) == "pointerdown* mousedown* focus pointerup* mouseup* click*"


def test_input_mouse_gives_trusted_events_for_pages_that_check(chromium, run_recipe, serve):
    assert events_seen(run_recipe, serve(RECORDER), '{selector: "#save", input: mouse}') == \
        "pointerdown mousedown focus pointerup mouseup click"


def test_settings_choose_the_mouse_for_every_click(chromium, run_recipe, serve):
    assert events_seen(run_recipe, serve(RECORDER), settings={"browser": {"input": "mouse"}}).endswith("mouseup click")


def test_a_wrong_input_setting_is_named(chromium, run_recipe, serve):
    result = run_recipe(f"""
        name: bad-setting
        steps:
          - browser.goto: "{serve(RECORDER)}"
    """, settings={"browser": {"input": "keyboard"}})
    assert not result.ok
    assert "settings.browser.input" in result.error and "keyboard" in result.error


def test_auto_waits_with_the_mouse_for_a_button_that_is_still_hidden_or_disabled(chromium, run_recipe, serve):
    page = serve(RECORDER + """<script>
        const b = document.getElementById('save');
        b.style.display = 'none'; b.disabled = true;
        setTimeout(() => { b.style.display = ''; }, 300);
        setTimeout(() => { b.disabled = false; }, 600);
    </script>""")
    assert events_seen(run_recipe, page).endswith("mouseup click")  # the real mouse, once it was enabled


def test_a_covered_button_fails_naming_what_covers_it(chromium, run_recipe, serve):
    covered = RECORDER + ("<div id=overlay style='position:fixed;inset:0;background:rgba(0,0,0,.3)'></div>")
    result = run_recipe(f"""
        name: covered
        steps:
          - browser.goto: "{serve(covered)}"
          - browser.click: {{selector: "#save", input: simulate}}
    """)
    assert not result.ok
    assert "div#overlay" in result.error and "'#save'" in result.error
    auto = run_recipe(f"""
        name: covered-auto
        steps:
          - browser.goto: "{data_url(covered)}"
          - browser.click: "#save"
            timeout: 2s
    """)
    assert not auto.ok
    assert "intercepts pointer events" in auto.error  # Playwright's own account, after waiting
    assert {"screenshot", "html", "trace"} <= {a["kind"] for a in auto.artifacts}


@pytest.mark.parametrize("how", ["link", "script"])
def test_a_click_that_loads_a_page_returns_once_the_new_page_is_there(chromium, run_recipe, serve, demo, how):
    target = demo.erp_url + "login"
    if how == "link":
        html = f"<a id=go href='{target}'>Go</a>"
    else:
        html = f"<button id=go type=button onclick=\"location.href = '{target}'\">Go</button>"
    result = run_recipe(f"""
        name: navigates
        steps:
          - browser.goto: "{serve(html)}"
          - id: clicked
            browser.click: "#go"
    """)
    assert result.ok, result.error
    assert result.outputs["clicked"]["url"] == target


def test_pages_that_cannot_report_navigations_get_the_mouse(chromium, run_recipe):
    assert events_seen(run_recipe, data_url(RECORDER)).endswith("mouseup click")


def test_simulate_waits_for_an_element_that_appears_later(chromium, run_recipe, serve):
    page = serve(RECORDER + """<script>
        const b = document.getElementById('save'); b.remove();
        setTimeout(() => document.body.prepend(b), 300);
    </script>""")
    assert events_seen(run_recipe, page, '{selector: "#save", input: simulate}').endswith("mouseup* click*")


def test_a_selector_matching_two_buttons_is_an_error_in_every_mode(chromium, run_recipe, serve):
    page = serve("<button>Save</button><button>Save</button>")
    for mode in ("auto", "simulate"):
        result = run_recipe(f"""
            name: ambiguous
            steps:
              - browser.goto: "{page}"
              - browser.click: {{selector: "button", input: {mode}}}
                timeout: 2s
        """)
        assert not result.ok
        assert "strict mode violation" in result.error and "2 elements" in result.error, mode


SHADOW = """
<title>shadow</title>
<p id=log></p>
<div id=host></div>
<script>
  const root = document.getElementById('host').attachShadow({mode: 'open'});
  root.innerHTML = '<button id=save type=button>Save</button>';
  root.getElementById('save').addEventListener('click', e => {
    document.getElementById('log').textContent = 'clicked' + (e.isTrusted ? '' : '*');
  });
</script>
"""


def test_a_css_selector_finds_buttons_inside_shadow_roots_as_playwright_does(chromium, run_recipe, serve):
    # the page's own querySelectorAll does not look into shadow roots: such pages go to Playwright
    assert events_seen(run_recipe, serve(SHADOW)) == "clicked*"
    result = run_recipe(f"""
        name: shadow-and-light
        steps:
          - browser.goto: "{serve(SHADOW + '<button id=save type=button>Save</button>')}"
          - browser.click: "#save"
            timeout: 2s
    """)
    assert not result.ok
    assert "strict mode violation" in result.error and "2 elements" in result.error


SPA_FORM = """
<title>quick entry</title>
<form id=f><input name=first id=first><input type=submit id=go value=Submit></form>
<p id=log></p>
<script>
  let n = 0;
  document.getElementById('f').addEventListener('submit', e => {
    e.preventDefault();   // the page handles the submission itself, as Angular and React forms do
    n += 1;
    document.getElementById('log').textContent = `submitted ${n}: ${document.getElementById('first').value}`;
  });
  // the real mouse gives a trusted click; a simulated one does not
  document.getElementById('go').addEventListener('click', e => { document.title = e.isTrusted ? 'mouse' : 'simulated'; });
</script>
"""


def test_a_submit_button_of_a_form_the_page_handles_is_simulated_once(chromium, run_recipe, serve):
    # one submission, by the simulated click (a mouse click would leave a trusted click on #go)
    result = run_recipe(f"""
        name: spa-submit
        steps:
          - browser.goto: "{serve(SPA_FORM)}"
          - browser.fill: {{"#first": Ada}}
          - browser.click: "#go"
          - id: log
            browser.text: "#log"
          - id: clicks
            browser.text: "title"
    """)
    assert result.ok, result.error
    assert result.outputs["log"]["text"] == "submitted 1: Ada"
    assert result.outputs["clicks"]["text"] == "simulated"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_submit_button_that_loads_a_page_waits_for_it(chromium, run_recipe, serve, demo, method):
    target = demo.erp_url + "login"
    form = f"<form method={method} action='{target}'><input name=username value=x><button id=go>Sign in</button></form>"
    result = run_recipe(f"""
        name: form-navigates
        steps:
          - browser.goto: "{serve(form)}"
          - id: clicked
            browser.click: "#go"
          - id: heading
            browser.text: "h1"
    """)
    assert result.ok, result.error
    assert result.outputs["clicked"]["url"].startswith(target)


TWO_FORMS = """
<title>entry</title>
<form id=search><label>Find <input name=q></label><button>Search</button></form>
<form id=entry>
  <div><label for=n1>Full name</label><input id=n1 name=name></div>
  <label>E-mail <input name=email></label>
  <input type=submit value=Save>
</form>
<p id=log></p>
<script>
  let n = 0;
  const log = text => { document.getElementById('log').textContent += text + ';'; };
  document.getElementById('search').addEventListener('submit', e => { e.preventDefault(); log('search'); });
  document.getElementById('entry').addEventListener('submit', e => {
    e.preventDefault();
    n += 1;
    const f = e.target;
    log(`saved ${n}: ${f.name.value} <${f.email.value}>`);
    f.reset();
  });
  document.querySelector('#entry [type=submit]').addEventListener('click', e => {
    document.title = e.isTrusted ? 'mouse' : 'simulated'; });
</script>
"""


def test_submit_form_fills_by_label_and_submits_that_form_once_per_row(chromium, run_recipe, serve):
    result = run_recipe(f"""
        name: entry
        steps:
          - browser.goto: "{serve(TWO_FORMS)}"
          - browser.submit_form: "{{{{ row }}}}"
            for_each: [{{"Full name ": Ada Lovelace, "e-mail": ada@example.com}}, {{"FULL NAME": Alan Turing, E-mail: alan@example.com}}]
            as: row
          - id: log
            browser.text: "#log"
          - id: how
            browser.text: title
    """)
    assert result.ok, result.error
    # the entry form's own button, simulated (the page handles the submission); the search form untouched
    assert result.outputs["log"]["text"] == "saved 1: Ada Lovelace <ada@example.com>;saved 2: Alan Turing <alan@example.com>;"
    assert result.outputs["how"]["text"] == "simulated"


def test_submit_form_with_input_mouse_clicks_with_the_real_mouse(chromium, run_recipe, serve):
    result = run_recipe(f"""
        name: entry-mouse
        steps:
          - browser.goto: "{serve(TWO_FORMS)}"
          - browser.submit_form: {{fields: {{Full name: Ada, E-mail: a@example.com}}, input: mouse}}
          - id: log
            browser.text: "#log"
          - id: how
            browser.text: title
    """)
    assert result.ok, result.error
    assert result.outputs["log"]["text"] == "saved 1: Ada <a@example.com>;" and result.outputs["how"]["text"] == "mouse"


def test_submit_form_that_loads_a_page_waits_for_it(chromium, run_recipe, serve, demo):
    target = demo.erp_url + "login"
    form = f"<form method=post action='{target}'><label>User <input name=username></label><button>Sign in</button></form>"
    result = run_recipe(f"""
        name: form-navigates
        steps:
          - browser.goto: "{serve(form)}"
          - id: sent
            browser.submit_form: {{fields: {{User: x}}}}
          - id: heading
            browser.text: "h1"
    """)
    assert result.ok, result.error
    assert result.outputs["sent"]["url"].startswith(target) and result.outputs["heading"]["text"]


@pytest.mark.parametrize("page, fields, expected", [
    ("<form><label>Name <input></label></form><p id=log></p>", "{Name: x}", "no submit button; give button:"),
    ("<form><label>Name <input></label><button>a</button><button>b</button></form>", "{Name: x}",
     "2 submit buttons; give button:"),
    ("<form><label>Name <input></label><button>Save</button></form>", "{Nmae: x}", "no field labelled 'Nmae'"),
])
def test_submit_form_says_what_is_missing(chromium, run_recipe, serve, page, fields, expected):
    result = run_recipe(f"""
        name: entry-wrong
        steps:
          - browser.goto: "{serve(page)}"
          - browser.submit_form: {{fields: {fields}}}
    """, settings={"browser": {"timeout": "2s"}})  # Playwright gives up, no forced stop (a loaded machine)
    assert not result.ok and expected in result.error, result.error
