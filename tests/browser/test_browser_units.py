"""Browser helpers that need no browser: one-time codes, URL globs, hostile file names, trace masking."""

from __future__ import annotations

import zipfile

import pytest

from bots.browser import mask_trace, state_path
from bots.steps.browser import _as_text, _glob_regex, _safe_filename, totp
from demo.bank_portal import totp as bank_totp


@pytest.mark.parametrize("at", [0, 59, 1_111_111_109, 1_234_567_890, 2_000_000_000])
def test_deskbot_one_time_code_is_the_one_the_bank_expects(at):
    seed = "JBSWY3DPEHPK3PXP"
    assert totp(seed, at) == bank_totp(seed, at)
    assert totp("jbsw y3dp ehpk 3pxp", at) == bank_totp(seed, at)  # as authenticator apps print it


def test_url_globs():
    assert _glob_regex("**/accounts").search("http://127.0.0.1:8765/accounts")
    assert not _glob_regex("**/accounts").search("http://127.0.0.1:8765/accounts/2")
    assert _glob_regex("/statement?from=").search("http://x/statement?from=2026")  # plain text: a part of it
    assert _glob_regex("re:/ap$").search("http://x/ap")


@pytest.mark.parametrize("name,safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("statement\x00.csv", "statement_.csv"),
    ("", "download"),
    ("...", "download"),
    ("a" * 300 + ".csv", "a" * 120),
])
def test_downloaded_file_names_cannot_escape_the_run_folder(name, safe):
    assert _safe_filename(name) == safe


def test_saved_state_site_names_are_plain():
    with pytest.raises(ValueError, match="site name"):
        state_path("/tmp", "../bank")


def test_values_typed_into_forms():
    from datetime import date, datetime
    from decimal import Decimal

    assert _as_text(1130.0) == "1130" and _as_text(Decimal("1130.50")) == "1130.50"
    assert _as_text(datetime(2026, 10, 3)) == "2026-10-03" and _as_text(date(2026, 10, 3)) == "2026-10-03"
    assert _as_text(float("nan")) == "" and _as_text(None) == ""


def test_every_text_file_in_a_trace_is_masked(tmp_path):
    raw = tmp_path / "raw.zip"
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr("trace.trace", '{"method":"fill","params":{"value":"hunter2"}}')
        z.writestr("trace.network", '{"postData":"password=hunter2"}')
        z.writestr("resources/abc.html", "<input value='hunter2'>")
        z.writestr("resources/img.png", b"\x89PNG\r\n\x1a\nhunter2")
    mask_trace(raw, tmp_path / "trace.zip", lambda text: text.replace("hunter2", "***"))
    with zipfile.ZipFile(tmp_path / "trace.zip") as z:
        texts = {n: z.read(n) for n in z.namelist()}
    assert all(b"hunter2" not in texts[n] for n in ("trace.trace", "trace.network", "resources/abc.html"))
    assert texts["resources/img.png"].startswith(b"\x89PNG")  # images are copied as they are


def test_trace_setting_values():
    from bots.browser import _trace_mode
    from bots.errors import InputError

    assert [_trace_mode(v) for v in (True, False, "actions", "FULL", "off")] == ["actions", "off", "actions", "full", "off"]
    with pytest.raises(InputError, match="settings.browser.trace is 'sometimes'"):
        _trace_mode("sometimes")
