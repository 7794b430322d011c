"""What a read costs besides reading: a process's first page no longer waits for every label
pattern of every language to be compiled, only for the fields it asks about; and a reading
worker reuses the memory its last page freed instead of having the kernel map and clear it
again. Neither changes what is read."""

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vision.lexicon import DEFAULT_FOLDER, fold, load_lexicons

ROOT = Path(__file__).resolve().parents[2]


def _compiled_characters(monkeypatch) -> list[int]:
    """Sizes of the patterns handed to re.compile from now on (a pattern is compiled however
    often re's own cache has seen it: the count is of what the lexicons ask for)."""
    sizes: list[int] = []
    real = re.compile

    def counting(pattern, flags=0):
        sizes.append(len(pattern))
        return real(pattern, flags)

    monkeypatch.setattr(re, "compile", counting)
    return sizes


def test_loading_the_lexicons_leaves_the_patterns_of_fields_nobody_asked_about_uncompiled(tmp_path, monkeypatch):
    folder = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_FOLDER, folder)  # a folder of its own: not the cached lexicons of other tests
    everything = load_lexicons(DEFAULT_FOLDER)
    sizes = _compiled_characters(monkeypatch)
    lexicons = load_lexicons(folder)
    at_loading = sum(sizes)
    # loading compiled nothing but an admin's own 're:' labels, each checked on its own, and the
    # short pattern of the words that follow an addressee's name ('御中', '様')
    own = sum(len(label) - 3 for lex in lexicons.by_code.values() for entries in lex.labels.values()
              for _, label in entries if label.startswith("re:"))
    assert own <= at_loading < own + 500, (at_loading, own)
    hit = lexicons.match(fold("Total due: 12.50"), ("amount",))
    asked = sum(sizes) - at_loading
    monkeypatch.undo()
    whole = _compiled_characters(monkeypatch)
    fresh = type(lexicons)([lexicons.by_code[code] for code in lexicons.languages()])
    fresh.compile_all()
    all_patterns = sum(whole)
    monkeypatch.undo()
    assert hit is not None and hit.field == "amount"
    # one field's patterns, of every language, and not the rest
    assert 0 < asked < 0.2 * all_patterns, (asked, all_patterns)
    # the labels found are those every pattern compiled at once finds
    for text, fields in [("Total due: 12.50", ("amount", "amount_due")), ("Rechnungsnummer 2024-17", ("invoice_number",)),
                         ("Total € incl. VAT 19.90", ("amount", "vat")), ("票号码: 0417", ("invoice_number",)),
                         ("发票号码 0417", ("invoice_number", "other_number")), ("Datum: 1.2.2026", ("date", "due_date"))]:
        assert lexicons.match(fold(text), fields) == everything.match(fold(text), fields), text
    assert lexicons.column(fold("Description")) == everything.column(fold("Description")) == "description"


def test_a_latin_page_never_compiles_the_cjk_labels_read_one_character_off(tmp_path, monkeypatch):
    folder = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_FOLDER, folder)
    lexicons = load_lexicons(folder)
    for text in ("Invoice No. 2024-17", "Subtotal 10.00", "GST 6% 0.60", "Total 10.60"):
        lexicons.match(fold(text), ("invoice_number", "amount_untaxed", "vat", "amount"))
    sizes = _compiled_characters(monkeypatch)
    lexicons.match(fold("TOTAL RM 10.60"), ("invoice_number", "amount_untaxed", "vat", "amount"))
    assert sizes == []  # asked again, nothing more is compiled
    found = lexicons.match(fold("票号码: 0417"), ("invoice_number",))  # 发票号码 with its first character lost
    assert found is not None and found.field == "invoice_number"
    assert sizes  # only now


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="the allocator settings are glibc's")
def test_a_reading_worker_keeps_the_memory_a_page_freed_for_the_next_page():
    script = """
import os, numpy as np
from vision.reader import worker_init
worker_init()
def resident():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
page = np.ones((64 << 20) // 8)  # a photographed receipt's float copy: 64 MB
held = resident()
del page
print(held - resident())
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    given_back = int(out.stdout.split()[-1])
    # handed back to the kernel, the next page's copy is mapped and cleared page by page again
    assert given_back < 16 << 20, given_back
