"""The perflint language server: ``perflint server`` (LSP over stdio, pygls 2.x).

Diagnostics are pushed on open, change (debounced per document) and save, and
served by pull (``textDocument/diagnostic``). A client that declares pull
support and then pulls is served by pull only from then on, so that it does
not show every finding twice. Code actions (quick fix, fix all, suppress) and
hover read what the last lint left; they never lint again, except fix-all,
which applies fixes until none is left, once per version of the document and
only when the user picks it (``lsp_fixall``). Lints run in worker threads
that give way to the event loop while it has messages to handle
(``lsp_giveway``); full garbage collections wait for a pause (``collect_when_idle``).

The module is laid out as the pygls examples are: the server class with its
state and the lint scheduling, then one small handler per LSP method.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import traceback
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

from lsprotocol import types

from perflint import __version__, models_index
from perflint.config import ConfigError, Settings
from perflint.lsp_actions import (
    FIX_ALL_KIND,
    action_title,
    fix_all,
    hover_markdown,
    quick_fix,
    suppress,
    with_fix_edit,
)
from perflint.lsp_diagnostics import SOURCE
from perflint.lsp_fixall import APPLY_FIX_ALL_COMMAND, RETRIES, FixAllEdits, FixAllScheduler
from perflint.lsp_documents import (
    DocumentState,
    LintJob,
    LintResult,
    Superseded,
    run_lint,
)
from perflint.lsp_notebooks import (
    SYNC_OPTIONS as NOTEBOOK_SYNC,
    CellView,
    NotebookView,
    build_view,
    fix_all_edit as notebook_fix_all,
    fix_edit as notebook_fix_edit,
    split_result,
)
from perflint.lsp_protocol import PerflintProtocol
from perflint.lsp_settings import (
    CONFIG_FILE_NAMES,
    SECTION,
    ClientSettings,
    ProfileFile,
    ProjectConfigs,
    parse_client_settings,
    unwrap,
)
from perflint.lsp_stdio import serve_stdio
from perflint.lsp_text import DocumentText, from_client_units, line_content
from perflint.model import PARSE_ERROR_CODE
from perflint.profiles import Profile, ProfileError
from pygls.exceptions import FeatureRequestError
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

logger = logging.getLogger(__name__)

LINT_THREADS = 2
# Documents whose parse trees are kept for fast incremental lints: the most recently
# opened or edited ones. The others keep their findings only (see WatchfulBlockCache).
FULL_DOCUMENTS = 8
COLLECT_AFTER_CLOSE_S = 2.0  # collect garbage and give memory back this long after the last close
IDLE_COLLECT_S = 1.0  # a full garbage collection this long after the last lint (see collect_when_idle)
# The collector's thresholds while serving: a full collection walks every document's trees and
# caches (100+ ms), so the oldest generation is collected in pauses (collect_when_idle), almost
# never on its own inside a keystroke's lint.
GC_THRESHOLDS = (700, 10, 1000)
FIX_ALL_TITLE = "perflint: fix all safe fixes"
CLIENT_ANSWER_TIMEOUT_S = 10


class PerflintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("perflint", __version__, protocol_cls=PerflintProtocol, notebook_document_sync=NOTEBOOK_SYNC)
        self.documents: dict[str, DocumentState] = {}
        self.notebooks: dict[str, NotebookView] = {}  # by notebook URI; its joined cells are in ``documents``
        self.settings = ClientSettings()
        self.initialization_settings: dict[str, Any] = {}
        self.pushed_settings: dict[str, Any] = {}
        self.configs = ProjectConfigs()
        self.command_line_config: Optional[str] = None  # ``perflint server --config FILE``
        self.profile = ProfileFile()
        self.linter = ThreadPoolExecutor(max_workers=LINT_THREADS, thread_name_prefix="perflint-lint")
        self.fix_all = FixAllScheduler()
        self.pull_only = False  # the client pulls diagnostics: stop pushing them
        # VS Code pulls diagnostics for files but not for notebook cells (vscode-languageclient 9):
        # a notebook's are pushed until the client pulls a cell.
        self.cells_pulled = False
        self.stopping = False
        self._shown: set[str] = set()  # problems with settings, the profile or the linter, shown once
        self._config_errors: tuple[int, set[str]] = (0, set())  # config-file errors shown, per config generation
        self._settings_lock = asyncio.Lock()
        self._touches = 0
        self._lints_running = 0  # lints in the worker threads now, closed documents' included
        self._collect: Optional[asyncio.TimerHandle] = None
        self._idle_collect: Optional[asyncio.TimerHandle] = None

    # --- what the client can do ------------------------------------------------------

    def client_can(self, dotted: str) -> bool:
        """Whether a client capability such as ``workspace.configuration`` is present and truthy."""
        value: Any = self.client_capabilities
        for name in dotted.split("."):
            value = getattr(value, name, None)
            if value is None:
                return False
        return bool(value)

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    @property
    def resolves_edits(self) -> bool:
        """The client fills in a code action's edit by ``codeAction/resolve`` when asked to apply it."""
        support = self.client_capabilities.text_document
        support = support.code_action.resolve_support if support and support.code_action else None
        return support is not None and "edit" in support.properties

    @property
    def versioned_edits(self) -> bool:
        return self.client_can("workspace.workspace_edit.document_changes")

    # --- messages to the user ---------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def show_error(self, message: str) -> None:
        self.log(message, types.MessageType.Error)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls' report of a failure outside a request (a failed request is answered with the error).

        pygls shows each one to the user as "Error in server: ..."; here it goes to
        the log, and the user is told once.
        """
        if source is FeatureRequestError:
            return
        self.log(f"perflint: {type(error).__name__}: {error}", types.MessageType.Error)
        self.show_once(f"perflint: internal error ({type(error).__name__}); see the log")

    def show_once(self, message: str) -> None:
        """Show an error once, however often it recurs (until the settings change)."""
        if message not in self._shown:
            self._shown.add(message)
            self.show_error(message)

    # --- settings -------------------------------------------------------------------------

    def apply_settings(self, raw: dict[str, Any]) -> None:
        settings, problems = parse_client_settings(raw, self.workspace.root_path)
        # New settings: forget what was shown, except that a problem the last settings had too is not repeated.
        previous, self._shown = self._shown, set()
        for problem in problems:
            message = f"perflint: {problem}"
            self._shown.add(message)
            if message not in previous:
                self.show_error(message)
        self.configs.set_overrides(settings.overrides)
        self.configs.set_explicit(settings.configuration or self.command_line_config)
        self.configs.set_extend_select(settings.extend_select or ())
        self.settings = settings

    async def refresh_settings(self, pushed: Any = None) -> None:
        """Read the editor's settings again, then lint every open document with them.

        Settings pushed in ``didChangeConfiguration`` are kept; an answer to
        ``workspace/configuration`` goes over them. The request is tried even
        when the client does not declare it: Neovim 0.7 answers it without
        saying so. A client that cannot answer keeps the settings we have.
        """
        async with self._settings_lock:  # answers applied in the order they were asked for
            self.pushed_settings.update(unwrap(pushed) or {})
            raw = {**self.initialization_settings, **self.pushed_settings}
            try:
                answer = await asyncio.wait_for(
                    self.workspace_configuration_async(
                        types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
                    ),
                    CLIENT_ANSWER_TIMEOUT_S,
                )
                raw.update(unwrap(answer[0] if answer else None) or {})
            except Exception as error:
                self.log(f"perflint: workspace/configuration failed: {error!r}", types.MessageType.Warning)
            self.apply_settings(raw)
            self.relint_all()

    def project_settings(self, path: Optional[str]) -> Settings:
        """The project's settings for ``path``; a broken config file is reported once per version of it."""
        try:
            return self.configs.settings_for(path)
        except ConfigError as error:
            message = f"perflint: {error}; using default settings"
            generation, shown = self._config_errors
            if generation != self.configs.generation:
                self._config_errors = generation, shown = self.configs.generation, set()
            if message not in shown:
                shown.add(message)
                self.show_error(message)
            return Settings().with_overrides(**self.settings.overrides)

    def measured_profile(self) -> Optional[Profile]:
        try:
            return self.profile.load(self.settings.profile)
        except ProfileError as error:
            self.show_once(f"perflint: {error}; ranking without it")
            return None

    # --- linting --------------------------------------------------------------------------

    def schedule(self, state: DocumentState, delay_ms: int = 0) -> None:
        """Lint the document after ``delay_ms``, unless a newer request to lint it comes first."""
        state.generation += 1
        state.task = asyncio.ensure_future(self._lint_later(state, state.generation, delay_ms / 1000))

    def relint_all(self) -> None:
        for state in self.documents.values():
            if self.settings.enable:
                self.schedule(state)
            else:
                state.generation += 1
                state.result = None
                state.deliver(None)
                self.publish_result(state, [], state.text.version)
        if self.pull_only and self.client_can("workspace.diagnostics.refresh_support"):
            self.workspace_diagnostic_refresh(None)
        if self.client_can("workspace.code_lens.refresh_support"):  # the profile may have changed
            self.workspace_code_lens_refresh(None)

    async def _lint_later(self, state: DocumentState, generation: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if state.generation != generation or state.closed:
            return
        async with state.lock:  # one lint per document at a time: its BlockCache is not thread-safe
            if state.generation != generation or state.closed:
                return
            state.linting = generation
            try:
                job = LintJob(
                    path=state.path,
                    version=state.text.version,
                    generation=generation,
                    text=state.text.text,
                    lines=list(state.text.lines),  # a copy: edits patch the document's list in place
                    settings=self.project_settings(state.path),
                    client=self.settings,
                    profile=self.measured_profile(),
                    encoding=self.encoding,
                    fixes=state.uri in self.notebooks,
                )
                state.cache.superseded = lambda: state.generation != generation or state.closed or self.stopping
                self._lints_running += 1  # counted apart from state.linting: a closed document's lint runs on
                try:
                    result = await asyncio.get_running_loop().run_in_executor(self.linter, run_lint, job, state.cache)
                finally:
                    self._lints_running -= 1
            except Superseded:
                return
            except Exception as error:
                self.lint_failed(state, error)
                return
            finally:
                state.linting = None
        if state.generation != generation or state.closed:
            logger.info("dropped the lint of %s version %s: a newer one is due", state.uri, job.version)
            return
        self.store(state, result)

    def lint_failed(self, state: DocumentState, error: Exception) -> None:
        details = "".join(traceback.format_exception(error))
        self.log(f"perflint: linting {state.uri} failed:\n{details}", types.MessageType.Error)
        self.show_once(f"perflint: internal error while linting ({type(error).__name__}: {error}); see the log")
        state.deliver(None)

    def store(self, state: DocumentState, result: LintResult) -> None:
        state.result = result
        state.result_id += 1
        view = self.notebooks.get(state.uri)
        if view is not None:
            split_result(view, result.findings, self.encoding, self.settings)
        state.deliver(result)
        if not (self.cells_pulled if view is not None else self.pull_only):
            self.publish_result(state, result.diagnostics, result.version)
        self.compact_idle_documents()
        self.collect_when_idle()

    def publish_result(self, state: DocumentState, diagnostics: list[types.Diagnostic], version: Optional[int]) -> None:
        """Publish a document's diagnostics; a notebook's go to its cells."""
        view = self.notebooks.get(state.uri)
        if view is None:
            self.publish(state.uri, diagnostics, version)
            return
        for cell in view.cells.values():
            self.publish(cell.uri, cell.diagnostics if diagnostics or state.result is not None else [], cell.version)

    def notebook_cell(self, uri: str) -> tuple[Optional[DocumentState], Optional[NotebookView], Optional[CellView]]:
        """The notebook state, view and cell of a cell URI (Nones when ``uri`` is no open cell)."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        view = self.notebooks.get(notebook.uri) if notebook is not None else None
        if view is None:
            return None, None, None
        return self.documents.get(view.uri), view, view.cell(uri)

    # --- memory ------------------------------------------------------------------------------

    def touch(self, state: DocumentState) -> None:
        self._touches += 1
        state.touched = self._touches

    def compact_idle_documents(self) -> None:
        """Keep parse trees for the FULL_DOCUMENTS most recently touched documents only."""
        full = [s for s in self.documents.values() if not s.cache.compacted]
        if len(full) <= FULL_DOCUMENTS:
            return
        full.sort(key=lambda s: s.touched)
        for state in full[: len(full) - FULL_DOCUMENTS]:
            if state.linting is None and not state.lock.locked():  # the cache is not thread-safe
                state.cache.compact()

    def collect_soon(self) -> None:
        """After documents are closed: collect their garbage and return freed memory to the
        system once closing has stopped for a moment (one collection for a burst of closes)."""
        if self._collect is not None:
            self._collect.cancel()
        self._collect = asyncio.get_running_loop().call_later(COLLECT_AFTER_CLOSE_S, self._give_back_memory)

    def _give_back_memory(self) -> None:
        self._collect = None
        if self.fix_all.busy or self._lints_running:
            self.collect_soon()  # not while a lint uses the caches or makes garbage of its own
            return
        forget_file_caches()
        gc.collect()
        release_free_memory()

    def collect_when_idle(self) -> None:
        """A full garbage collection once the edits pause, not in the middle of the next lint."""
        if self._idle_collect is not None:
            self._idle_collect.cancel()
        self._idle_collect = asyncio.get_running_loop().call_later(IDLE_COLLECT_S, self._collect_idle)

    def _collect_idle(self) -> None:
        self._idle_collect = None
        if self.fix_all.busy or self._lints_running:
            self.collect_when_idle()
            return
        gc.collect()

    def publish(self, uri: str, diagnostics: list[types.Diagnostic], version: Optional[int]) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    async def current_result(self, state: DocumentState) -> Optional[LintResult]:
        """The result for the document as it is now, linting it now if need be."""
        if state.fresh:
            return state.result
        if state.linting != state.generation:  # nothing running for the newest text: don't wait for a debounce
            self.schedule(state)
        waiter = asyncio.get_running_loop().create_future()
        state.waiters.append(waiter)
        return await waiter

    # --- fix-all (see lsp_fixall) -----------------------------------------------------------

    async def fix_all_action(self, state: DocumentState) -> types.CodeAction:
        """The fix-all action as this client can take it, without computing the edits unless it must."""
        ready = self.fix_all.ready(state.uri, state.generation)
        if ready is None and (self.resolves_edits or self.client_can("workspace.apply_edit")):
            action = types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, data={"uri": state.uri})
            if not self.resolves_edits:
                action.command = types.Command(title=FIX_ALL_TITLE, command=APPLY_FIX_ALL_COMMAND, arguments=[state.uri])
            return action
        edits = ready or await self.fix_all_edits(state)
        if edits is None:
            return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND)
        return fix_all(state.uri, edits.version, edits.lines, edits.edits, self.encoding, self.versioned_edits)

    async def fix_all_edits(self, state: DocumentState) -> Optional[FixAllEdits]:
        """Every safe fix for the document as it is now; None if it was closed or kept changing."""
        for _ in range(RETRIES):
            if state.closed or self.stopping:
                return None
            generation = state.generation
            future = self.fix_all.start(
                state.uri,
                generation,
                state.text.version,
                state.text.text,
                list(state.text.lines),  # a copy: edits patch the document's list in place
                state.path,
                self.project_settings(state.path),
                stale=lambda: state.generation != generation or state.closed or self.stopping,
            )
            try:
                return await asyncio.shield(future)  # a cancelled request leaves the work for the next one
            except Superseded:
                continue
        return None

    def shutdown(self) -> None:
        self.stopping = True
        self.linter.shutdown(wait=False, cancel_futures=True)
        self.fix_all.shutdown()
        super().shutdown()


server = PerflintServer()


# --- lifecycle and settings --------------------------------------------------------------


@server.feature(types.INITIALIZE)
def initialize(ls: PerflintServer, params: types.InitializeParams) -> None:
    ls.initialization_settings = unwrap(params.initialization_options) or {}
    ls.apply_settings(ls.initialization_settings)


@server.feature(types.INITIALIZED)
async def initialized(ls: PerflintServer, params: types.InitializedParams) -> None:
    if ls.client_can("workspace.did_change_watched_files.dynamic_registration"):
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILE_NAMES]
        registration = types.Registration(
            id="perflint-config-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:
            ls.log(f"perflint: could not watch config files: {error}", types.MessageType.Warning)
    # didOpen may have raced ahead of the settings: refresh_settings lints open documents again.
    await ls.refresh_settings()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: PerflintServer, params: types.DidChangeConfigurationParams) -> None:
    await ls.refresh_settings(params.settings)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: PerflintServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.configs.invalidate()
    ls.relint_all()


# --- documents ---------------------------------------------------------------------------


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PerflintServer, params: types.DidOpenTextDocumentParams) -> None:
    document = params.text_document
    previous = ls.documents.get(document.uri)
    if previous is not None:
        previous.closed = True
    state = DocumentState(document.uri, to_fs_path(document.uri), DocumentText(document.text, document.version))
    ls.documents[document.uri] = state
    ls.touch(state)
    if ls.settings.enable:
        ls.schedule(state)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PerflintServer, params: types.DidChangeTextDocumentParams) -> None:
    state = ls.documents.get(params.text_document.uri)
    if state is None:
        message = f"perflint: ignored a change to {params.text_document.uri}, which is not open"
        ls.log(message, types.MessageType.Warning)
        return
    for change in params.content_changes:
        state.text.apply(change, ls.encoding)
    state.text.version = params.text_document.version
    ls.touch(state)
    if ls.settings.enable:
        ls.schedule(state, ls.settings.debounce_ms)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PerflintServer, params: types.DidSaveTextDocumentParams) -> None:
    path = to_fs_path(params.text_document.uri)
    if path is not None:
        models_index.invalidate(path)  # a saved models file changes other files' ORM findings
    state = ls.documents.get(params.text_document.uri)
    if state is not None and ls.settings.enable:
        ls.schedule(state)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PerflintServer, params: types.DidCloseTextDocumentParams) -> None:
    state = ls.documents.pop(params.text_document.uri, None)
    if state is not None:
        state.closed = True
        state.deliver(None)
    ls.fix_all.forget(params.text_document.uri)
    ls.publish(params.text_document.uri, [], None)
    ls.collect_soon()


# --- notebooks (LSP 3.17 notebook sync; pygls' workspace keeps the cells) ----------------


def _notebook_changed(ls: PerflintServer, uri: str, version: Optional[int], delay_ms: int = 0) -> None:
    state = ls.documents.get(uri)
    view = build_view(ls.workspace, uri, state.path if state is not None else to_fs_path(uri))
    if view is None:
        return
    old = ls.notebooks.get(uri)
    if old is not None:  # cells that left the notebook lose their diagnostics
        for gone in {c.uri for c in old.cells.values()} - {c.uri for c in view.cells.values()}:
            ls.publish(gone, [], None)
    ls.notebooks[uri] = view
    if state is None:
        state = DocumentState(uri, to_fs_path(uri), DocumentText(view.text, version))
        ls.documents[uri] = state
    else:
        state.text = DocumentText(view.text, version)
    if ls.settings.enable:
        ls.schedule(state, delay_ms)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
def did_open_notebook(ls: PerflintServer, params: types.DidOpenNotebookDocumentParams) -> None:
    _notebook_changed(ls, params.notebook_document.uri, params.notebook_document.version)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
def did_change_notebook(ls: PerflintServer, params: types.DidChangeNotebookDocumentParams) -> None:
    document = params.notebook_document
    _notebook_changed(ls, document.uri, document.version, ls.settings.debounce_ms)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
def did_save_notebook(ls: PerflintServer, params: types.DidSaveNotebookDocumentParams) -> None:
    state = ls.documents.get(params.notebook_document.uri)
    if state is not None and ls.settings.enable:
        ls.schedule(state)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def did_close_notebook(ls: PerflintServer, params: types.DidCloseNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    view = ls.notebooks.pop(uri, None)
    state = ls.documents.pop(uri, None)
    if state is not None:
        state.closed = True
        state.deliver(None)
    closed = {cell.uri for cell in params.cell_text_documents}
    if view is not None:
        closed |= {cell.uri for cell in view.cells.values()}
    for cell_uri in sorted(closed):
        ls.publish(cell_uri, [], None)


# --- diagnostics by pull -----------------------------------------------------------------


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
)
async def document_diagnostic(ls: PerflintServer, params: types.DocumentDiagnosticParams):
    if ls.client_can("text_document.diagnostic") and not ls.pull_only:
        ls.pull_only = True
        ls.log("perflint: the client pulls diagnostics; no longer pushing them")
        for pushed in ls.documents.values():  # take back what was pushed, or the client shows it twice
            if pushed.result is not None and pushed.uri not in ls.notebooks:
                ls.publish(pushed.uri, [], pushed.text.version)
    uri = params.text_document.uri
    state, view, cell = ls.notebook_cell(uri)
    if view is None:
        state = ls.documents.get(uri)
    elif not ls.cells_pulled:
        ls.cells_pulled = True  # take back the cells' pushed diagnostics
        for pushed_view in ls.notebooks.values():
            for pushed_cell in pushed_view.cells.values():
                ls.publish(pushed_cell.uri, [], None)
    if state is None or not ls.settings.enable or (view is not None and cell is None):
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result = await ls.current_result(state)
    if result is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = str(state.result_id)
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    items = result.diagnostics if cell is None else cell.diagnostics
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


# --- code actions and hover -----------------------------------------------------------------


def _wanted(kind: str, only: Optional[list[str]]) -> bool:
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
        resolve_provider=True,
    ),
)
async def code_action(ls: PerflintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    notebook_state, view, cell = ls.notebook_cell(uri)
    if view is not None:
        if cell is None or notebook_state is None or notebook_state.result is None or not ls.settings.enable:
            return []
        return await _notebook_actions(ls, notebook_state, view, cell, params)
    state = ls.documents.get(uri)
    if state is None or state.result is None or not ls.settings.enable:
        return []
    result, only = state.result, params.context.only
    args = (uri, result.version, result.lines, ls.encoding, ls.versioned_edits)
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        ours = [d for d in params.context.diagnostics if d.source == SOURCE and d.code != PARSE_ERROR_CODE]
        for diagnostic in ours:
            action = quick_fix(diagnostic, *args)
            if action is not None and action.edit is None and not ls.resolves_edits:
                action = _resolve_fix(ls, state, action)
            if action is not None:
                actions.append(action)
        actions.extend(action for d in ours if (action := suppress(d, *args)) is not None)
    if _wanted(FIX_ALL_KIND, only) and any(f.fix is not None and f.fix.is_safe for f in result.findings):
        actions.append(await ls.fix_all_action(state))
    return actions


async def _notebook_actions(
    ls: PerflintServer, state: DocumentState, view: NotebookView, cell: CellView, params: types.CodeActionParams
) -> list[types.CodeAction]:
    """Quick fixes, suppressions and fix-all in a notebook cell: the edits name the cells they change."""
    from perflint.model import SAFE, Fix

    only = params.context.only
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        ours = [d for d in params.context.diagnostics if d.source == SOURCE and d.code != PARSE_ERROR_CODE]
        for diagnostic in ours:
            data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
            try:
                fix = Fix.from_dict(data.get("fix"))
            except (KeyError, TypeError, ValueError):
                fix = None
            if fix is not None and fix.edits:
                safe = fix.applicability == SAFE
                actions.append(
                    types.CodeAction(
                        title=action_title(fix, str(diagnostic.code)),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=safe,
                        edit=notebook_fix_edit(view, list(fix.edits), ls.encoding, cell),
                    )
                )
        args = (cell.uri, cell.version, cell.lines, ls.encoding, False)
        actions.extend(action for d in ours if (action := suppress(d, *args)) is not None)
    fixable = any(f.fix is not None and f.fix.is_safe for c in view.cells.values() for f in c.findings)
    if _wanted(FIX_ALL_KIND, only) and fixable:
        settings = ls.project_settings(state.path)
        edit = await asyncio.get_running_loop().run_in_executor(ls.linter, notebook_fix_all, view, settings, ls.encoding)
        if edit is not None:
            actions.append(types.CodeAction(title="perflint: fix all safe fixes", kind=FIX_ALL_KIND, edit=edit))
    return actions


@server.feature(types.CODE_ACTION_RESOLVE)
async def resolve_code_action(ls: PerflintServer, action: types.CodeAction) -> types.CodeAction:
    uri = action.data.get("uri") if isinstance(action.data, dict) else None
    state = ls.documents.get(uri) if isinstance(uri, str) else None
    if state is None:
        return action
    if action.kind == types.CodeActionKind.QuickFix and action.data.get("fix"):
        return _resolve_fix(ls, state, action) or action
    if action.kind != FIX_ALL_KIND:
        return action
    edits = await ls.fix_all_edits(state)
    if edits is None:
        return action
    return fix_all(state.uri, edits.version, edits.lines, edits.edits, ls.encoding, ls.versioned_edits)


@server.command(APPLY_FIX_ALL_COMMAND)
async def apply_fix_all(ls: PerflintServer, *arguments: Any) -> None:
    """The fix-all of a client that cannot resolve code actions: computed now, sent by workspace/applyEdit."""
    uri = arguments[0] if arguments and isinstance(arguments[0], str) else None
    state = ls.documents.get(uri) if uri is not None else None
    edits = await ls.fix_all_edits(state) if state is not None else None
    if edits is None or not edits.edits:
        return None
    action = fix_all(state.uri, edits.version, edits.lines, edits.edits, ls.encoding, ls.versioned_edits)
    await ls.workspace_apply_edit_async(types.ApplyWorkspaceEditParams(edit=action.edit, label=FIX_ALL_TITLE))
    return None


def _resolve_fix(ls: PerflintServer, state: DocumentState, action: types.CodeAction) -> Optional[types.CodeAction]:
    """A quick fix announced by its diagnostic, with its edit: the finding's piece is linted
    again with fixes (one piece, on the event loop: milliseconds). None when the document has
    changed since, or the fix turns out to have no edit."""
    from perflint.engine import fix_of

    result = state.result
    version = action.data.get("version") if isinstance(action.data, dict) else None
    if result is None or result.version != version or not action.diagnostics:
        return None
    diagnostic = action.diagnostics[0]
    finding = next(
        (
            f
            for f, d in zip(result.findings, result.diagnostics)
            if d.code == diagnostic.code and d.range == diagnostic.range and f.fix is not None
        ),
        None,
    )
    if finding is None:
        return None
    text = "".join(result.lines)
    path = state.path or "<unsaved>"
    fix = fix_of(text, path, finding, ls.project_settings(state.path), state.cache, result.lines)
    return with_fix_edit(action, fix, state.uri, result.version, result.lines, ls.encoding, ls.versioned_edits)


@server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
def code_lens(ls: PerflintServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    """Measured time above each profiled function (``perflint.profile``); no profile, no lens."""
    from perflint.lsp_lenses import code_lenses

    state = ls.documents.get(params.text_document.uri)
    if state is None or state.path is None or not ls.settings.enable or ls.settings.profile is None:
        return []
    if params.text_document.uri in ls.notebooks:
        return []
    findings = state.result.findings if state.result is not None and state.fresh else []
    return code_lenses(state.text.text, state.path, ls.measured_profile(), findings)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: PerflintServer, params: types.HoverParams) -> Optional[types.Hover]:
    from perflint.rules import rule_by_code

    _, view, cell = ls.notebook_cell(params.text_document.uri)
    if cell is not None:
        lines, pairs = cell.lines, list(zip(cell.findings, cell.diagnostics))
    else:
        state = ls.documents.get(params.text_document.uri) if view is None else None
        if state is None or state.result is None:
            return None
        lines, pairs = state.result.lines, list(zip(state.result.findings, state.result.diagnostics))
    line = params.position.line
    if line >= len(lines):
        return None
    column = from_client_units(line_content(lines[line]), params.position.character, ls.encoding) + 1
    for finding, diagnostic in pairs:
        start, end = (finding.line, finding.column), (finding.end_line, finding.end_column)
        if start <= (line + 1, column) <= end:
            rule = rule_by_code(finding.code) if finding.code != PARSE_ERROR_CODE else None
            markdown = hover_markdown(finding, rule.documentation() if rule is not None else None)
            return types.Hover(
                contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
                range=diagnostic.range,
            )
    return None


def forget_file_caches() -> None:
    """Drop what the engine and rules keep about the files they linted last (trees, facts):
    harmless between lints (each is computed again on demand), and the trees of closed
    documents go with them."""
    from perflint import infer, project_callers, project_calls
    from perflint.rules.database import _orm

    _orm.forget()  # up to 8 files' trees (see orm_view)
    infer.forget()  # up to 4,096 statements' collected facts
    project_calls.clear()  # up to 256 project modules' inference
    project_callers.clear()  # up to 256 callers' facts, 512 files' texts


def release_free_memory() -> None:
    """Give back to the system what the closed documents' lints left free.

    Python keeps its small objects in 1 MiB arenas and returns an arena only
    once every object in it is gone, so a few long-lived strings made during
    lints (attribute names held by the type attribute cache, urls held by
    urllib's cache) keep dozens of mostly empty arenas: measured, clearing
    both took 60 closed 2,000-line documents from 54 to 44 MB above idle
    RSS. The rest is glibc's: ``malloc_trim`` returns the free pages of its
    heaps (glibc only; a no-op elsewhere)."""
    sys._clear_type_cache()
    urllib.parse.clear_cache()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def main(config: Optional[str] = None, log_level: str = "warning") -> int:
    """Run the server on stdin/stdout until the client says exit.

    ``config``: one config file for every document instead of discovery (``perflint
    server --config FILE``; the ``configuration`` setting goes over it). ``log_level``:
    what the server writes to stderr, which editors show in their log.
    """
    from perflint.engine import warm_up

    server.command_line_config = config
    server.configs.set_explicit(config)
    level = getattr(logging, log_level.upper())
    logging.basicConfig(level=level, stream=sys.stderr, format="perflint-lsp %(levelname)s %(message)s")
    # Lints run in threads; a shorter GIL switch interval keeps the event loop's
    # answers (code actions, hover) quick while a large file is being linted.
    sys.setswitchinterval(0.001)
    # The project's ORM models are re-checked on disk every few seconds: on a thread, not
    # inside whichever keystroke's lint comes due (a walk of a large project is 100+ ms).
    models_index.refresh_in_background()
    # Import the rules and run each once now rather than in the first lint, then keep
    # everything made at startup (about 100,000 objects) out of the garbage collector's
    # full passes: one pass over them took 20-80 ms here, landing on whichever request
    # was running.
    warm_up()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    serve_stdio(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
