"""Language-server settings: initializationOptions, didChangeConfiguration, debounce,
stale results, project config files and profiles. One server for the module.

The server starts with initializationOptions (severity of level 4 and of the micro group = error,
debounce 0); each test that changes the client's configuration puts it back
to empty, which restores exactly those options.
"""

from __future__ import annotations

import cProfile
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from test_lsp_support import (
    READLINES,
    SERVER_COMMAND,
    open_document,
    replace_text,
    start_vscode_like_session,
    wait_for_diagnostics,
    wait_until,
)

ROOT = "file:///tmp/perflint-lsp-settings"
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await start_vscode_like_session(lsp_client, ROOT, {"severity": {"4": "error", "micro": "error"}, "debounce": 0})
    yield
    await lsp_client.shutdown_session()


def configure(client: LanguageClient, settings: dict) -> None:
    """Change the client's settings and tell the server (it pulls them with workspace/configuration)."""
    client.set_configuration({"perflint": settings})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))


async def reconfigure(client: LanguageClient, settings: dict, uri: str) -> None:
    """``configure``, then wait until the re-lint it causes has reached ``uri``'s diagnostics.

    Tests end with this, so that no re-lint of theirs is still running when the next test starts.
    """
    before = len(client.publish_log.for_uri(uri))
    configure(client, settings)
    await wait_until(client, lambda: len(client.publish_log.for_uri(uri)) > before)


def severities(diagnostics) -> list:
    return [d.severity for d in diagnostics]


async def test_initialization_options_apply_from_the_first_publish(client: LanguageClient):
    uri = f"{ROOT}/init.py"
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    published = [list(p.diagnostics) for p in client.publish_log.for_uri(uri)]
    assert all(severities(d) == [types.DiagnosticSeverity.Error] for d in published)


async def test_configuration_changes_republish(client: LanguageClient):
    uri = f"{ROOT}/configured.py"
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: severities(d) == [types.DiagnosticSeverity.Error])
    error, hint = [types.DiagnosticSeverity.Error], [types.DiagnosticSeverity.Hint]
    steps = [
        ({"severity": {"io": "hint"}}, lambda d: severities(d) == hint),
        ({"levels": ["algorithm", 2]}, lambda d: d == []),
        ({"select": ["PF404"], "levels": [4]}, lambda d: severities(d) == error),
        ({"ignore": ["PF404"]}, lambda d: d == []),
        ({}, lambda d: severities(d) == error),
        ({"select": "PF1,PF2"}, lambda d: d == []),
        ({}, lambda d: severities(d) == error),
        ({"enable": False}, lambda d: d == []),
    ]
    for settings, expected in steps:
        configure(client, settings)
        await wait_for_diagnostics(client, uri, expected)
    await reconfigure(client, {}, uri)
    assert severities(client.diagnostics[uri]) == error


async def test_bad_setting_is_shown_once_and_the_rest_still_applies(client: LanguageClient):
    uri = f"{ROOT}/bad_setting.py"
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    bad = {"severity": {"9": "loud"}, "ignore": ["PF404"]}
    configure(client, bad)
    await wait_for_diagnostics(client, uri, lambda d: d == [])
    before = len(client.publish_log.for_uri(uri))
    configure(client, bad)
    await wait_until(client, lambda: len(client.publish_log.for_uri(uri)) > before)
    reports = [m for m in client.messages if "perflint.severity" in m.message]
    assert len(reports) == 1 and reports[0].type == types.MessageType.Error
    assert "'9' is not a level" in reports[0].message
    configure(client, {})
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)


async def test_debounce_coalesces_a_burst_of_changes(client: LanguageClient):
    uri = f"{ROOT}/debounce.py"
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    await reconfigure(client, {"debounce": 400}, uri)
    before = len(client.publish_log.for_uri(uri))
    started = time.monotonic()
    for version in range(2, 7):
        replace_text(client, uri, READLINES if version % 2 else "print('no finding')\n", version)
    await wait_until(client, lambda: any(p.version == 6 for p in client.publish_log.for_uri(uri)))
    elapsed = time.monotonic() - started
    assert [p.version for p in client.publish_log.for_uri(uri)[before:]] == [6]
    assert list(client.diagnostics[uri]) == []
    assert elapsed >= 0.4
    await reconfigure(client, {}, uri)


async def test_results_for_old_versions_are_never_published_after_newer_ones(client: LanguageClient):
    uri = f"{ROOT}/stale.py"

    def text(version: int) -> str:  # every block differs between versions: each lint starts from scratch
        functions = "".join(f"def f_{version}_{i}(a):\n    for x in a:\n        a.append(x)\n\n\n" for i in range(400))
        return functions + READLINES

    open_document(client, uri, text(1))
    await wait_for_diagnostics(client, uri, lambda d: "PF404" in [x.code for x in d])
    before = len(client.publish_log.for_uri(uri))
    for version in range(2, 7):
        replace_text(client, uri, text(version), version)
    await wait_until(client, lambda: any(p.version == 6 for p in client.publish_log.for_uri(uri)))
    assert [p.version for p in client.publish_log.for_uri(uri)[before:]] == [6]
    assert "PF404" in [d.code for d in client.diagnostics[uri]]


async def test_project_config_files_are_honoured_and_reloaded(client: LanguageClient, tmp_path):
    assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in client.registrations)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.perflint]\nignore = ["PF404"]\n')
    source = tmp_path / "app.py"
    source.write_text(READLINES)
    uri = source.as_uri()
    open_document(client, uri, READLINES)
    assert await wait_for_diagnostics(client, uri) == []

    def saved() -> None:
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))

    def watched(path) -> None:
        change = types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[change]))

    # edited, and the client says so
    pyproject.write_text("[tool.perflint]\nignore = []\n")
    watched(pyproject)
    await wait_for_diagnostics(client, uri, lambda d: [x.code for x in d] == ["PF404"])
    # edited, and nobody says so: the server notices before its next lint
    pyproject.write_text('[tool.perflint]\n# silenced again\nignore = ["PF4"]\n')
    saved()
    await wait_for_diagnostics(client, uri, lambda d: d == [])
    # a new, nearer-ranked file appears (.perflint.yaml wins over pyproject.toml in the same folder)
    (tmp_path / ".perflint.yaml").write_text("levels: [4]\n")
    saved()
    await wait_for_diagnostics(client, uri, lambda d: [x.code for x in d] == ["PF404"])
    # a broken config: one message, and the server keeps linting with defaults
    (tmp_path / ".perflint.yaml").write_text("bogus: 1\n")
    watched(tmp_path / ".perflint.yaml")
    await wait_until(client, lambda: any("bogus" in m.message for m in client.messages), types.WINDOW_SHOW_MESSAGE)
    before = len(client.publish_log.for_uri(uri))
    saved()
    await wait_until(client, lambda: len(client.publish_log.for_uri(uri)) > before)
    assert [d.code for d in client.diagnostics[uri]] == ["PF404"]
    [report] = [m for m in client.messages if "bogus" in m.message]
    assert report.type == types.MessageType.Error and "unknown key 'bogus'" in report.message


PROFILED = """\
def cold(path):
    for line in open(path).readlines():
        pass


def hot(path):
    for line in open(path).readlines():
        pass


def main(path):
    cold(path)
    for _ in range(200):
        hot(path)
"""


async def test_profile_setting_ranks_by_measured_time(client: LanguageClient, tmp_path):
    source = tmp_path / "profiled.py"
    source.write_text(PROFILED)
    data = tmp_path / "data.txt"
    data.write_text("x\n" * 100)
    namespace: dict = {}
    exec(compile(PROFILED, str(source), "exec"), namespace)
    profiler = cProfile.Profile()
    profiler.runcall(namespace["main"], str(data))
    profiler.dump_stats(str(tmp_path / "run.prof"))

    uri = source.as_uri()
    open_document(client, uri, PROFILED)

    def rank_of(diagnostics, line: int) -> int:
        return next(d.data["rank"] for d in diagnostics if d.range.start.line == line)

    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 2)
    assert rank_of(diagnostics, 1) == 1  # without a profile: equal impact, so the earlier line first
    configure(client, {"profile": str(tmp_path / "run.prof")})
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 2 and rank_of(d, 6) == 1)
    assert "of profiled time" in next(d.message for d in diagnostics if d.range.start.line == 6)
    # code lenses: measured share and findings above each profiled function
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    titles = {lens.range.start.line: lens.command.title for lens in lenses}
    assert set(titles) == {0, 5, 10}, titles  # cold, hot, main: every function the profile saw
    assert titles[5].endswith("of profiled time · 1 finding") and titles[0].endswith("· 1 finding")
    assert titles[10] == "100% of profiled time · 0 findings"  # main called everything
    hot_share, cold_share = (float(titles[line].split("%")[0]) for line in (5, 0))
    assert hot_share > cold_share
    assert {lens.command.command for lens in lenses} == {"perflint.showHotspots"}
    configure(client, {"profile": str(tmp_path / "missing.prof")})
    shown = types.WINDOW_SHOW_MESSAGE
    await wait_until(client, lambda: any("missing.prof" in m.message for m in client.messages), shown)
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 2 and rank_of(d, 1) == 1)
    no_profile = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert not no_profile  # a profile that cannot be read: no lens
    await reconfigure(client, {}, uri)
