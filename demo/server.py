"""Serve the demo bank portal and ERP on 127.0.0.1, in background threads.

From Python (tests, ``deskbot demo``)::

    from demo.server import start_demo_servers
    servers = start_demo_servers()            # free ports; or bank_port=8765, erp_port=8766
    servers.bank_url, servers.erp_url         # "http://127.0.0.1:41234/"
    servers.bank_app.extensions["chaos"]      # switch seeded 503s on/off in-process
    servers.stop()

    with start_demo_servers() as servers: ...

From a shell: ``python -m demo.server [--bank-port 8765] [--erp-port 8766]`` (Ctrl-C stops).
The default ports are those of ``config/settings.yaml`` (``bank.url``, ``erp.url``).
"""

from __future__ import annotations

import argparse
import logging
import threading
from dataclasses import dataclass, field

from werkzeug.serving import BaseWSGIServer, make_server

from demo import bank_portal, erp

HOST = "127.0.0.1"  # never another interface: the demo has known passwords
BANK_PORT, ERP_PORT = 8765, 8766


@dataclass
class DemoServers:
    bank_app: object
    erp_app: object
    _servers: list[BaseWSGIServer] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    @property
    def bank_url(self) -> str:
        return f"http://{HOST}:{self._servers[0].server_port}/"

    @property
    def erp_url(self) -> str:
        return f"http://{HOST}:{self._servers[1].server_port}/"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> "DemoServers":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_demo_servers(bank_port: int = 0, erp_port: int = 0, *, bank_config: dict | None = None,
                       erp_config: dict | None = None) -> DemoServers:
    """Start both apps; port 0 picks a free port. Returns once both accept connections."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    handle = DemoServers(bank_portal.create_app(bank_config), erp.create_app(erp_config))
    try:
        for app, port in ((handle.bank_app, bank_port), (handle.erp_app, erp_port)):
            server = make_server(HOST, port, app, threaded=True)
            handle._servers.append(server)
    except OSError:
        handle.stop()
        raise
    for server, name in zip(handle._servers, ("bank", "erp")):
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  name=f"demo-{name}", daemon=True)
        thread.start()
        handle._threads.append(thread)
    return handle


@dataclass
class ServedApp:
    """One app served on 127.0.0.1 in a background thread (tests, the demo's API systems)."""

    app: object
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> "ServedApp":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def serve_app(app, port: int = 0, name: str = "demo-app") -> ServedApp:
    """Serve ``app`` on 127.0.0.1 (port 0: a free one); returns once it accepts connections."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server(HOST, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=name, daemon=True)
    thread.start()
    return ServedApp(app, server, thread)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="demo.server", description="Serve the demo bank portal and ERP on 127.0.0.1.")
    parser.add_argument("--bank-port", type=int, default=BANK_PORT)
    parser.add_argument("--erp-port", type=int, default=ERP_PORT)
    parser.add_argument("--flaky-rate", type=float, default=0.0, help="share of bank requests answered with 503")
    args = parser.parse_args(argv)
    try:
        servers = start_demo_servers(args.bank_port, args.erp_port,
                                     bank_config={"DEMO_FLAKY_RATE": args.flaky_rate})
    except OSError as exc:
        print(f"cannot listen on 127.0.0.1 ({exc}); is another demo server running? try --bank-port 0 --erp-port 0")
        return 2
    print(f"bank portal: {servers.bank_url}  (user demo, password demo-password, TOTP seed JBSWY3DPEHPK3PXP)")
    print(f"ERP:         {servers.erp_url}  (user demo, password demo-password)")
    print("Ctrl-C stops.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
