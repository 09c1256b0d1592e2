"""Build hook: ship the bundled 2023 example (the repository's rubric/, comments/, scores/ and round files)
inside the wheel as cchc_consult/example/, so `cchc demo` works from a non-editable install.
The list must match cchc_consult.workspace.EXAMPLE_ITEMS (tests/test_init_demo.py checks the wheel)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

EXAMPLE_ITEMS = ("rubric", "comments", "scores", "offices.yaml", "round.yaml", "decision.yaml")
HERE = Path(__file__).resolve().parent


class BuildWithExample(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "cchc_consult" / "example"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        ignore = shutil.ignore_patterns(".*", "*.lock", "*.tmp", "__pycache__")
        for item in EXAMPLE_ITEMS:
            source = HERE / item
            if source.is_dir():
                shutil.copytree(source, target / item, ignore=ignore)
            else:
                shutil.copyfile(source, target / item)


setup(cmdclass={"build_py": BuildWithExample})
