"""End to end: recipes/cmb_statement_archive.yaml on the real CMB export, filed twice."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from sheets.reader import read_table
from tests.conftest import ROOT, SAMPLES

RECIPE = ROOT / "recipes" / "cmb_statement_archive.yaml"
CMB = SAMPLES / "bank" / "double-entry-generator-cn" / "cmb" / "example-cmb-records.csv"


def test_recipe_validates():
    from bots.recipe import load_recipe

    assert load_recipe(RECIPE).name == "cmb_statement_archive"


def test_files_a_statement_once_even_when_run_twice(tmp_path, deskbot_home):
    from bots.recipe import load_recipe
    from bots.runner import Runner

    archive = tmp_path / "archive" / "cmb.xlsx"
    variables = {"statement": str(CMB), "archive": str(archive)}
    first = Runner(load_recipe(RECIPE), variables=variables, home=deskbot_home).run()
    assert first.status == "ok", first.error
    second = Runner(load_recipe(RECIPE), variables=variables, home=deskbot_home).run()
    assert second.status == "ok", second.error
    assert (first.outputs["archived"]["appended"], second.outputs["archived"]["appended"]) == (5, 0)
    assert second.outputs["archived"]["skipped"] == 5
    assert openpyxl.load_workbook(archive)["流水"].max_row == 6

    review = first.run_dir / "review.xlsx"
    lines = read_table(review, sheet="支出")
    assert len(lines) == 4 and all(v < 0 for v in lines["交易金额"])
    assert "66666666666666" not in " ".join(str(v) for v in lines["对手信息"])  # masked
    totals = read_table(review, sheet="月度汇总")
    assert totals.to_dict("records") == [{"月份": "2024-01", "支出合计": Decimal("-2013.14"), "笔数": 4}]
    assert any("4 money-out" in line for line in first.log_tail)
