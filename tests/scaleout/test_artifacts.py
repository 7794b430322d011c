"""DESKBOT_ARTIFACTS: run folders in a place all machines share, the store still under DESKBOT_HOME."""

from click.testing import CliRunner

from bots.cli import cli


def test_run_folders_go_to_the_shared_artifacts_folder(write_recipe, deskbot_home, tmp_path, monkeypatch):
    shared = tmp_path / "nfs" / "deskbot-runs"
    monkeypatch.setenv("DESKBOT_ARTIFACTS", str(shared))
    path = write_recipe("""
        name: evidence
        steps:
          - log: "writing to {{ run.dir }}"
    """)
    result = CliRunner().invoke(cli, ["run", str(path), "--json"])
    assert result.exit_code == 0, result.output
    run_id = result.output[result.output.index("{"):].split('"run_id": "')[1].split('"')[0]
    assert (shared / run_id / "run.log").is_file()
    assert not (deskbot_home / "runs" / run_id).exists() and (deskbot_home / "runs.db").exists()
