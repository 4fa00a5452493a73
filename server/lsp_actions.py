"""Code actions and hover text, built from what the diagnostics already carry.

- a ``quickfix`` per diagnostic with a fix: safe fixes are ``isPreferred``,
  unsafe ones say "(unsafe)" in their title. Diagnostics only announce their
  fixes; the edit is computed for the action (``engine.fix_of``: one piece
  linted again), by ``codeAction/resolve`` when the client supports it, as
  ruff's server does, else while answering ``codeAction``;
- ``source.fixAll.perflint``: every safe fix in the file (``autofix.fix_text``);
- "suppress on this line": adds ``# perflint: ignore[CODE]`` to the line the
  finding starts on, or adds the code to a perflint comment already there.

Edits are sent as a versioned ``TextDocumentEdit`` when the client supports
it, so a client whose text has moved on since the lint rejects the edit
instead of applying it in the wrong place.
"""

from __future__ import annotations

import re
import tokenize
from typing import Optional, Sequence

from lsprotocol import types

from perflint.lsp_diagnostics import SOURCE, rule_docs_url, to_text_edit
from perflint.lsp_text import line_content
from perflint.model import SAFE, Edit, Finding, Fix, Level

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
_PERFLINT_IGNORE = re.compile(r"#\s*perflint:\s*ignore(?P<brackets>\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


def workspace_edit(
    uri: str, version: Optional[int], edits: list[types.TextEdit], versioned: bool
) -> types.WorkspaceEdit:
    if versioned:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)])
    return types.WorkspaceEdit(changes={uri: edits})


def quick_fix(
    diagnostic: types.Diagnostic, uri: str, version: Optional[int], lines: Sequence[str], encoding: str, versioned: bool
) -> Optional[types.CodeAction]:
    """The diagnostic's own fix, read from its ``data``; None when it has none."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    try:
        fix = Fix.from_dict(data.get("fix"))
    except (KeyError, TypeError, ValueError):
        return None
    if fix is None or (fix.complete and not fix.edits):
        return None
    safe = fix.applicability == SAFE
    title = action_title(fix, str(diagnostic.code))
    action = types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=safe
    )
    if not fix.complete:
        # Announced only: the edit is computed when the action is resolved (``with_fix_edit``).
        action.data = {"uri": uri, "version": version, "fix": True}
        return action
    action.edit = workspace_edit(uri, version, [to_text_edit(lines, edit, encoding) for edit in fix.edits], versioned)
    return action


def with_fix_edit(
    action: types.CodeAction, fix: Optional[Fix], uri: str, version: Optional[int], lines: Sequence[str],
    encoding: str, versioned: bool,
) -> Optional[types.CodeAction]:
    """``action`` (from ``quick_fix``, announced only) with the edit of its computed ``fix``;
    None when there is none after all."""
    if fix is None or not fix.edits:
        return None
    action.edit = workspace_edit(uri, version, [to_text_edit(lines, edit, encoding) for edit in fix.edits], versioned)
    action.data = None
    return action


def action_title(fix: Fix, code: str) -> str:
    """A quick fix's title: editors show it as plain text, so the message's Markdown
    backticks go ("Use `deque`" reads "Use deque")."""
    message = fix.message.replace("`", "")
    return f"{message} ({code})" if fix.applicability == SAFE else f"{message} ({code}, unsafe)"


def suppress(
    diagnostic: types.Diagnostic, uri: str, version: Optional[int], lines: Sequence[str], encoding: str, versioned: bool
) -> Optional[types.CodeAction]:
    """``# perflint: ignore[CODE]`` on the diagnostic's first line; None where no comment can go."""
    code = str(diagnostic.code)
    edit = suppression_edit(lines, diagnostic.range.start.line, code)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"Suppress {code} on this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=False,
        edit=workspace_edit(uri, version, [to_text_edit(lines, edit, encoding)], versioned),
    )


def suppression_edit(lines: Sequence[str], index: int, code: str) -> Optional[Edit]:
    """The edit that suppresses ``code`` on 0-based line ``index``, or None.

    None when the line already suppresses every code, or when its end is not
    a place for a comment (inside a multi-line string, after a backslash).
    """
    if not 0 <= index < len(lines):
        return None
    content = line_content(lines[index])
    comment = _comment_on(lines, index)
    if comment is False:
        return None
    line = index + 1
    if comment is not None:
        column, text = comment
        match = _PERFLINT_IGNORE.search(text)
        if match is not None:
            if match.group("brackets") is None:
                return None  # `# perflint: ignore` already silences everything here
            codes = [c.strip() for c in match.group("codes").split(",") if c.strip()]
            if any(code.upper().startswith(c.upper()) for c in codes):
                return None
            at = column + match.end("codes")
            separator = ", " if codes else ""
            return Edit(line, at + 1, line, at + 1, f"{separator}{code}")
    stripped = len(content.rstrip())
    return Edit(line, stripped + 1, line, len(content) + 1, f"  # perflint: ignore[{code}]")


def _comment_on(lines: Sequence[str], index: int):
    """The comment on line ``index`` as (0-based column, text); None if none; False if none may be added.

    Tokenizes from the start of the line: a finding starts on a line that starts
    outside any string, so the tokenizer sees the line as Python does.
    """
    content = line_content(lines[index])
    if content.rstrip().endswith("\\"):
        return False
    following = iter(lines[index + 1 :])
    first = [lines[index].lstrip()]
    indent = len(lines[index]) - len(first[0])

    def readline() -> str:
        if first:
            return first.pop()
        return next(following, "")

    try:
        for token in tokenize.generate_tokens(readline):
            if token.start[0] > 1:
                return None
            if token.type == tokenize.COMMENT:
                return token.start[1] + indent, token.string
            if token.type == tokenize.STRING and token.end[0] > 1:
                return False  # the line ends inside a multi-line string
            if token.type in (tokenize.NEWLINE, tokenize.NL):
                return None
    except (tokenize.TokenError, SyntaxError):
        return False
    return None


def fix_all(
    uri: str, version: Optional[int], lines: Sequence[str], edits: list[Edit], encoding: str, versioned: bool
) -> types.CodeAction:
    return types.CodeAction(
        title="perflint: fix all safe fixes",
        kind=FIX_ALL_KIND,
        edit=workspace_edit(uri, version, [to_text_edit(lines, edit, encoding) for edit in edits], versioned),
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(*])")
_MEASURED = re.compile(r"\d\s*(?:x|×)\b|\bx\s*faster|\d+(?:\.\d+)?x\)")
HOVER_SENTENCE_CHARS = 260


def doc_section(documentation: str, title: str) -> str:
    """The text of the ``## title`` section of a rule page (one line per paragraph line joined)."""
    match = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", documentation, re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _clip(sentence: str) -> str:
    return sentence if len(sentence) <= HOVER_SENTENCE_CHARS else sentence[: HOVER_SENTENCE_CHARS - 1].rstrip() + "…"


def why_summary(documentation: str) -> str:
    """Two or three lines of "Why is this slow?": its first sentence and the measured figure."""
    sentences = _sentences(doc_section(documentation, "Why is this slow?"))
    if not sentences:
        return ""
    measured = next((s for s in sentences[1:] if _MEASURED.search(s)), None)
    chosen = [sentences[0]]
    if len(sentences) > 1 and sentences[1] is not measured and (measured is None or len(sentences[0]) < 80):
        chosen.append(sentences[1])  # a short first sentence rarely says enough on its own
    if measured is not None:
        chosen.append(measured)
    return " ".join(_clip(sentence) for sentence in chosen)


def hover_markdown(finding: Finding, documentation: Optional[str]) -> str:
    """A short hover, as ruff's: the rule, why it is slow (with the measured figure), whether
    the fix is safe, and a link to the full page. The editor shows the message itself above it."""
    category = Level(finding.level).category
    parts = [f"**{finding.code}** `{finding.rule}` — level {finding.level} ({category})"]
    if documentation:
        why = why_summary(documentation)
        if why:
            parts.append(f"**Why:** {why}")
    if finding.fix is not None:
        if finding.fix.is_safe:
            parts.append(f"**Fix (safe):** {finding.fix.message}")
        else:
            caveat = _sentences(doc_section(documentation or "", "Fix safety"))
            detail = f" {_clip(caveat[0])}" if caveat else ""
            parts.append(f"**Fix (unsafe, only on request):** {finding.fix.message}.{detail}")
    elif finding.code != "PF000":
        parts.append("No automatic fix for this finding.")
    if documentation:
        parts.append(f"[Full rule documentation]({rule_docs_url(finding.code)})")
    return "\n\n".join(parts)
