"""PF309 converter-built-per-document."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

# Markdown converters whose construction (extension loading, processor registries) costs far
# more than converting a short document, and the method that converts one document.
CONVERTERS = {"markdown.Markdown": "convert", "markdown_it.MarkdownIt": "render", "markdown_it.main.MarkdownIt": "render"}
# Defs that set an object up once, or run once.
_ONCE = frozenset({"__init__", "__post_init__", "__new__", "setup", "setUp", "main", "configure", "ready"})
_EMPTY = cst.Module([])


def _code(node: cst.CSTNode) -> str:
    return " ".join(_EMPTY.code_for_node(node).split())


def _roots(node: cst.CSTNode) -> set[str]:
    """What an expression reads: bare names, and ``self.attr`` for attributes of ``self``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, cst.Attribute) and isinstance(item.value, cst.Name) and item.value.value == "self":
            found.add("self." + item.attr.value)
            continue
        if isinstance(item, cst.Name):
            found.add(item.value)
            continue
        if isinstance(item, cst.Attribute):
            stack.append(item.value)  # ``a.b.c`` reads ``a``
            continue
        stack.extend(item.children)
    return found


def _params(fdef: cst.FunctionDef) -> set[str]:
    p = fdef.params
    every = [*p.posonly_params, *p.params, *p.kwonly_params]
    if isinstance(p.star_arg, cst.Param):
        every.append(p.star_arg)
    if p.star_kwarg is not None:
        every.append(p.star_kwarg)
    return {param.name.value for param in every}


def _bindings(body: cst.CSTNode) -> dict[str, set[str]]:
    """``name -> what its value reads``, for plain assignments and ``with ... as name`` in the def."""
    found: dict[str, set[str]] = {}
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    found.setdefault(target.target.value, set()).update(_roots(node.value))
        if isinstance(node, cst.WithItem) and node.asname is not None and isinstance(node.asname.name, cst.Name):
            found.setdefault(node.asname.name.value, set()).update(_roots(node.item))
        stack.extend(node.children)
    return found


def _closure(names: set[str], bindings: dict[str, set[str]]) -> set[str]:
    """Every name ``names`` read, through the def's own assignments."""
    seen = set(names)
    work = list(names)
    while work:
        name = work.pop()
        for read in bindings.get(name, ()):
            if read not in seen:
                seen.add(read)
                work.append(read)
    return seen


class ConverterBuiltPerDocument(Rule):
    """
    ## What it does
    Flags a function or method that builds a Markdown converter
    (`markdown.Markdown`, `markdown_it.MarkdownIt`) from its configuration
    (settings, a config parameter, attributes of `self`) and then converts
    one document with it (`md.convert(text)`, `md.render(text)`), where the
    configuration does not depend on the document. Such a function renders
    one document per call: a page, a post, a comment, a source file. The
    converter is the same for every document and is rebuilt each time.
    (A converter built from literal arguments in a request handler or a
    per-item function is PF306's.)

    ## Why is this slow?
    Building a `markdown.Markdown` imports and instantiates every extension
    and fills the preprocessor, block, tree and postprocessor registries;
    converting a short document costs less than that. PF306's table
    measured 147 µs to build one with four extensions on Python 3.11.7;
    `perflint bench PF309` renders 200 short documents with a converter
    built per document and with one converter reset between documents
    (`md.reset()`). Site generators with many pages and third-party
    extensions (pymdownx, codehilite) pay milliseconds per page.

    ## Example
    ```python
    class Reader:
        def read(self, path):
            md = markdown.Markdown(**self.settings["MARKDOWN"])
            return md.convert(load(path))
    ```

    ## Use instead
    ```python
    class Reader:
        def __init__(self, settings):
            self._md = markdown.Markdown(**settings["MARKDOWN"])

        def read(self, path):
            self._md.reset()
            return self._md.convert(load(path))
    ```

    ## Fix safety
    No fix: the converter keeps per-document state (`Meta`, `toc`, footnotes)
    until `reset()`, and per-document extensions registered on it must be
    registered again or made to read the current document.

    ## Known false positives
    A function that really runs once (a CLI's one-off conversion): defs
    named `main`, `setup`, `configure`, `ready`, `__init__` are skipped, as
    are defs that mention a cache, module-level code, and a converter whose
    arguments read the document (then each document needs its own). A
    converter kept lazily (`if self._md is None: self._md = ...`) is
    skipped: the assignment sits under a test of the same attribute.

    Judged on 2026-12-07: the Python 3.11.7 standard library has no finding;
    on pelican 4.10.1, mkdocs 1.6.1, django-allauth 65.3.1,
    social-auth-core 4.5.4, django-anymail 12.0 and django-import-export
    4.3.3, 2 findings, 2 correct (pelican's `MarkdownReader.read`, per
    source file; mkdocs's `Page.render`, per page).
    """

    code = "PF309"
    name = "converter-built-per-document"
    level = Level.CACHING
    message = (
        "builds a Markdown converter from its configuration for every document it converts; "
        "build it once (where the configuration is known) and `reset()` it between documents"
    )
    weight = 1.5
    qualified_triggers = tuple(sorted(CONVERTERS))
    benchmark = Benchmark(
        setup=(
            "import markdown\n"
            "SETTINGS = {'extensions': ['toc', 'tables', 'fenced_code', 'footnotes']}\n"
            "DOCS = ['# Title %d\\n\\nSome *text* with a [link](http://x/%d).\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |\\n'"
            " % (i, i) for i in range(200)]\n"
            "kept = markdown.Markdown(**SETTINGS)\n"
        ),
        slow="for doc in DOCS:\n    markdown.Markdown(**SETTINGS).convert(doc)",
        fast="for doc in DOCS:\n    kept.reset()\n    kept.convert(doc)",
        size="200 short documents, four extensions",
    )

    valid = [
        # Built once, in __init__, and reused.
        Valid(
            "import markdown\nclass R:\n    def __init__(self, settings):\n"
            "        self.md = markdown.Markdown(**settings)\n"
            "    def read(self, text):\n        self.md.reset()\n        return self.md.convert(text)\n"
        ),
        # Kept lazily on the instance.
        Valid(
            "import markdown\nclass R:\n    def read(self, text):\n        if self._md is None:\n"
            "            self._md = markdown.Markdown(**self.settings)\n        return self._md.convert(text)\n"
        ),
        # The converter's configuration comes from the document itself.
        Valid(
            "import markdown\ndef render(doc):\n    md = markdown.Markdown(extensions=doc.extensions)\n"
            "    return md.convert(doc.body)\n"
        ),
        # A one-off conversion in a CLI entry point; module level.
        Valid(
            "import markdown, sys\ndef main(argv):\n    md = markdown.Markdown(extensions=argv[1:])\n"
            "    print(md.convert(sys.stdin.read()))\n"
        ),
        Valid("import markdown\nMD = markdown.Markdown(extensions=EXTS)\nHTML = MD.convert(README)\n"),
        # Built but never used to convert here (returned to a caller that keeps it).
        Valid("import markdown\ndef make(settings):\n    return markdown.Markdown(**settings)\n"),
        # A cached factory.
        Valid(
            "import functools, markdown\n@functools.lru_cache(maxsize=None)\ndef converter(key):\n"
            "    return markdown.Markdown(extensions=list(key))\n"
        ),
    ]
    invalid = [
        Invalid(
            """
            from markdown import Markdown

            class MarkdownReader:
                def read(self, source_path):
                    self._md = Markdown(**self.settings["MARKDOWN"])
                    with open(source_path) as f:
                        content = self._md.convert(f.read())
                    return content
            """
        ),
        Invalid(
            """
            import markdown

            class Page:
                def render(self, config, files):
                    md = markdown.Markdown(
                        extensions=config["markdown_extensions"],
                        extension_configs=config["mdx_configs"] or {},
                    )
                    self.content = md.convert(self.markdown)
            """
        ),
        Invalid(
            """
            from markdown_it import MarkdownIt

            def render_post(post, options):
                return MarkdownIt("commonmark", options).render(post.body)
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.context.call_name(node)
        method = CONVERTERS.get(qualified or "")
        if method is None:
            return
        function = self.context.function
        if function is None or not isinstance(function.node, cst.FunctionDef):
            return
        fdef = function.node
        name = fdef.name.value
        if name in _ONCE or name.startswith("test"):
            return
        if any("cache" in _code(d.decorator).lower() or "memo" in _code(d.decorator).lower() for d in fdef.decorators):
            return
        body_text = _code(fdef.body)
        if "cache" in body_text.lower():
            return
        document = self._converted_document(fdef, node, method)
        if document is None:
            return
        bindings = _bindings(fdef.body)
        config = _closure(_roots(cst.Tuple([cst.Element(a.value) for a in node.args])) if node.args else set(), bindings)
        read = _closure(_roots(document), bindings)
        inputs = _params(fdef) | {r for r in read if r.startswith("self.")}
        if not (read & inputs):
            return  # the document is not the call's input
        if read & config - {"self"}:
            return  # the configuration reads the document
        self.report(node)

    def _converted_document(self, fdef: cst.FunctionDef, call: cst.Call, method: str) -> Optional[cst.CSTNode]:
        """The argument of ``<converter>.<method>(doc)`` in the def, for the converter ``call``
        builds (chained, or through the name or ``self`` attribute it is assigned to)."""
        holder: Optional[str] = None
        stack: list[cst.CSTNode] = [fdef.body]
        assigns: list[cst.Assign] = []
        converts: list[cst.Call] = []
        guarded = False
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            if isinstance(node, cst.Assign) and node.value is call:
                assigns.append(node)
            if isinstance(node, cst.If):
                # ``if self._md is None: self._md = Markdown(...)``: a lazily kept converter.
                for inner in _iter(node.body):
                    if inner is call:
                        guarded = True
            if (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value == method
                and len(node.args) >= 1
            ):
                converts.append(node)
            stack.extend(node.children)
        if guarded:
            return None
        if assigns:
            targets = assigns[0].targets
            if len(targets) != 1 or not isinstance(targets[0].target, (cst.Name, cst.Attribute)):
                return None
            holder = _code(targets[0].target)
        for convert in converts:
            receiver = convert.func.value  # type: ignore[union-attr]
            if receiver is call or (holder is not None and _code(receiver) == holder):
                return convert.args[0].value
        return None


def _iter(node: cst.CSTNode):
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(item.children)
