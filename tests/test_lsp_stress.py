"""A small run of ``benchmarks/lsp_stress.py``: the server under an editor's load, for a
client that resolves code actions and one that does not. Interleaved incremental edits
(some leaving the file unparsable for a moment) with code-action, hover, pull and fix-all
requests, documents opened and closed, malformed messages; then every document is saved
and the server's diagnostics must be ``perflint check``'s."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import lsp_stress  # noqa: E402


@pytest.mark.parametrize("kind", sorted(lsp_stress.CLIENTS))
def test_the_server_under_load(kind, tmp_path):
    config = lsp_stress.Config(documents=6, edits=300, big_lines=2000, seed=3)
    result = asyncio.run(lsp_stress.session(kind, config, tmp_path))
    assert result.requests > 100
    assert result.unanswered == 0
    assert set(result.errors) <= {"malformed"}  # line -5: answered -32602, nothing else fails
    assert result.mismatched == []
    assert result.unparsable < result.documents  # the comparison covers whole findings, not only PF000
    assert result.shown == []
    assert result.tracebacks == 0
    assert result.exit_code == 0


class _Recorder(lsp_stress.Client):
    """The stress client, noting the order in which answers and diagnostics arrive."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.events: list[tuple] = []

    def _dispatch(self, message: dict) -> None:
        if message.get("method") == "textDocument/publishDiagnostics":
            self.events.append(("published", message["params"]["uri"], message["params"].get("version")))
        elif "method" not in message:
            self.events.append(("answer", message.get("id")))
        super()._dispatch(message)


async def _code_actions_during_a_burst(kind: str, root) -> None:
    lsp_stress.write_project_config(root)
    client = _Recorder(lsp_stress.SERVER, lsp_stress.capabilities(kind), {"debounce": 0})
    await client.start(root)
    documents = [
        lsp_stress.Document((root / f"big{i}.py").as_uri(), lsp_stress.generated_module(3000)) for i in range(3)
    ]
    for document in documents:
        client.notify("textDocument/didOpen", {"textDocument": lsp_stress._item(document)})
    for document in documents:
        await lsp_stress._published(client, document)
    assert client.published[documents[0].uri][1], "the generated module has fixable findings to act on"

    rng = lsp_stress.random.Random(5)
    asked: list[asyncio.Future] = []
    for serial in range(40):  # the burst: every document edited, code actions in between, nothing awaited
        for document in documents:
            line = 3 + rng.randrange(len(document.lines) - 6)
            while not document.lines[line].startswith("    "):
                line += 1
            change = document.change(line, len(document.lines[line]), line, len(document.lines[line]), "  # x")
            document.version += 1
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": document.uri, "version": document.version}, "contentChanges": [change]},
            )
        if serial % 4 == 3:
            params = lsp_stress._code_action_params(client, documents[serial % 3], rng)
            asked.append(client.request_later("textDocument/codeAction", params))
    ids = [client.next_id - len(asked) + 1 + i for i in range(len(asked))]
    answers = await asyncio.wait_for(asyncio.gather(*asked), 120)  # a hang guard only
    for document in documents:
        await asyncio.wait_for(lsp_stress._published(client, document), 120)
    await client.stop()

    assert all("error" not in answer and isinstance(answer["result"], list) for answer in answers)
    assert any(answer["result"] for answer in answers)  # quick fixes and suppressions, not only empty lists
    finals = {(document.uri, document.version) for document in documents}
    last_lint = max(i for i, event in enumerate(client.events) if event[0] == "published" and event[1:] in finals)
    answered = [client.events.index(("answer", request_id)) for request_id in ids]
    # Ordering, not timing: every code action of the burst, the last one sent after the last
    # edit included, was answered before the lints of the burst's final text had finished.
    assert max(answered) < last_lint, (answered, last_lint)


@pytest.mark.parametrize("kind", sorted(lsp_stress.CLIENTS))
def test_code_actions_do_not_wait_behind_the_lints_of_an_edit_burst(kind, tmp_path):
    asyncio.run(_code_actions_during_a_burst(kind, tmp_path))
