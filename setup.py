"""Build step only (all metadata is in pyproject.toml): the wheel carries deskbot's defaults.

``config/`` and ``recipes/`` sit beside the packages in a checkout, where deskbot reads them
directly. A wheel has no such folders, so the build copies them into the packages that read
them: ``bots/_defaults/`` (settings, rules, templates, lexicons, shipped recipes and the schema),
``reconcile/_defaults/bank_profiles`` and ``vision/_defaults/`` (label lexicons, invoice
templates). A project folder's own ``config/`` and ``recipes/`` still override them.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
COPIES = [
    ("config", "bots/_defaults/config"),
    ("recipes", "bots/_defaults/recipes"),
    ("config/bank_profiles", "reconcile/_defaults/bank_profiles"),
    ("config/lexicons", "vision/_defaults/lexicons"),
    ("config/invoice_templates", "vision/_defaults/invoice_templates"),
]


class BuildWithDefaults(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads config/ and recipes/ where they are
        for source, target in COPIES:
            src = HERE / source
            if src.is_dir():
                dest = Path(self.build_lib) / target
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "learned"))


setup(cmdclass={"build_py": BuildWithDefaults})
