"""Browser e2e fixtures: one demo server pair and one Chromium per test module."""

from __future__ import annotations

import pytest

from bots.browser import CHROMIUM, shared_browser

BANK_SECRETS = {"BANK_USER": "demo", "BANK_PASSWORD": "demo-password", "BANK_TOTP_SEED": "JBSWY3DPEHPK3PXP"}
ERP_SECRETS = {"ERP_USER": "demo", "ERP_PASSWORD": "demo-password"}


@pytest.fixture(scope="module")
def demo():
    from demo.server import start_demo_servers

    servers = start_demo_servers(bank_config={"DEMO_SPINNER_MS": 150})
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def chromium():
    why = CHROMIUM.check()
    if why:
        pytest.skip(f"needs {why}")
    with shared_browser() as browser:
        yield browser


@pytest.fixture
def secrets_env(monkeypatch):
    for key, value in {**BANK_SECRETS, **ERP_SECRETS}.items():
        monkeypatch.setenv(key, value)
    return {**BANK_SECRETS, **ERP_SECRETS}


@pytest.fixture
def chaos(demo):
    """Switch the bank's seeded 503s; always switched off again after the test."""
    state = demo.bank_app.extensions["chaos"]
    yield state
    state.configure(0, 7, 0)
