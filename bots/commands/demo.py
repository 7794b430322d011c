"""``deskbot demo``: the main job end to end on embedded defaults; ``deskbot demo serve``: the
demo bank portal and ERP on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import sys

import click



def _run_story() -> int:
    from demo.story import run_story

    story = run_story()
    return 0 if story.ok else 1


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
    def serve(bank_port: int, erp_port: int) -> None:
        """Serve the demo bank portal and ERP on 127.0.0.1 until Ctrl-C."""
        try:
            from demo.server import start_demo_servers
        except ImportError:
            raise click.ClickException("the demo web apps are not installed in this checkout (demo/server.py)")
        handle = start_demo_servers(bank_port=bank_port, erp_port=erp_port)
        click.echo(f"bank portal: {handle.bank_url}\nERP:         {handle.erp_url}\nCtrl-C to stop")
        try:
            import threading

            threading.Event().wait()
        except KeyboardInterrupt:
            handle.stop()
