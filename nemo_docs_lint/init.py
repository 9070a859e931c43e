"""`nemo-docs-lint init`: set a project up from its own docs tree.

Plans four files — the `[tool.nemo-docs-lint]` table (appended to `pyproject.toml`, or a
`.nemo-docs-lint.toml`), a frontmatter schema inferred from the tree (see `infer`), the
pre-commit hooks and a GitHub workflow — then writes them (atomically), or shows them as a diff.
An existing file is kept unless `force`; files that are extended (`pyproject.toml`, an existing
`.pre-commit-config.yaml`) keep every byte they had.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import ConfigError, find_project_root
from .infer import Drift, Inference, infer_schema

SCHEMA_NAME = "frontmatter.schema.json"
WORKFLOW = Path(".github") / "workflows" / "docs-lint.yml"
PRECOMMIT = Path(".pre-commit-config.yaml")
CONFIG_FILES = ("pyproject.toml", ".nemo-docs-lint.toml")
REPO_URL = "https://github.com/nemo-docs-lint/nemo-docs-lint"


@dataclass(frozen=True)
class Choices:
    """What to set up; the defaults are what runs without a terminal."""

    docs: Path
    config_file: str  # one of CONFIG_FILES
    precommit: bool = True
    workflow: bool = True
    force: bool = False


@dataclass(frozen=True)
class Planned:
    path: Path  # relative to the project root
    text: str  # the whole new content
    old: str | None  # the current content; None for a new file
    keep: str = ""  # why the file is left alone ("" when it is written)

    @property
    def verb(self) -> str:
        return "created" if self.old is None else "updated"


@dataclass
class Plan:
    project: Path
    inference: Inference
    files: list[Planned] = field(default_factory=list)


def find_docs(start: Path) -> Path | None:
    """The docs tree to set up: `start` with a conf.py, else `docs/` or `doc/` with one."""
    for name in (".", "docs", "doc"):
        if (start / name / "conf.py").is_file():
            return Path(name)
    return None


def default_choices(cwd: Path, docs: Path | None, force: bool) -> Choices:
    found = docs or (cwd / name if (name := find_docs(cwd)) else None)
    if found is None:
        raise ConfigError(
            f"no docs tree found in {cwd} (no conf.py here, in docs/ or in doc/); "
            "name the docs folder: nemo-docs-lint init DOCS"
        )
    project = find_project_root(found.resolve()) or cwd.resolve()
    config = "pyproject.toml" if (project / "pyproject.toml").is_file() else CONFIG_FILES[1]
    if (project / CONFIG_FILES[1]).is_file():
        config = CONFIG_FILES[1]
    return Choices(docs=found, config_file=config, force=force)


def plan(choices: Choices, cwd: Path) -> Plan:
    """Everything init would write, computed from the tree and the files already there."""
    from .engine import LintRequest, build_index, resolve_config

    docs = choices.docs.resolve()
    project = find_project_root(docs) or cwd.resolve()
    config = resolve_config(LintRequest(paths=(docs,), use_cache=False), cwd)
    index = build_index(config, use_cache=False, bodies=False)
    frontmatters = [
        page.frontmatter.data
        for page in index.pages.values()
        if page.path.endswith(".md") and isinstance(page.frontmatter.data, dict)
    ]
    inference = infer_schema(frontmatters, title=f"Frontmatter of {docs.name}/")
    docs_rel = _relative(docs, project)
    result = Plan(project, inference)
    schema_path = Path(docs_rel) / SCHEMA_NAME
    schema_text = json.dumps(inference.schema, indent=2, ensure_ascii=False) + "\n"
    result.files.append(_replaceable(project, schema_path, schema_text, choices.force))
    result.files.append(_config(project, choices, docs_rel, schema_path.as_posix()))
    if choices.precommit:
        result.files.append(_precommit(project, docs_rel))
    if choices.workflow:
        result.files.append(_replaceable(project, WORKFLOW, _workflow(docs_rel), choices.force))
    return result


def _relative(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


def _replaceable(project: Path, path: Path, text: str, force: bool) -> Planned:
    old = _read(project / path)
    if old is not None and not force and old != text:
        return Planned(path, text, old, keep="it exists; --force replaces it")
    if old == text:
        return Planned(path, text, old, keep="already up to date")
    return Planned(path, text, old)


def _config(project: Path, choices: Choices, docs_rel: str, schema: str) -> Planned:
    path = Path(choices.config_file)
    old = _read(project / path)
    body = f'root = "{docs_rel}"\nschema = "{schema}"\n'
    if path.name != "pyproject.toml":
        text = "# nemo-docs-lint settings: see `nemo-docs-lint config --schema`\n" + body
        return _replaceable(project, path, text, choices.force)
    table = f"[tool.nemo-docs-lint]\n{body}"
    if old is None:
        return Planned(path, table, None)
    if _has_our_table(old) and not choices.force:
        return Planned(
            path, old, old, keep="it has a [tool.nemo-docs-lint] table; --force replaces it"
        )
    kept = _without_our_tables(old).rstrip("\n")
    text = (kept + "\n\n" if kept else "") + table
    return Planned(path, text, old, keep="already up to date" if text == old else "")


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _is_ours(header: str) -> bool:
    name = header.replace('"', "").replace("'", "").replace(" ", "")
    return name == "tool.nemo-docs-lint" or name.startswith("tool.nemo-docs-lint.")


def _has_our_table(text: str) -> bool:
    return any((m := _HEADER.match(line)) and _is_ours(m.group(1)) for line in text.splitlines())


def _without_our_tables(text: str) -> str:
    """The TOML text without `[tool.nemo-docs-lint]` and its sub-tables (line-exact otherwise)."""
    kept, ours = [], False
    for line in text.splitlines(keepends=True):
        match = _HEADER.match(line)
        if match:
            ours = _is_ours(match.group(1))
        if not ours:
            kept.append(line)
    return "".join(kept)


def _hooks(docs_rel: str) -> str:
    files = "" if docs_rel == "." else f"        files: ^{re.escape(docs_rel)}/\n"
    args = "" if docs_rel == "." else f"        args: [{docs_rel}]\n"
    return (
        f"  - repo: {REPO_URL}\n"
        "    rev: main  # pin a release tag or a commit SHA\n"
        "    hooks:\n"
        "      - id: nemo-docs-lint\n"
        f"{files}"
        "      - id: nemo-docs-lint-links  # external links: manual stage only\n"
        f"{args}"
    )


def _precommit(project: Path, docs_rel: str) -> Planned:
    import yaml

    old = _read(project / PRECOMMIT)
    entry = _hooks(docs_rel)
    if old is None:
        return Planned(PRECOMMIT, "repos:\n" + entry, None)
    if "nemo-docs-lint" in old:
        return Planned(PRECOMMIT, old, old, keep="it already has nemo-docs-lint hooks")
    text = old.rstrip("\n") + "\n" + entry
    try:
        before, after = yaml.safe_load(old) or {}, yaml.safe_load(text)
        ok = after["repos"][:-1] == before.get("repos") and after["repos"][-1]["repo"] == REPO_URL
    except (yaml.YAMLError, KeyError, TypeError, IndexError, AttributeError):
        ok = False
    if not ok:
        return Planned(
            PRECOMMIT, old, old, keep=f"its `repos:` list is not last; add this entry:\n{entry}"
        )
    return Planned(PRECOMMIT, text, old)


def _workflow(docs_rel: str) -> str:
    paths = "" if docs_rel == "." else f'    paths: ["{docs_rel}/**"]\n'
    return (
        "name: docs-lint\n"
        "on:\n"
        "  pull_request:\n"
        f"{paths}"
        "  push:\n"
        "    branches: [main]\n"
        "\n"
        "permissions:\n"
        "  contents: read\n"
        "\n"
        "jobs:\n"
        "  lint:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: nemo-docs-lint/nemo-docs-lint@main  # pin a release tag or a commit SHA\n"
        "        with:\n"
        f"          path: {docs_rel}\n"
    )


def diff(plan: Plan) -> str:
    """A unified diff of every file init would write."""
    chunks: list[str] = []
    for item in plan.files:
        if item.keep or item.text == item.old:
            continue
        old = (item.old or "").splitlines(keepends=True)
        source = f"a/{item.path.as_posix()}" if item.old is not None else "/dev/null"
        chunks += difflib.unified_diff(
            old, item.text.splitlines(keepends=True), source, f"b/{item.path.as_posix()}"
        )
    return "".join(chunks)


def write(plan: Plan) -> list[str]:
    """Write the planned files; one message per file."""
    from .fileio import write_atomic

    messages = []
    for item in plan.files:
        name = item.path.as_posix()
        if item.keep:
            messages.append(f"kept {name} ({item.keep})")
            continue
        target = plan.project / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, item.text)
        messages.append(f"{item.verb} {name}")
    return messages


def describe(inference: Inference) -> list[str]:
    """What was inferred, and the drift left out of the schema."""
    from .words import plural

    schema = inference.schema
    lines = [
        f"inferred a frontmatter schema from {plural(inference.pages, 'page')} with frontmatter: "
        f"{plural(len(schema['required']), 'required key')}, "
        f"{plural(len(inference.enums), 'vocabulary')}"
    ]
    if inference.drift:
        lines.append("likely drift, left out of the schema so that the linter reports it:")
        lines += [f"  {_drift(d)}" for d in inference.drift]
    return lines


def _drift(d: Drift) -> str:
    from .words import plural

    rare, common = plural(d.count, "page"), plural(d.likely_count, "page")
    what = f"key `{d.value}`" if not d.key else f"{d.key}: `{d.value}`"
    return f"{what} ({rare}) looks like `{d.likely}` ({common})"
