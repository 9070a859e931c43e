"""Built-in rules, one module per family. Importing this package imports (and so registers)
every module in it: a new family is a new module here, and nothing else changes."""

import importlib
import os

for _name in sorted(os.listdir(os.path.dirname(__file__))):
    if _name.endswith(".py") and not _name.startswith("_"):
        importlib.import_module(f"{__name__}.{_name[:-3]}")
