"""Screenshots of the console's pages for docs/console.md, taken in real Chromium.

    python scripts/console_screenshots.py [--home var/demo] [--out docs/console]

Uses the store of the last ``deskbot demo`` (default ``var/demo``): signs in as a fresh admin
made for the purpose (deleted from nothing: it stays in that demo store) and saves one PNG per page.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = [("dashboard", "/"), ("runs", "/runs"), ("run", None), ("reviews", "/reviews"), ("audit", "/audit"),
         ("users", "/users")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default="var/demo")
    parser.add_argument("--out", default="docs/console")
    args = parser.parse_args()
    home = Path(args.home).resolve()
    os.environ["DESKBOT_HOME"] = str(home)

    from waitress.server import create_server

    from bots import users
    from bots.browser import shared_browser
    from bots.store import RunStore
    from console.app import create_app

    store = RunStore(home)
    password = secrets.token_urlsafe(16)
    name = "screenshots"
    if users.get_user(name, store=store) is None:
        users.add_user(name, "admin", password, actor="screenshots", store=store)
    else:
        users.set_password(name, password, actor="screenshots", store=store)
    server = create_server(create_app(home=home), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = [r for r in store.list_runs(limit=50) if r["status"] == "failed"]
    run = (failed or store.list_runs(limit=1) or [None])[0]
    with shared_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/login")
        page.screenshot(path=str(out / "login.png"))
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        for label, path in PAGES:
            if path is None:
                if run is None:
                    continue
                path = f"/runs/{run['id']}"
            page.goto(base + path)
            page.screenshot(path=str(out / f"{label}.png"), full_page=True)
            print(out / f"{label}.png")
    server.close()


if __name__ == "__main__":
    main()
