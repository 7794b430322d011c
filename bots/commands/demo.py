"""``deskbot demo``: the main job end to end on embedded defaults; ``deskbot demo serve``: the
demo bank portal and ERP on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import sys

import click



def _run_story() -> int:
    from demo.story import run_story

    story = run_story()
    return 0 if story.ok else 1


def _demo_home():
    from bots import settings as settings_mod

    return settings_mod.home() / "demo"


def _serve_console(port: int) -> str:
    """The console over the last ``deskbot demo``'s store, in a thread beside the demo apps."""
    import os
    import threading

    from waitress.server import create_server

    home = _demo_home()
    os.environ["DESKBOT_HOME"] = str(home)  # reruns started from the console land in the demo's store too
    from console.app import create_app

    server = create_server(create_app(home=home), host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True, name="console").start()
    return f"http://127.0.0.1:{server.effective_port}/"


def register(cli: click.Group) -> None:
    @cli.group(invoke_without_command=True)
    @click.pass_context
    def demo(ctx: click.Context) -> None:
        """Run the main job end to end on embedded defaults."""
        if ctx.invoked_subcommand:
            return
        sys.exit(_run_story())

    @demo.command()
    @click.option("--bank-port", default=8765, show_default=True)
    @click.option("--erp-port", default=8766, show_default=True)
    @click.option("--console-port", default=8767, show_default=True, help="the console on the demo's store")
    def serve(bank_port: int, erp_port: int, console_port: int) -> None:
        """Serve the demo bank portal, ERP and the console on 127.0.0.1 until Ctrl-C."""
        try:
            from demo.server import start_demo_servers
        except ImportError:
            raise click.ClickException("the demo web apps are not installed in this checkout (demo/server.py)")
        handle = start_demo_servers(bank_port=bank_port, erp_port=erp_port)
        home = _demo_home()
        console_url = _serve_console(console_port)
        click.echo(f"bank portal: {handle.bank_url}\nERP:         {handle.erp_url}\n"
                   f"console:     {console_url} (the store under {home}; users from 'deskbot demo')\n"
                   f"Ctrl-C to stop")
        try:
            import threading

            threading.Event().wait()
        except KeyboardInterrupt:
            handle.stop()
