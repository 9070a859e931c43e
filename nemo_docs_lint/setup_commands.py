"""The setup commands: `init` (a project from its docs tree), `config` (check the configuration
or print its schema) and `schema` (the default frontmatter schema). `cli` registers them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click


def usage_error(exc: Exception) -> NoReturn:
    """Print a config or usage error (each of its lines) and exit 2."""
    for line in str(exc).splitlines() or [""]:
        click.echo(f"nemo-docs-lint: error: {line}", err=True)
    sys.exit(2)


@click.command("config")
@click.option(
    "--schema", "print_schema", is_flag=True, help="Print the configuration's JSON Schema."
)
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="Config file to check."
)
def config_command(print_schema: bool, config_file: Path | None) -> None:
    """Check the configuration found from here (or --config), or print its JSON Schema."""
    import json

    from .config import ConfigError, find_config_file, read_settings

    if print_schema:
        from .config_schema import config_schema

        click.echo(json.dumps(config_schema(), indent=2, ensure_ascii=False))
        return
    path = config_file or find_config_file(Path.cwd())
    if path is None:
        click.echo("nemo-docs-lint: no configuration found (defaults apply)", err=True)
        return
    try:
        settings = read_settings(path)
    except ConfigError as exc:
        usage_error(exc)
    click.echo(json.dumps(settings, indent=2, ensure_ascii=False, sort_keys=True))
    click.echo(f"nemo-docs-lint: {path}: valid", err=True)


@click.command("schema")
def schema_command() -> None:
    """Print the shipped default frontmatter JSON Schema (a start for your own)."""
    from .schema import default_schema_path

    sys.stdout.write(default_schema_path().read_text(encoding="utf-8"))


@click.command("init")
@click.argument("docs", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files that exist.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print what would be written; write nothing."
)
def init_command(docs: Path | None, force: bool, show_diff: bool) -> None:
    """Set up a project from its docs tree: config, inferred schema, pre-commit, workflow."""
    from dataclasses import replace

    from .config import ConfigError
    from .init import CONFIG_FILES, PRECOMMIT, WORKFLOW, default_choices, describe, diff, plan
    from .init import write as write_plan

    cwd = Path.cwd()
    try:
        choices = default_choices(cwd, docs, force)
        if sys.stdin.isatty():  # a person is there: ask, with the defaults as answers
            shown = os.path.relpath(choices.docs, cwd)
            answer = click.prompt("Docs root", default=shown, type=click.Path())
            choices = default_choices(cwd, Path(str(answer)), force)
            config_file = click.prompt(
                f"Configuration file ({', '.join(CONFIG_FILES)})",
                default=choices.config_file,
                type=click.Choice(CONFIG_FILES),
                show_choices=False,
            )
            precommit = click.confirm(f"Add the pre-commit hooks to {PRECOMMIT}?", default=True)
            workflow = click.confirm(
                f"Write the GitHub workflow {WORKFLOW.as_posix()}?", default=True
            )
            choices = replace(
                choices, config_file=config_file, precommit=precommit, workflow=workflow
            )
        planned = plan(choices, cwd)
    except ConfigError as exc:
        usage_error(exc)
    for line in describe(planned.inference):
        click.echo(f"nemo-docs-lint: {line}", err=True)
    if show_diff:
        sys.stdout.write(diff(planned))
        return
    for line in write_plan(planned):
        click.echo(f"nemo-docs-lint: {line}", err=True)
