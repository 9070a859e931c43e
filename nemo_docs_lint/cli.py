"""Command line: `nemo-docs-lint [check] PATHS...`, `rules`, `dashboard`; `init`, `config` and
`schema` come from `setup_commands`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from .changes import ChangeSet
    from .engine import FixOutcome
    from .model import LintResult
    from .reporters.base import ReportOptions

from . import __version__
from .reporters import FORMATS
from .setup_commands import config_command, init_command, schema_command, usage_error
from .words import plural


class DefaultCommandGroup(click.Group):
    """A group whose first argument, when it is not a command name, goes to `check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own = ("--help", "-h", "--version")
        if not args or (args[0] not in self.commands and args[0] not in own):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[check] [OPTIONS] [PATHS]...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="       ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The implicit `check` command's options first: they are what most runs use."""
        check = self.commands["check"]
        with formatter.section("Lint options (nemo-docs-lint [check] PATHS ...)"):
            options = [p for p in check.params if isinstance(p, click.Option)]
            formatter.write_dl([row for p in options if (row := p.get_help_record(ctx))])
        super().format_options(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with its whole summary (click cuts them at the first `.`, as in `e.g.`)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.short_help or _summary(command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _summary(text: str) -> str:
    """The first paragraph of a docstring, on one line."""
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


@click.group(
    "nemo-docs-lint",
    cls=DefaultCommandGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="nemo-docs-lint", message="%(prog)s %(version)s")
def main() -> None:
    """Lint a Sphinx + MyST docs tree: frontmatter, links, labels, toctrees."""


def run() -> None:
    """The console script: `main` in a process of its own, which collects garbage seldom and
    ends at once when done."""
    from .gc_pause import for_a_process
    from .hard_exit import enable

    for_a_process()
    enable()
    main(prog_name="nemo-docs-lint")


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
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report here.",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Report only problems this baseline file does not list.",
)
@click.option(
    "--write-baseline",
    "baseline_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the current problems in this baseline file and exit 0.",
)
@click.option("--statistics", is_flag=True, help="Print counts per code only.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Explain settings and ignored conf.py values.")
@click.option(
    "--fix",
    is_flag=True,
    help="Apply safe fixes, and rewrite every reference to what git shows renamed.",
)
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also apply unsafe fixes.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print what --fix would change; write nothing."
)
@click.option("--external", is_flag=True, help="Also check http(s) links over the network (EXT).")
@click.option(
    "--changed",
    is_flag=True,
    help="Report only what the change touches; with no PATHS, the trees git shows deletions in.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk caches.")
@click.option(
    "--watch", is_flag=True, help="Lint again on every change; print what changed each time."
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    help="Lint standard input as the text of this file of the tree (for editors).",
)
def check(
    paths: tuple[Path, ...],
    config_file: Path | None,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    schema: Path | None,
    fail_on: str | None,
    output_format: str | None,
    output: Path | None,
    baseline: Path | None,
    baseline_file: Path | None,
    statistics: bool,
    quiet: bool,
    verbose: bool,
    fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    external: bool,
    changed: bool,
    no_cache: bool,
    watch: bool,
    stdin_filename: Path | None,
) -> None:
    """Lint PATHS (a docs folder, or files of one docs tree)."""
    from .config import ConfigError
    from .engine import LintRequest, apply_fixes, fix_diff, lint, write_baseline
    from .registry import RuleError

    if watch:
        _check_watch(fix, baseline_file, stdin_filename, output, output_format)
    buffers: dict[Path, bytes] = {}
    if stdin_filename is not None:
        if fix:
            usage_error(ValueError("--fix cannot rewrite standard input; save the file first"))
        if not stdin_filename.parent.is_dir() or stdin_filename.is_dir():
            usage_error(ValueError(f"--stdin-filename {stdin_filename}: not a file in a folder"))
        buffers[stdin_filename] = sys.stdin.buffer.read()
        paths = (*paths, stdin_filename)
    changes = None
    if changed and not paths:
        paths, changes = _changed_root(verbose)
        if not paths:
            sys.exit(0)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "console"
    plain = not (fix or show_diff or watch or baseline or baseline_file or stdin_filename)
    storable = output is not None and output_format in _STORED_FORMATS and plain and not changed
    request = LintRequest(
        paths=tuple(paths),
        changed=changed,
        changes=changes,
        config_file=config_file,
        select=_codes(select),
        extend_select=_codes(extend_select) or (),
        ignore=_codes(ignore) or (),
        schema=schema,
        fail_on=fail_on,
        baseline=None if baseline_file else baseline,
        external=external,
        use_cache=not no_cache,
    )
    if storable and not external and not no_cache:
        from dataclasses import replace

        from .report_cache import report_key

        key = report_key(output_format, statistics, quiet, str(Path.cwd()), request)
        request = replace(request, report_key=key)
    from .source import overlay

    try:
        with overlay(buffers):
            result = lint(request)
    except (ConfigError, RuleError) as exc:
        usage_error(exc)
    _warn(result, paths)
    if verbose:
        _explain(result)
    fix_failed = False
    if show_diff:
        text = fix_diff(result, unsafe_fixes)
        sys.stdout.write(text)
        sys.exit(1 if text else 0)
    if fix:
        outcome = apply_fixes(result, unsafe_fixes)
        _say_fixed(outcome)
        fix_failed = bool(outcome.failed)
        # what remains, from the files as they are now (a fix may settle other problems)
        result = lint(request) if outcome.files else outcome.result
    if baseline_file is not None:
        try:
            written = write_baseline(result, baseline_file)
        except ConfigError as exc:  # an existing file that is not a baseline: never lost
            usage_error(exc)
        except OSError as exc:
            _write_error(baseline_file, exc)
        entries = plural(written.entries, "baseline entry")
        kept = (
            f" (kept {written.kept} outside this run: other files or rules)" if written.kept else ""
        )
        click.echo(f"nemo-docs-lint: wrote {entries} to {baseline_file}{kept}", err=True)
        sys.exit(2 if fix_failed else 0)
    from .hard_exit import leave
    from .reporters.base import ReportContext, ReportOptions, emit

    if result.report is not None and output is not None:
        _stored_report(result, output_format, output, ReportOptions(statistics, quiet))

    report = ReportContext(result=result, cwd=Path.cwd())
    try:
        reporter = emit(report, output_format, output, ReportOptions(statistics, quiet))
    except OSError as exc:
        if output is None:
            raise
        _write_error(output, exc)
    if watch:
        from .gc_pause import as_usual
        from .watch import watch as watch_tree

        as_usual()  # a long-running process: Python's own collection thresholds
        try:
            watch_tree(request, result, echo=lambda line: click.echo(line, err=True))
        except KeyboardInterrupt:  # Ctrl-C: the normal way out; nothing is left to save, so
            leave(0)  # leave at once, before the watcher's generator and threads are torn down
        leave(0)
    if result.baseline_fixed and not reporter.says_baseline_fixed:
        from .baseline import fixed_note

        click.echo(f"nemo-docs-lint: {fixed_note(result.baseline_fixed)}", err=True)
    for hint in result.hints:
        click.echo(f"nemo-docs-lint: hint: {hint}", err=True)
    leave(2 if fix_failed else 1 if _failing(result) else 0)


# Reports that depend on nothing but the findings, the request and the current folder (written
# to a file: a terminal's width and colours play no part): `report_cache` may store them.
_STORED_FORMATS = ("json", "sarif", "console")


def _failing(result: LintResult) -> bool:
    fail_on = result.config.fail_on.rank
    return any(d.severity.rank >= fail_on for d in result.diagnostics)


def _stored_report(
    result: LintResult, output_format: str, output: Path, options: ReportOptions
) -> NoReturn:
    """Write the stored report of a run that changed nothing (`report_cache`), or render the
    report, store it and write it; exit as `check` does."""
    from .fileio import write_atomic
    from .hard_exit import leave
    from .reporters.base import ReportContext, rendered

    stored = result.report
    assert stored is not None
    if stored.served is not None:
        code, text = stored.served
        chunks = [text]
    else:
        chunks = rendered(ReportContext(result=result, cwd=Path.cwd()), output_format, options)
        code = 1 if _failing(result) else 0
    try:
        write_atomic(output, chunks, durable=False)  # as `emit` writes a report
    except OSError as exc:
        _write_error(output, exc)
    if stored.served is None:
        stored.store(code, chunks)
    leave(code)


def _write_error(path: Path, exc: OSError) -> NoReturn:
    """A file the user asked for cannot be written: a usage error (exit 2), naming it."""
    click.echo(f"nemo-docs-lint: error: cannot write {path}: {exc.strerror or exc}", err=True)
    sys.exit(2)


def _changed_root(verbose: bool) -> tuple[tuple[Path, ...], ChangeSet | None]:
    """`--changed` without PATHS (pre-commit, a commit that only deletes): the docs tree that
    holds what git shows changed, with its change set; none means nothing to check."""
    from .changes import changed_docs_roots

    roots, notes = changed_docs_roots(Path.cwd())
    if verbose:
        for note in notes:
            click.echo(f"nemo-docs-lint: {note}", err=True)
    if not roots:
        return (), None
    if len(roots) > 1:
        listed = ", ".join(str(root) for root, _ in roots)
        click.echo(
            f"nemo-docs-lint: changes in {len(roots)} docs trees ({listed}); "
            f"checking {roots[0][0]} (run once per tree for the others)",
            err=True,
        )
    root, changes = roots[0]
    return (root,), changes


def _check_watch(
    fix: bool,
    baseline_file: Path | None,
    stdin_filename: Path | None,
    output: Path | None,
    output_format: str | None,
) -> None:
    """`--watch` prints console diffs: it cannot combine with options that write or read once."""
    for given, flag in (
        (fix, "--fix"),
        (baseline_file, "--write-baseline"),
        (stdin_filename, "--stdin-filename"),
        (output, "--output"),
        (output_format not in (None, "console"), "--format"),
    ):
        if given:
            usage_error(ValueError(f"--watch cannot be combined with {flag}"))
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        usage_error(ValueError("--watch needs watchfiles: pip install 'nemo-docs-lint[watch]'"))


def _warn(result: LintResult, paths: tuple[Path, ...]) -> None:
    """Say what may surprise: no conf.py found, no documents where the user looked."""
    from .reporters import ReportContext

    for warning in result.config.warnings:
        click.echo(f"nemo-docs-lint: warning: {warning}", err=True)
    checked, tree = ReportContext(result=result, cwd=Path.cwd()).files_checked()
    root = os.path.relpath(result.config.docs_root)
    if tree == 0:
        click.echo(f"nemo-docs-lint: warning: no documents found in {root}", err=True)
    elif checked == 0:
        named = ", ".join(str(p) for p in paths)
        click.echo(
            f"nemo-docs-lint: warning: no documents found in {named} (the docs tree is {root})",
            err=True,
        )


def _explain(result: LintResult) -> None:
    config = result.config
    documents = len(result.index.pages) if result.counted is None else result.counted[0]
    lines = [
        f"docs root: {config.docs_root}",
        f"config: {config.config_path or 'none found (defaults)'}",
        f"conf.py: {config.conf.path or 'none (Sphinx defaults)'}",
        f"documents: {documents}; rules: {', '.join(r.code for r in result.rules)}",
        *result.notes,
    ]
    for line in lines:
        click.echo(f"nemo-docs-lint: {line}", err=True)


def _say_fixed(outcome: FixOutcome) -> None:
    """Say what `--fix` changed and what it could not write, on stderr; files named as the
    diagnostics name them."""
    for path, why in outcome.failed:
        click.echo(f"nemo-docs-lint: error: cannot fix {path}: {why}", err=True)
    from .reporters import ReportContext

    report = ReportContext(result=outcome.result, cwd=Path.cwd())
    for edit in outcome.renamed:
        where = f"{edit.path}:{edit.span.line}:{edit.span.column}"
        if edit.old:
            change = f"rewrote {where}: `{edit.old}` -> `{edit.new}`"
        else:
            change = f"listed {', '.join(f'`{e}`' for e in edit.new.split())} at {where}"
        click.echo(f"nemo-docs-lint: {change} (renamed)", err=True)
    for diagnostic in outcome.fixed:
        fix = diagnostic.fix
        assert fix is not None  # only diagnostics with a fix are fixed
        where = f"{report.display_path(diagnostic)}:{diagnostic.line}:{diagnostic.column}"
        click.echo(
            f"nemo-docs-lint: fixed {where} {diagnostic.code}: `{fix.old}` -> `{fix.new}`",
            err=True,
        )
    parts = []
    if outcome.fixed:
        parts.append(f"fixed {plural(len(outcome.fixed), 'problem')}")
    if outcome.renamed:
        parts.append(f"rewrote {plural(len(outcome.renamed), 'reference')} to renamed files")
    if parts:
        files = plural(len(outcome.files), "file")
        click.echo(f"nemo-docs-lint: {', '.join(parts)} in {files}", err=True)


@main.command("mv")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[OLD NEW]")
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Many moves at once: a two-column CSV (old,new) or TOML ("old" = "new").',
)
@click.option("--dry-run", is_flag=True, help="List the moves and the rewrites; change nothing.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the rewrites as a diff; change nothing."
)
@click.option(
    "--redirects",
    "redirects_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record old docname -> new page here (.json/.py: sphinx-reredirects; .txt: rediraffe).",
)
@click.option(
    "--root", type=click.Path(exists=True, file_okay=False, path_type=Path), help="The docs root."
)
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="Config file to use."
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk caches.")
def move(
    paths: tuple[Path, ...],
    map_file: Path | None,
    dry_run: bool,
    show_diff: bool,
    redirects_file: Path | None,
    root: Path | None,
    config_file: Path | None,
    no_cache: bool,
) -> None:
    """Move OLD to NEW (a page, an asset or a folder) and rewrite every reference to it."""
    from .config import ConfigError
    from .move import MoveError, execute, load_map, prepare
    from .redirects import RedirectsError

    try:
        pairs = [(Path(o), Path(n)) for o, n in load_map(map_file)] if map_file else []
        if len(paths) == 2:
            pairs.append((paths[0], paths[1]))
        elif paths:
            raise MoveError("give exactly two paths, OLD and NEW (or --map FILE)")
        prepared = prepare(pairs, root, config_file, use_cache=not no_cache)
    except (MoveError, ConfigError, RedirectsError) as exc:
        click.echo(f"nemo-docs-lint: error: {exc}", err=True)
        sys.exit(2)
    plan, edits = prepared.plan, prepared.edits
    docs_root = prepared.config.docs_root
    if show_diff:
        sys.stdout.write(prepared.diff())
        return
    if dry_run:
        for line in prepared.listing():
            click.echo(line)
        click.echo(f"nemo-docs-lint: would be {prepared.summary}", err=True)
        return
    from .fix import apply_edits

    try:
        execute(docs_root, prepared.config.repo_root, plan)
    except (MoveError, OSError) as exc:
        click.echo(f"nemo-docs-lint: error: {exc}", err=True)
        sys.exit(1)
    report = apply_edits(docs_root, edits, prepared.read, within=prepared.config.project_root)
    for path in report.skipped:
        click.echo(f"nemo-docs-lint: {path} changed while moving; not rewritten", err=True)
    for path, why in report.failed:
        click.echo(f"nemo-docs-lint: error: cannot rewrite {path}: {why}", err=True)
    if redirects_file is not None:
        from .redirects import record

        try:
            added = record(redirects_file, prepared.moved_docs)
        except RedirectsError as exc:
            click.echo(f"nemo-docs-lint: error: {exc}", err=True)
            sys.exit(1)
        click.echo(f"nemo-docs-lint: {added} redirects added to {redirects_file}", err=True)
    click.echo(f"nemo-docs-lint: {prepared.summary}", err=True)
    sys.exit(1 if report.skipped or report.failed else 0)


@main.command()
@click.argument("code", required=False)
@click.option("--markdown", is_flag=True, help="Print the rule table as Markdown (README).")
def rules(code: str | None, markdown: bool) -> None:
    """List every rule, or explain one (e.g. `rules FM004`)."""
    from .registry import all_rules, markdown_table
    from .suggest import did_you_mean

    registry = all_rules()
    if markdown:
        click.echo(markdown_table(registry.values()), nl=False)
        return
    if code is None:
        for rule in registry.values():
            default = "" if rule.scope.value != "network" else "  (with --external)"
            click.echo(
                f"{rule.code:<7} {rule.name:<28} {rule.severity.value:<8} {rule.summary}{default}"
            )
        return
    found = registry.get(code.upper())
    if found is None:
        click.echo(
            f"nemo-docs-lint: error: no rule {code}{did_you_mean(code.upper(), registry)}", err=True
        )
        sys.exit(2)
    click.echo(f"{found.code} {found.name} (default severity: {found.severity.value})\n")
    click.echo(found.help_text)


@main.command()
@click.option(
    "--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default and only way)."
)
def server(stdio: bool) -> None:
    """Run the language server (LSP over stdio) for editors."""
    try:
        from .server.app import create_server
    except ImportError as exc:  # pygls/lsprotocol missing
        click.echo(
            f"nemo-docs-lint: error: the language server needs pygls and lsprotocol ({exc}); "
            "install them with `pip install 'nemo-docs-lint[server]'`",
            err=True,
        )
        sys.exit(2)
    from .gc_pause import as_usual

    as_usual()  # a long-running process: Python's own collection thresholds
    create_server().start_io()


@main.command()
@click.argument("docs", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--groups",
    "groups_file",
    required=True,
    type=click.Path(path_type=Path),
    help="Review groups file (TOML, or YAML by suffix).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder for index.html, dashboard.json and dashboard.md.",
)
@click.option("--repo-url", help="Link files to URL/<repo path>, e.g. …/blob/main.")
@click.option(
    "--config", "config_file", type=click.Path(path_type=Path), help="Config file to use."
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Baseline file: show its problems as known, the rest as new.",
)
@click.option("--title", help="Heading of the dashboard.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk caches.")
def dashboard(
    docs: Path,
    groups_file: Path,
    output: Path,
    repo_url: str | None,
    config_file: Path | None,
    baseline: Path | None,
    title: str | None,
    no_cache: bool,
) -> None:
    """Write a review-group dashboard of DOCS: HTML, JSON and Markdown."""
    from .config import ConfigError
    from .dashboard import GroupsError, load_groups, split_baseline, write_site
    from .engine import LintRequest, lint
    from .registry import RuleError

    if repo_url and not repo_url.startswith(("https://", "http://")):
        click.echo("nemo-docs-lint: error: --repo-url must be an http(s) URL", err=True)
        sys.exit(2)
    try:
        groups = load_groups(groups_file)
        request = LintRequest(
            paths=(docs,), config_file=config_file, use_cache=not no_cache, need_bodies=True
        )
        result = lint(request)
        known, fixed = None, 0
        if baseline is not None:
            result, known, fixed = split_baseline(result, baseline)
    except (ConfigError, RuleError, GroupsError) as exc:
        usage_error(exc)
    board = write_site(
        result,
        groups,
        output,
        known=known,
        baseline_fixed=fixed,
        repo_url=repo_url,
        title=title,
    )
    total = board.total
    click.echo(
        f"nemo-docs-lint: wrote {output / 'index.html'}, dashboard.json, dashboard.md: "
        f"{plural(len(board.groups) - 1, 'group')}, {plural(len(total.files), 'file')}, "
        f"{plural(total.problems, 'problem')}",
        err=True,
    )
    root = os.path.relpath(result.config.docs_root)
    for path, names in board.overlaps:
        listed, shown = ", ".join(names), Path(os.path.normpath(os.path.join(root, path)))
        click.echo(
            f"nemo-docs-lint: {shown.as_posix()} is in {len(names)} groups: {listed}", err=True
        )
    for name, entry in board.unmatched:
        click.echo(f"nemo-docs-lint: group {name!r}: entry {entry!r} matches no file", err=True)


for _command in (init_command, config_command, schema_command):
    main.add_command(_command)
