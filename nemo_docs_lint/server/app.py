"""The LSP handlers: each turns a request into a session, navigator or completion call and the
answer into LSP types. No linting logic lives here."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..complete import complete
from ..edits import Edit
from ..incremental import IncrementalLinter
from ..model import Diagnostic, Label, Page, Span, Unreadable
from ..navigate import Navigator, item_at
from ..renames import rename_files, rename_label
from ..source import read_source
from . import convert
from .session import Session

logger = logging.getLogger(__name__)
PROGRESS_TOKEN = "nemo-docs-lint/index"
SETTLE_SECONDS = 0.15  # typing pauses this long before tree rules (orphans, toctrees) run
TRIGGERS = ["(", "#", "/", "`", "<", ":", " "]


class DocsLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("nemo-docs-lint", __version__)
        self.session = Session()
        self.folders: list[Path] = []
        self._settle_handle: asyncio.TimerHandle | None = None

    # -- texts and positions -----------------------------------------------------------------

    def lines_of(self, path: Path) -> list[str]:
        """The text the editor shows for a file: its open buffer, the indexed page, the disk."""
        uri = convert.uri_of(path)
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            source: str = document.source
            return source.split("\n")
        found = self.session.page_of(path)
        if found is not None:
            return found[1].lines
        decoded = read_source(path)
        return [] if isinstance(decoded, Unreadable) else decoded.text.split("\n")

    def positions(self, path: Path) -> convert.Positions:
        return convert.Positions(self.workspace.position_codec, self.lines_of(path))

    # -- diagnostics -------------------------------------------------------------------------

    def publish(self, paths: Iterable[Path]) -> None:
        wanted = set(paths)
        if not wanted:
            return
        found: dict[Path, list[Diagnostic]] = {}
        for tree in self.session.trees:
            if tree.linter is None:
                continue
            for path in wanted:
                rel = tree.relpath(path)
                if rel is not None and path not in found:
                    found[path] = tree.linter.diagnostics.get(rel, [])
        errors = dict(self.session.config_errors())
        for path in sorted(wanted):
            try:
                positions = self.positions(path)
                items = [convert.diagnostic(d, positions) for d in found.get(path, [])]
                if path in errors:
                    codec = self.workspace.position_codec
                    items.append(convert.config_error(errors[path], positions.lines, codec))
            except Exception:  # one odd file must not stop the others' diagnostics
                logger.exception("cannot convert the diagnostics of %s", path)
                continue
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=convert.uri_of(path), diagnostics=items)
            )

    def settle_later(self) -> None:
        """Run the pending tree rules once no edit came for SETTLE_SECONDS."""
        if self._settle_handle is not None:
            self._settle_handle.cancel()
        loop = asyncio.get_running_loop()
        self._settle_handle = loop.call_later(SETTLE_SECONDS, self.settle_now)

    def settle_now(self) -> None:
        self._settle_handle = None
        try:
            self.publish(self.session.settle())
        except Exception:  # a rule's bug must not take the server down
            logger.exception("tree rules failed")

    def publish_all(self) -> None:
        paths = {path for path, _ in self.session.diagnostics()}
        paths |= {path for path, _ in self.session.config_errors()}
        self.publish(paths)


def create_server() -> DocsLanguageServer:
    server = DocsLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: DocsLanguageServer, params: types.InitializeParams) -> None:
        folders = [convert.path_of(f.uri) for f in params.workspace_folders or ()]
        if not folders and params.root_uri:
            folders = [convert.path_of(params.root_uri)]
        ls.folders = [f for f in folders if f is not None]

    @server.feature(types.INITIALIZED)
    async def initialized(ls: DocsLanguageServer, params: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities
        window = capabilities.window
        progress = bool(window and window.work_done_progress)
        if progress:
            await ls.work_done_progress.create_async(PROGRESS_TOKEN)
            ls.work_done_progress.begin(
                PROGRESS_TOKEN,
                types.WorkDoneProgressBegin(title="nemo-docs-lint: indexing", percentage=0),
            )
        total = max(len(ls.folders), 1)
        for number, folder in enumerate(ls.folders):

            def report(root: str, number: int = number) -> None:
                if progress:
                    ls.work_done_progress.report(
                        PROGRESS_TOKEN,
                        types.WorkDoneProgressReport(
                            message=root, percentage=int(100 * number / total)
                        ),
                    )

            ls.session.add_folder(folder, report)
        ls.publish_all()
        if progress:
            pages = sum(len(t.linter.index.pages) for t in ls.session.trees if t.linter)
            ls.work_done_progress.end(
                PROGRESS_TOKEN, types.WorkDoneProgressEnd(message=f"{pages} pages indexed")
            )
        workspace = capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
            )
            registration = types.Registration(
                id="nemo-docs-lint/watch",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            await ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(
        ls: DocsLanguageServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        gone: set[Path] = set()
        for folder in params.event.removed:
            path = convert.path_of(folder.uri)
            if path is not None:
                gone |= ls.session.remove_folder(path)
        ls.publish(gone)  # now empty: their trees are gone
        for folder in params.event.added:
            path = convert.path_of(folder.uri)
            if path is not None:
                ls.session.add_folder(path)
        ls.publish_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DocsLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        path = convert.path_of(params.text_document.uri)
        if path is not None:
            ls.publish(ls.session.set_text(path, params.text_document.text) | {path})

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DocsLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        """The edited page (always) and every page whose page-rule diagnostics moved at once;
        the tree rules once typing pauses for SETTLE_SECONDS."""
        path = convert.path_of(params.text_document.uri)
        if path is not None:
            text = ls.workspace.get_text_document(params.text_document.uri).source
            ls.publish(ls.session.set_text(path, text, settle=False) | {path})
            ls.settle_later()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DocsLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        path = convert.path_of(params.text_document.uri)
        if path is not None:
            ls.publish(ls.session.set_text(path, None))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: DocsLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        touched: set[Path] = set()
        for change in params.changes:
            path = convert.path_of(change.uri)
            if path is not None:
                deleted = change.type == types.FileChangeType.Deleted
                touched |= ls.session.file_event(path, deleted)
        ls.publish(touched)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS)
    )
    def completion(
        ls: DocsLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        here = _here(ls, params.text_document.uri, params.position)
        if here is None:
            return None
        line, column, index = here.line, here.column, here.linter.index
        schema = here.linter.config.schema_for(here.page.path)
        candidates = complete(index, here.page, line, column, schema)
        items = [convert.completion_item(c, line, here.positions, column) for c in candidates]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: DocsLanguageServer, params: types.DefinitionParams) -> types.Location | None:
        here = _here(ls, params.text_document.uri, params.position)
        target = here.navigator.definition(here.page, here.line, here.column) if here else None
        return _location(ls, here.root, target.path, target.span) if here and target else None

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(
        ls: DocsLanguageServer, params: types.ReferenceParams
    ) -> list[types.Location] | None:
        here = _here(ls, params.text_document.uri, params.position)
        if here is None:
            return None
        uses = here.navigator.references(here.page, here.line, here.column)
        return [_location(ls, here.root, use.path, use.span) for use in uses]

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: DocsLanguageServer, params: types.HoverParams) -> types.Hover | None:
        here = _here(ls, params.text_document.uri, params.position)
        text = here.navigator.hover(here.page, here.line, here.column) if here else None
        if text is None:
            return None
        document = ls.client_capabilities.text_document
        formats = (document.hover.content_format if document and document.hover else None) or []
        kind = types.MarkupKind.Markdown
        if formats and types.MarkupKind.Markdown not in formats:
            kind = types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(
        ls: DocsLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        here = _here(ls, params.text_document.uri, params.range.start)
        if here is None:
            return None
        page, positions = here.page, here.positions
        first, last = here.line, positions.from_client(params.range.end)[0]
        uri = params.text_document.uri
        actions = []
        for item in here.linter.diagnostics.get(page.path, []):
            end_line = item.end_line or item.line
            if end_line < first or item.line > last:
                continue
            lsp_diagnostic = convert.diagnostic(item, positions)
            if item.fix is not None:
                edit = types.TextEdit(positions.range(item.fix.span), item.fix.new)
                actions.append(
                    types.CodeAction(
                        title=f"Fix {item.code}: `{item.fix.old}` -> `{item.fix.new}`",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[lsp_diagnostic],
                        is_preferred=True,
                        edit=types.WorkspaceEdit(changes={uri: [edit]}),
                    )
                )
            actions.append(_suppress(page, item, uri, positions, lsp_diagnostic))
        return actions

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(
        ls: DocsLanguageServer, params: types.PrepareRenameParams
    ) -> types.Range | None:
        """Renaming works on labels: a `(label)=` target or a use of one."""
        here = _here(ls, params.text_document.uri, params.position)
        label = _label_at(here) if here else None
        return here.positions.range(label[1]) if here and label else None

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: DocsLanguageServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        here = _here(ls, params.text_document.uri, params.position)
        label = _label_at(here) if here else None
        if here is None or label is None:
            return None
        edits = rename_label(here.linter.index, label[0], params.new_name)
        return _workspace_edit(ls, here.root, edits)

    @server.feature(
        types.WORKSPACE_WILL_RENAME_FILES,
        types.FileOperationRegistrationOptions(
            filters=[types.FileOperationFilter(pattern=types.FileOperationPattern(glob="**/*"))]
        ),
    )
    def will_rename(
        ls: DocsLanguageServer, params: types.RenameFilesParams
    ) -> types.WorkspaceEdit | None:
        changes: dict[str, list[types.TextEdit]] = {}
        for tree in ls.session.trees:
            if tree.linter is None:
                continue
            renames: list[tuple[str, str]] = []
            for rename in params.files:
                old, new = convert.path_of(rename.old_uri), convert.path_of(rename.new_uri)
                old_rel = tree.relpath(old) if old else None
                new_rel = tree.relpath(new) if new else None
                if old_rel is not None and new_rel is not None:
                    renames.append((old_rel, new_rel))
            if renames:
                edit = _workspace_edit(ls, tree.root, rename_files(tree.linter.index, renames))
                for uri, text_edits in (edit.changes or {}).items():
                    changes.setdefault(uri, []).extend(text_edits)
        return types.WorkspaceEdit(changes=changes) if changes else None

    return server


def _label_at(here: _Here) -> tuple[str, Span] | None:
    """The label defined or used at a position, with the span of its text there."""
    item = item_at(here.page, here.line, here.column)
    if item is None:
        return None
    target = here.navigator.target(here.page, item)
    if target is not None and target.label is not None:
        return target.label, item.span
    return (item.name, item.span) if isinstance(item, Label) else None


@dataclass(frozen=True)
class _Here:
    """A position in an indexed page: the tree, the page and the 1-based line and column."""

    root: Path
    linter: IncrementalLinter
    page: Page
    positions: convert.Positions
    line: int
    column: int

    @property
    def navigator(self) -> Navigator:
        return Navigator(self.linter.index)


def _here(ls: DocsLanguageServer, uri: str, position: types.Position) -> _Here | None:
    path = convert.path_of(uri)
    found = ls.session.page_of(path) if path is not None else None
    if found is None:
        return None
    tree, page = found
    linter = tree.linter
    if linter is None:
        return None
    positions = convert.Positions(ls.workspace.position_codec, page.lines)
    line, column = positions.from_client(position)
    return _Here(tree.root, linter, page, positions, line, column)


def _location(ls: DocsLanguageServer, root: Path, rel: str, span: Span) -> types.Location:
    path = root / rel
    return types.Location(uri=convert.uri_of(path), range=ls.positions(path).range(span))


def _workspace_edit(ls: DocsLanguageServer, root: Path, edits: list[Edit]) -> types.WorkspaceEdit:
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        path = root / edit.path
        text_edit = types.TextEdit(ls.positions(path).range(edit.span), edit.new)
        changes.setdefault(convert.uri_of(path), []).append(text_edit)
    return types.WorkspaceEdit(changes=changes)


def _suppress(
    page: Page,
    item: Diagnostic,
    uri: str,
    positions: convert.Positions,
    lsp_diagnostic: types.Diagnostic,
) -> types.CodeAction:
    """`disable-next-line` above the line; in the frontmatter, `disable-file` below it."""
    frontmatter_end = page.frontmatter.end_line if page.frontmatter.present else 0
    if item.line <= frontmatter_end:
        line, indent, scope = frontmatter_end + 1, "", "disable-file"
        title = f"Disable {item.code} for this file"
    else:
        text = page.line_text(item.line)
        line, indent, scope = item.line, text[: len(text) - len(text.lstrip())], "disable-next-line"
        title = f"Disable {item.code} for this line"
    comment = f"{indent}<!-- nemo-docs-lint: {scope} {item.code} -->\n"
    start = positions.position(line, 1)
    edit = types.TextEdit(types.Range(start=start, end=start), comment)
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp_diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )
