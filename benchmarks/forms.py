"""Forms benchmark: a recipe filling a reshuffled form from a spreadsheet vs a hand-written script.

A local page has 7 labelled fields whose order and input ids change after every submission
(labelled three ways: ``for=``, wrapping label, bare label beside the input). Both contenders
submit the same 10-row spreadsheet 10 times, in the same Chromium, in the same run:

- the recipe: ``sheet.read`` -> for each row ``browser.fill_form: "{{ row }}"``, click Save,
  ``browser.expect`` the counter;
- the script: plain Playwright, one locator per field found by its label text, ``fill`` /
  ``select_option``, click Save, wait for the counter.

Then the RPA Challenge's shape (the page handles the submission itself): the recipe as
``browser.fill_form`` + ``browser.click`` on Submit (two steps, two round trips a form), and as
``browser.submit_form`` (one step, one round trip), beside a hand script that fills and submits
each form in one ``page.evaluate``.

The recipe runs with deskbot's defaults (``trace: actions``, ``browser.click`` input
``auto``); the same recipe with the real mouse for every click, with DOM snapshots in the trace
and with no trace is timed in the same run for comparison.

Prints medians over rounds: time of the 10 submissions, the ratio recipe/script, and the share
of the 70 fields the server received right. Targets: 100% right; ratio <= 1.2; recipe < 0.5 s;
challenge recipe <= 1.5x the one-evaluate script.

    .venv/bin/python benchmarks/forms.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask, jsonify, request  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
import logging  # noqa: E402
logging.getLogger("werkzeug").setLevel(logging.WARNING)

FIELDS = [("company", "Company name"), ("tax_id", "Tax ID"), ("email", "Contact email"), ("phone", "Phone"),
          ("city", "City"), ("country", "Country"), ("iban", "IBAN")]
COUNTRIES = ["China", "Hong Kong", "Singapore", "Germany", "United States", "Japan", "France", "United Kingdom"]
# spreadsheet headers as people type them: odd case, trailing spaces
HEADERS = ["Company name ", "TAX ID", "contact email", "Phone ", "City", "Country", "IBAN "]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Vendor quick entry</title></head><body>
<h1>Vendor quick entry</h1><form id="vendor"></form><button id="save" type="button">Save</button>
<p id="saved">Saved 0</p>
<script>
const FIELDS = %s, COUNTRIES = %s;
let saved = 0;
function rid() { return 'f' + Math.random().toString(36).slice(2, 10); }
function render() {
  const form = document.getElementById('vendor');
  const order = FIELDS.slice().sort(() => Math.random() - 0.5);
  form.innerHTML = '';
  order.forEach(([name, label], i) => {
    const id = rid(), style = (i + saved) %% 3;
    const control = name === 'country'
      ? `<select id="${id}" data-name="${name}">${COUNTRIES.map(c => `<option>${c}</option>`).join('')}</select>`
      : `<input id="${id}" data-name="${name}">`;
    const div = document.createElement('div');
    div.innerHTML = style === 0 ? `<label for="${id}">${label}</label> ${control}`
                  : style === 1 ? `<label>${label} ${control}</label>`
                  : `<label>${label}</label> <span>${control}</span>`;
    form.appendChild(div);
  });
}
document.getElementById('save').addEventListener('click', async () => {
  const data = {};
  for (const el of document.querySelectorAll('[data-name]')) data[el.dataset.name] = el.value;
  const r = await fetch('submit', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(data)});
  if (r.ok) { saved += 1; document.getElementById('saved').textContent = 'Saved ' + saved; render(); }
});
render();
</script></body></html>"""


# The RPA Challenge's shape: a <form> with a Submit input whose submission the page's own script
# handles (Angular's ngSubmit), fields reshuffled and re-labelled after every submission, no
# page load in between.
CHALLENGE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Challenge</title></head><body>
<h1>Input forms</h1><form id="challenge"><div id="fields"></div><input type="submit" value="Submit"></form>
<p id="done">Submitted 0</p>
<script>
const FIELDS = %s;
let count = 0;
function render() {
  const box = document.getElementById('fields');
  const order = FIELDS.slice().sort(() => Math.random() - 0.5);
  box.innerHTML = order.map(([name, label]) => {
    const id = 'f' + Math.random().toString(36).slice(2, 10);
    return `<div><label for="${id}">${label}</label><input id="${id}" name="${name}" ng-reflect-name="${name}"></div>`;
  }).join('');
}
document.getElementById('challenge').addEventListener('submit', e => {
  e.preventDefault();
  const data = {};
  for (const el of document.querySelectorAll('#fields input')) data[el.name] = el.value;
  navigator.sendBeacon('submit', JSON.stringify(data));
  count += 1;
  document.getElementById('done').textContent = 'Submitted ' + count;
  render();
});
render();
</script></body></html>"""


def make_app(store: list) -> Flask:
    import json

    app = Flask("forms-benchmark")
    page = PAGE % (json.dumps(FIELDS), json.dumps(COUNTRIES))
    challenge = CHALLENGE_PAGE % json.dumps([f for f in FIELDS if f[0] != "country"])

    @app.get("/")
    def index():
        return page

    @app.get("/challenge")
    def challenge_page():
        return challenge

    @app.post("/submit")
    def submit():
        store.append(request.get_json(force=True))
        return jsonify(ok=True)

    @app.post("/challenge/submit")
    def challenge_submit():  # navigator.sendBeacon posts text/plain
        import json as jsonlib

        store.append(jsonlib.loads(request.get_data(as_text=True)))
        return jsonify(ok=True)

    return app


def make_rows() -> list[list[str]]:
    cities = ["Shanghai", "Shenzhen", "Hamburg", "Austin", "Osaka", "Lyon", "Leeds", "Kowloon", "Jurong", "Hangzhou"]
    rows = []
    for i in range(10):
        rows.append([f"Vendor {i + 1} Co., Ltd", f"91310000MA1K{i:05d}X", f"ap{i + 1}@vendor{i + 1}.example",
                     f"+86 21 5555 {i:04d}", cities[i], COUNTRIES[i % len(COUNTRIES)], f"DE89370400440532013{i:03d}"])
    return rows


def write_sheet(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Vendors"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.perf_counter() + seconds
    while not condition() and time.perf_counter() < deadline:
        time.sleep(0.01)


def accuracy(store: list, rows: list[list[str]], fields=FIELDS) -> float:
    """Share of the fields the server received right; each row is matched to the submission that
    has the most of its fields (beacons may arrive out of order), each submission used once."""
    left = list(store)
    right = 0
    for want in rows:
        if not left:
            break
        scores = [sum(got.get(name) == value for (name, _), value in zip(fields, want)) for got in left]
        best = max(range(len(left)), key=scores.__getitem__)
        right += scores[best]
        left.pop(best)
    return right / (len(rows) * len(fields))


RECIPE = """
name: forms-benchmark
vars: {url: "", sheet: ""}
steps:
  - id: vendors
    sheet.read: {path: "{{ vars.sheet }}", infer: false}
  - browser.goto: "{{ vars.url }}"
  - id: submissions
    steps:
      - browser.fill_form: "{{ row }}"
      - browser.click: "#save"
      - browser.expect: {selector: "#saved", text: "Saved {{ loop.index }}", exact: true}
    for_each: "{{ steps.vendors.rows }}"
    as: row
"""


CHALLENGE_RECIPE = """
name: challenge-benchmark
vars: {url: "", sheet: ""}
steps:
  - id: people
    sheet.read: {path: "{{ vars.sheet }}", infer: false}
  - browser.goto: "{{ vars.url }}"
  - id: submissions
    steps:
      - browser.fill_form: "{{ row }}"
      - browser.click: "input[type=submit]"
    for_each: "{{ steps.people.rows }}"
    as: row
"""

# the same in one step per form: fields filled and the form's submit button clicked in one call
CHALLENGE_SUBMIT_RECIPE = """
name: challenge-submit-benchmark
vars: {url: "", sheet: ""}
steps:
  - id: people
    sheet.read: {path: "{{ vars.sheet }}", infer: false}
  - browser.goto: "{{ vars.url }}"
  - id: submissions
    browser.submit_form: "{{ row }}"
    for_each: "{{ steps.people.rows }}"
    as: row
"""

# one page.evaluate per form: every field found by its label's text, set, then the form submitted
ONE_EVALUATE_JS = r"""
(row) => {
  for (const label of document.querySelectorAll('#fields label')) {
    const key = Object.keys(row).find(k => k.trim().toLowerCase() === label.textContent.trim().toLowerCase());
    const input = document.getElementById(label.htmlFor);
    input.value = row[key];
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }
  document.querySelector('#challenge input[type=submit]').click();
}
"""


class TreeCPU:
    """CPU seconds of this process and every process under it (Playwright's driver, Chromium's
    browser, GPU and renderer processes), read from /proc: the work of both contenders, whatever
    the machine's load does to their wall time. None where there is no /proc."""

    def __init__(self):
        self.pids = self._tree() if Path("/proc/self/stat").exists() else []

    @staticmethod
    def _stat(pid) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    children.setdefault(int(self._stat(entry)[1]), []).append(int(entry))
                except (OSError, IndexError):
                    continue
        found, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def seconds(self) -> float | None:
        if not self.pids:
            return None
        ticks = 0
        for pid in self.pids:
            try:
                fields = self._stat(pid)
                ticks += int(fields[11]) + int(fields[12])
            except (OSError, IndexError):
                continue
        return ticks / os.sysconf("SC_CLK_TCK")


def run_one_evaluate_script(browser, url: str, sheet: Path, cpu: list | None = None) -> float:
    """The fastest hand-written Playwright script for the challenge: one round trip per form."""
    from openpyxl import load_workbook

    context = browser.new_context()
    page = context.new_page()
    ws = load_workbook(sheet, read_only=True)["Vendors"]
    values = list(ws.iter_rows(values_only=True))
    headers, data = [str(h) for h in values[0]], values[1:]
    page.goto(url)
    tree = TreeCPU()
    c1 = tree.seconds()
    t1 = time.perf_counter()
    for row in data:
        page.evaluate(ONE_EVALUATE_JS, {h: str(v) for h, v in zip(headers, row) if h.strip().lower() != "country"})
    loop = time.perf_counter() - t1
    if cpu is not None and c1 is not None:
        cpu.append(tree.seconds() - c1)
    page.wait_for_selector(f"#done:text-is('Submitted {len(data)}')")
    context.close()
    return loop


def run_recipe(recipe, url: str, sheet: Path, home: Path, browser_settings: dict | None = None,
               cpu: list | None = None) -> tuple[float, float]:
    from bots.progress import Reporter
    from bots.runner import Runner

    class LoopClock(Reporter):
        """Wall time from the first step of the loop starting to its last step ending."""

        start = end = 0.0
        tree = None
        cpu_start = cpu_end = None

        def step_started(self, path, *args, **kwargs):
            if path.startswith("steps[2]") and not self.start:
                if cpu is not None:
                    self.tree = TreeCPU()
                    self.cpu_start = self.tree.seconds()
                self.start = time.perf_counter()
            return super().step_started(path, *args, **kwargs)

        def step_finished(self, path, *args, **kwargs):
            if path.startswith("steps[2]"):
                self.end = time.perf_counter()
                if self.tree is not None:
                    self.cpu_end = self.tree.seconds()
            return super().step_finished(path, *args, **kwargs)

    clock = LoopClock()
    t0 = time.perf_counter()
    settings = {"browser": browser_settings} if browser_settings else {}
    result = Runner(recipe, home=home, variables={"url": url, "sheet": str(sheet)}, reporter=clock,
                    settings=settings).run()
    total = time.perf_counter() - t0
    if not result.ok:
        raise SystemExit(f"recipe failed: {result.error}")
    if cpu is not None and clock.cpu_start is not None:
        cpu.append(clock.cpu_end - clock.cpu_start)
    return clock.end - clock.start, total


def run_script(browser, url: str, sheet: Path) -> tuple[float, float]:
    """What a developer would write by hand with Playwright for the same job."""
    from openpyxl import load_workbook

    t0 = time.perf_counter()
    context = browser.new_context()
    page = context.new_page()
    ws = load_workbook(sheet, read_only=True)["Vendors"]
    values = list(ws.iter_rows(values_only=True))
    headers, data = [str(h).strip() for h in values[0]], values[1:]
    page.goto(url)
    t1 = time.perf_counter()
    for n, row in enumerate(data, start=1):
        for header, value in zip(headers, row):
            # the row of the form whose text starts with the label (labels are not all tied by for=)
            field = (page.locator("#vendor > div").filter(has_text=re.compile(rf"^\s*{re.escape(header)}\b", re.I))
                     .locator("input, select"))
            if header.lower() == "country":
                field.select_option(str(value))
            else:
                field.fill(str(value))
        page.click("#save")
        page.wait_for_selector(f"#saved:text-is('Saved {n}')")
    loop = time.perf_counter() - t1
    context.close()
    return loop, time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    from bots.browser import shared_browser
    from bots.recipe import parse_recipe

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["DESKBOT_HOME"] = str(tmp / "home")
        rows = make_rows()
        sheet = tmp / "vendors.xlsx"
        write_sheet(sheet, rows)
        recipe = parse_recipe(RECIPE, str(tmp / "forms.yaml"))
        recipe_loops, script_loops, recipe_totals, script_totals, recipe_acc, script_acc = [], [], [], [], [], []
        # the same recipe with other browser settings, for comparison in the same run
        variants = {"clicks with the real mouse (input: mouse)": {"input": "mouse"},
                    "trace with DOM snapshots (trace: full)": {"trace": "full"},
                    "no trace recorded (trace: off)": {"trace": "off"}}
        variant_loops: dict[str, list[float]] = {name: [] for name in variants}
        challenge_recipe = parse_recipe(CHALLENGE_RECIPE, str(tmp / "challenge.yaml"))
        challenge_sheet = tmp / "people.xlsx"
        write_sheet(challenge_sheet, [row[:5] + row[6:] for row in rows], [h for h in HEADERS if h.strip() != "Country"])
        challenge_rows = [row[:5] + row[6:] for row in rows]
        challenge_fields = [f for f in FIELDS if f[0] != "country"]
        challenge_recipe_loops, challenge_script_loops, challenge_acc = [], [], []
        submit_recipe = parse_recipe(CHALLENGE_SUBMIT_RECIPE, str(tmp / "challenge-submit.yaml"))
        submit_loops, submit_acc = [], []
        challenge_cpu: dict[str, list[float]] = {"fill_form + click": [], "submit_form": [], "script": []}
        store: list = []
        server = make_server("127.0.0.1", 0, make_app(store), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/"
        try:
            with shared_browser() as browser:
                run_recipe(recipe, url, sheet, tmp / "home")  # warm-up of both paths, not counted
                run_script(browser, url, sheet)
                for _ in range(args.rounds):
                    store.clear()
                    loop, total = run_recipe(recipe, url, sheet, tmp / "home")
                    recipe_loops.append(loop)
                    recipe_totals.append(total)
                    recipe_acc.append(accuracy(store, rows))
                    for name, browser_settings in variants.items():
                        variant_loops[name].append(run_recipe(recipe, url, sheet, tmp / "home", browser_settings)[0])
                    store.clear()
                    loop, total = run_script(browser, url, sheet)
                    script_loops.append(loop)
                    script_totals.append(total)
                    script_acc.append(accuracy(store, rows))
                    store.clear()
                    challenge_recipe_loops.append(run_recipe(challenge_recipe, url + "challenge", challenge_sheet,
                                                             tmp / "home", cpu=challenge_cpu["fill_form + click"])[0])
                    wait_for(lambda: len(store) >= len(challenge_rows))
                    challenge_acc.append(accuracy(store, challenge_rows, challenge_fields))
                    store.clear()
                    submit_loops.append(run_recipe(submit_recipe, url + "challenge", challenge_sheet, tmp / "home",
                                                   cpu=challenge_cpu["submit_form"])[0])
                    wait_for(lambda: len(store) >= len(challenge_rows))
                    submit_acc.append(accuracy(store, challenge_rows, challenge_fields))
                    store.clear()
                    challenge_script_loops.append(run_one_evaluate_script(browser, url + "challenge", challenge_sheet,
                                                                          challenge_cpu["script"]))
                    wait_for(lambda: len(store) >= len(challenge_rows))
        finally:
            server.shutdown()

    med = statistics.median
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"forms benchmark: 10 submissions x 7 reshuffled fields, {args.rounds} rounds, medians "
          f"({os.cpu_count()} CPUs, load average {load:.1f} at the end)")
    print(f"  recipe  10 submissions: {med(recipe_loops) * 1000:7.0f} ms   whole run: {med(recipe_totals) * 1000:7.0f} ms"
          f"   fields right: {min(recipe_acc) * 100:.1f}%")
    print(f"  script  10 submissions: {med(script_loops) * 1000:7.0f} ms   whole run: {med(script_totals) * 1000:7.0f} ms"
          f"   fields right: {min(script_acc) * 100:.1f}%")
    for name, loops in variant_loops.items():
        print(f"  recipe, {name}: {med(loops) * 1000:7.0f} ms")
    ratio = med(recipe_loops) / med(script_loops)
    print(f"  ratio recipe/script (submissions): {ratio:.2f}  (target <= 1.2)")
    print(f"  ratio recipe/script (whole run):   {med(recipe_totals) / med(script_totals):.2f}")
    challenge_ratio = med(challenge_recipe_loops) / med(challenge_script_loops)
    print(f"  challenge-style form (submit handled by the page), 10 forms:")
    def every(values: list[float]) -> str:
        return "(all: " + ", ".join(f"{v * 1000:.0f}" for v in values) + ")"

    print(f"    recipe (fill_form + click Submit): {med(challenge_recipe_loops) * 1000:7.0f} ms"
          f"   fields right: {min(challenge_acc) * 100:.1f}%   {every(challenge_recipe_loops)}")
    print(f"    recipe (browser.submit_form, one step a form): {med(submit_loops) * 1000:7.0f} ms"
          f"   fields right: {min(submit_acc) * 100:.1f}%   {every(submit_loops)}")
    print(f"    hand script, one page.evaluate per form: {med(challenge_script_loops) * 1000:7.0f} ms"
          f"   {every(challenge_script_loops)}")
    submit_ratio = med(submit_loops) / med(challenge_script_loops)
    print(f"    ratio recipe/one-evaluate script: fill_form + click {challenge_ratio:.2f},"
          f" submit_form {submit_ratio:.2f}  (target <= 1.5)")
    if all(challenge_cpu.values()):
        base = med(challenge_cpu["script"])
        print("    CPU of every process (this one, Playwright's driver, Chromium's): " + ", ".join(
            f"{name} {med(values) * 1000:.0f} ms ({med(values) / base:.2f}x) {every(values)}"
            for name, values in challenge_cpu.items()))
    accurate = min(recipe_acc) == 1.0 and min(challenge_acc) == 1.0 and min(submit_acc) == 1.0
    ok = accurate and ratio <= 1.2 and med(recipe_loops) < 0.5 and min(challenge_ratio, submit_ratio) <= 1.5
    print("  targets met" if ok else "  TARGETS MISSED (times depend on machine load; see the load average above)")
    return 0 if accurate else 1  # a wrong field is a bug; a slow machine is not


if __name__ == "__main__":
    raise SystemExit(main())
