"""``perflint server`` arguments (VS Code's ``perflint.args``) and the ``configuration`` setting.

A bad argument ends the server before any LSP traffic with exit status 2 and one line on
stderr that the extension shows as is; ``--config FILE`` and the ``configuration`` setting
use one config file for every document instead of discovery.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from test_lsp_support import READLINES, SERVER_COMMAND, open_document, start_vscode_like_session, wait_until

CONFIGS = Path(tempfile.mkdtemp(prefix="perflint-server-args-"))
(CONFIGS / "quiet.toml").write_text('[tool.perflint]\nignore = ["PF404"]\n')
(CONFIGS / "loud.yaml").write_text("select: [PF4, micro]\n")
(CONFIGS / "algorithm.yaml").write_text("select: [PF1]\n")
ROOT = "file:///tmp/perflint-lsp-server-args"


def test_an_unknown_argument_is_one_line_and_exit_2(perflint):
    run = perflint("server", "--stdio", "--fast")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.splitlines() == [
        "perflint: error: unrecognized arguments: --fast; usage: perflint server [--stdio] [--config FILE]"
        " [--log-level debug|info|warning|error] (see 'perflint --help')"
    ]


def test_a_missing_config_file_is_named_before_the_server_starts(perflint, tmp_path):
    run = perflint("server", "--config", "nope.toml")
    assert run.returncode == 2
    assert run.stderr.strip() == f"perflint: error: {tmp_path / 'nope.toml'}: cannot read config: No such file or directory"


def test_a_bad_log_level_names_the_choices(perflint):
    run = perflint("server", "--log-level", "loud")
    assert run.returncode == 2 and "invalid choice: 'loud' (choose from 'debug', 'info', 'warning', 'error')" in run.stderr



@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[*SERVER_COMMAND, "--config", str(CONFIGS / "quiet.toml"), "--log-level", "info"]),
)
async def client(lsp_client: LanguageClient):
    await start_vscode_like_session(lsp_client, ROOT, {"debounce": 0}, micro=False)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio(loop_scope="module")
async def test_config_argument_then_configuration_setting(client: LanguageClient):
    uri = f"{ROOT}/app.py"
    open_document(client, uri, READLINES + "def broken(:\n")
    # --config quiet.toml ignores PF404: only the parse error is left
    await wait_until(client, lambda: [d.code for d in client.diagnostics.get(uri, [])] == ["PF000"])
    open_document(client, f"{ROOT}/ok.py", READLINES)
    await wait_until(client, lambda: f"{ROOT}/ok.py" in client.diagnostics)
    assert list(client.diagnostics[f"{ROOT}/ok.py"]) == []
    # the configuration setting goes over --config
    client.set_configuration({"perflint": {"configuration": str(CONFIGS / "loud.yaml")}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(client, lambda: [d.code for d in client.diagnostics.get(f"{ROOT}/ok.py", [])] == ["PF404"])
    # a configuration file that does not exist: one message, default settings
    client.set_configuration({"perflint": {"configuration": str(CONFIGS / "missing.toml")}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_until(client, lambda: any("missing.toml: cannot read config" in m.message for m in client.messages),
                     types.WINDOW_SHOW_MESSAGE)


@pytest.mark.asyncio(loop_scope="module")
async def test_show_syntax_errors_extend_select_and_exclude(client: LanguageClient):
    def settings(**values):
        client.set_configuration({"perflint": {"configuration": str(CONFIGS / "algorithm.yaml"), **values}})
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    def codes(uri):
        return sorted(d.code for d in client.diagnostics.get(uri, [None]) if d is not None) if uri in client.diagnostics else None

    broken, app, generated = f"{ROOT}/broken.py", f"{ROOT}/pkg/app.py", f"{ROOT}/gen/api_pb2.py"
    settings()  # algorithm.yaml selects PF1 only
    open_document(client, broken, "def f(:\n    pass\n")
    open_document(client, app, READLINES)
    open_document(client, generated, READLINES)
    await wait_until(client, lambda: codes(broken) == ["PF000"] and codes(app) == [] and codes(generated) == [])
    # extendSelect adds to what the config file selects
    settings(extendSelect=["PF404"])
    await wait_until(client, lambda: codes(app) == ["PF404"] and codes(generated) == ["PF404"])
    # showSyntaxErrors off: no PF000; exclude (relative to the workspace folder): not linted at all
    settings(extendSelect=["PF404"], showSyntaxErrors=False, exclude=["gen/**"])
    await wait_until(client, lambda: codes(broken) == [] and codes(generated) == [])
    assert codes(app) == ["PF404"]
