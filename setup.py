"""Build step the declarative configuration in pyproject.toml cannot express: the translation
catalogues are compiled (.po → .mo, scripts/compile_translations.py) into every wheel, and next
to the .po files for an editable install."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _compiler():
    spec = importlib.util.spec_from_file_location("compile_translations", HERE / "scripts/compile_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        compiler = _compiler()
        locale = HERE / "kiosk" / "locale"
        if self.editable_mode:  # the checkout's kiosk reads kiosk/locale itself
            compiler.compile_catalogues(locale)
        else:
            compiler.compile_catalogues(locale, Path(self.build_lib) / "kiosk" / "locale", force=True)


setup(cmdclass={"build_py": BuildWithCatalogues})
