"""A console over a seeded store, and a signed-in test client per role."""

from __future__ import annotations

import re

import pytest

from bots import users
from bots.store import RunStore

PASSWORD = "a long test passphrase"
ROLES = users.ROLES


@pytest.fixture
def store(deskbot_home):
    return RunStore(deskbot_home)


@pytest.fixture
def app(deskbot_home, store):
    from console.app import create_app

    for role in ROLES:
        users.add_user(role, role, PASSWORD, actor="test", store=store)
    application = create_app(home=deskbot_home, settings={})
    application.config["TESTING"] = True
    return application


def csrf_of(response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert found, "the page has a form without a CSRF token"
    return found.group(1)


def sign_in(client, name: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login"))
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token})


@pytest.fixture
def client_as(app):
    clients = {}

    def make(role: str):
        if role not in clients:
            client = app.test_client()
            assert sign_in(client, role).status_code == 302
            clients[role] = client
        return clients[role]

    return make
