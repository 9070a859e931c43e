"""Command line: `nemo-docs-lint [check] PATHS...`, `nemo-docs-lint rules [CODE]`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__

FORMATS = ("console", "json", "sarif", "github", "markdown")


class DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is not a command name, goes to `check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nemo-docs-lint", message="%(prog)s %(version)s")
def main() -> None:
    """Lint a Sphinx + MyST docs tree: frontmatter, links, labels, toctrees."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="Config file to use."
)
@click.option("--select", help="Comma-separated codes or prefixes to run (e.g. FM,LNK001).")
@click.option("--extend-select", help="Codes or prefixes to run in addition to the selection.")
@click.option("--ignore", help="Comma-separated codes or prefixes to skip.")
@click.option("--schema", type=click.Path(path_type=Path), help="Frontmatter JSON Schema.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "note"]),
    help="Lowest severity that makes the exit code 1 (default: error).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Output format (default: console; github when GITHUB_ACTIONS=true).",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report here.")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Report only problems this baseline file does not list.",
)
@click.option(
    "--write-baseline",
    type=click.Path(path_type=Path),
    help="Record the current problems in this baseline file and exit 0.",
)
@click.option("--statistics", is_flag=True, help="Print counts per code only.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Explain settings and ignored conf.py values.")
def check(
    paths,
    config_file,
    select,
    extend_select,
    ignore,
    schema,
    fail_on,
    output_format,
    output,
    baseline,
    write_baseline,
    statistics,
    quiet,
    verbose,
) -> None:
    """Lint PATHS (a docs folder, or files of one docs tree)."""
    from .config import ConfigError
    from .engine import LintRequest, lint
    from .registry import RuleError

    request = LintRequest(
        paths=tuple(paths),
        config_file=config_file,
        select=_codes(select),
        extend_select=_codes(extend_select) or (),
        ignore=_codes(ignore) or (),
        schema=schema,
        fail_on=fail_on,
        baseline=None if write_baseline else baseline,
    )
    try:
        result = lint(request)
    except (ConfigError, RuleError) as exc:
        click.echo(f"nemo-docs-lint: error: {exc}", err=True)
        sys.exit(2)
    if verbose:
        _explain(result)
    if write_baseline is not None:
        from .baseline import write

        count = write(write_baseline, result.diagnostics, result.config, result.index)
        click.echo(f"nemo-docs-lint: wrote {count} baseline entries to {write_baseline}", err=True)
        sys.exit(0)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "console"
    _report(result, output_format, output, statistics, quiet)
    if result.baseline_fixed and output_format in ("console", "json", "sarif"):
        from .baseline import fixed_note

        click.echo(f"nemo-docs-lint: {fixed_note(result.baseline_fixed)}", err=True)
    failing = [d for d in result.diagnostics if d.severity.rank >= result.config.fail_on.rank]
    sys.exit(1 if failing else 0)


def _explain(result) -> None:
    config = result.config
    lines = [
        f"docs root: {config.docs_root}",
        f"config: {config.config_path or 'none found (defaults)'}",
        f"conf.py: {config.conf.path or 'none (Sphinx defaults)'}",
        f"documents: {len(result.index.pages)}; rules: {', '.join(r.code for r in result.rules)}",
        *result.notes,
    ]
    for line in lines:
        click.echo(f"nemo-docs-lint: {line}", err=True)


def _report(result, output_format: str, output: Path | None, statistics: bool, quiet: bool) -> None:
    from .reporters import ReportContext

    report = ReportContext(result=result, cwd=Path.cwd())
    if output_format == "console" and output is None:
        from .reporters.console import render

        render(report, sys.stdout, statistics=statistics, quiet=quiet)
        return
    if output_format == "console":
        import io

        from .reporters.console import render

        buffer = io.StringIO()
        render(report, buffer, statistics=statistics, quiet=quiet, color=False)
        text = buffer.getvalue()
    elif output_format == "sarif":
        from .reporters.sarif import render as render_sarif

        text = render_sarif(report)
    elif output_format == "github":
        from .reporters.github import render as render_github
        from .reporters.github import write_step_summary

        text = render_github(report)
        write_step_summary(report)
    elif output_format == "markdown":
        from .reporters.markdown import blob_base
        from .reporters.markdown import render as render_markdown

        text = render_markdown(report, link_base=blob_base())
    else:
        from .reporters.json import render as render_json

        text = render_json(report)
    if output is None:
        sys.stdout.write(text)
    else:
        from .fileio import write_atomic

        write_atomic(output, text)


@main.command()
@click.argument("code", required=False)
def rules(code: str | None) -> None:
    """List every rule, or explain one (e.g. `rules FM004`)."""
    from .registry import all_rules
    from .suggest import did_you_mean

    registry = all_rules()
    if code is None:
        for rule in registry.values():
            default = "" if rule.scope.value != "network" else "  (with --external)"
            click.echo(
                f"{rule.code:<7} {rule.name:<28} {rule.severity.value:<8} {rule.summary}{default}"
            )
        return
    rule = registry.get(code.upper())
    if rule is None:
        click.echo(
            f"nemo-docs-lint: error: no rule {code}{did_you_mean(code.upper(), registry)}", err=True
        )
        sys.exit(2)
    click.echo(f"{rule.code} {rule.name} (default severity: {rule.severity.value})\n")
    click.echo(rule.help_text)
