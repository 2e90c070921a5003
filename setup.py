"""Build steps the declarative configuration in pyproject.toml cannot express, into every wheel and,
for an editable install, into the checkout where its kiosk reads them: the translation catalogues
are compiled (.po → .mo, scripts/compile_translations.py) and the interface font is built
(scripts/build_interface_font.py; without fontTools or Debian's Noto Sans CJK it is left out and
the kiosk draws its text from Noto Sans CJK)."""

import importlib.util
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _script(name):
    spec = importlib.util.spec_from_file_location(name, HERE / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # by its name, as the font builder's worker processes find it
    spec.loader.exec_module(module)
    return module


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        compiler = _script("compile_translations")
        locale = HERE / "kiosk" / "locale"
        if self.editable_mode:  # the checkout's kiosk reads kiosk/locale itself
            compiler.compile_catalogues(locale)
        else:
            compiler.compile_catalogues(locale, Path(self.build_lib) / "kiosk" / "locale", force=True)
        font = _script("build_interface_font")
        try:
            font.build(font.OUT_DIR if self.editable_mode else Path(self.build_lib) / "screens" / "fonts")
        except font.FontBuildError as exc:
            print(f"interface font not built: {exc}")


setup(cmdclass={"build_py": BuildWithCatalogues})
