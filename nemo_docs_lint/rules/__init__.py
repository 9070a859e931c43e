"""Built-in rules, one module (or package, for a large family) per family. Importing this package
imports (and so registers) every module and package in it: a new family is a new module here,
and nothing else changes."""

import importlib
import os

_HERE = os.path.dirname(__file__)
for _name in sorted(os.listdir(_HERE)):
    if _name.endswith(".py") and not _name.startswith("_"):
        importlib.import_module(f"{__name__}.{_name[:-3]}")
    elif not _name.startswith(("_", ".")) and os.path.isfile(
        os.path.join(_HERE, _name, "__init__.py")
    ):
        importlib.import_module(f"{__name__}.{_name}")
