def test_hello_recipe_runs_ok(deskbot_home):
    from bots.recipe import load_recipe
    from bots.runner import Runner
    from tests.conftest import ROOT

    result = Runner(load_recipe(ROOT / "recipes" / "hello.yaml"), home=deskbot_home).run()
    assert result.status == "ok", result.error
