"""PF310 template-compiled-per-call."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.caching._instance_inputs import built_from_instance

# Template classes whose constructor compiles the source (``string.Template`` only stores it).
_COMPILING_TEMPLATES = frozenset({
    "django.template.Template", "django.template.base.Template",
    "jinja2.Template", "jinja2.environment.Template",
    "mako.template.Template",
})
# ``<engine>.from_string(source)`` compiles on a Django ``Engine`` or a Jinja2 ``Environment``;
# the receiver must say which (``from_string`` is also a common alternate constructor name).
_ENGINE_WORDS = ("engine", "env")


def _spells_template(func: cst.BaseExpression) -> bool:
    """``Template(...)``, ``jinja2.Template(...)``, ``DjangoTemplate(...)``: the callee's own name
    says it, as the rule's ``Template`` trigger needs."""
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return "Template" in name


def _source_argument(call: cst.Call) -> Optional[cst.BaseExpression]:
    """The template source: the first positional argument or ``template_string=`` / ``source=`` /
    ``text=``."""
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return arg.value
        if arg.keyword is not None and arg.keyword.value in ("template_string", "source", "text"):
            return arg.value
    return None


class TemplateCompiledPerCall(Rule):
    """
    ## What it does
    Flags, in a method that takes a per-call input (a record, a context, a
    request), a template compiled from the instance's own configuration:
    Django's `Template(...)`, Jinja2's `Template(...)`, Mako's `Template(...)`
    or `<engine>.from_string(...)` on a Django `Engine` or a Jinja2
    `Environment`, whose source is `self.<attribute>`, a `self.<method>()`
    call without arguments, a literal or a module-level name. A table
    column that renders its `template_code` for every cell, a widget or a
    notifier that renders its configured template per item compile the same
    source again on every call.

    ## Why is this slow?
    Compiling tokenizes and parses the whole template into a node tree;
    rendering a compiled one only walks it. Measured with Django 5.2 on
    Python 3.11.7 (a shared two-core box): compiling and rendering a
    one-line cell template with a filter and an `{% if %}` took 492 us
    against 73 us for rendering the template kept (6.7x).

    ## Example
    ```python
    class LinkColumn:
        def render(self, record, context):
            return Template(self.template_code).render(context)
    ```

    ## Use instead
    ```python
    class LinkColumn:
        @cached_property
        def template(self):
            return Template(self.template_code)

        def render(self, record, context):
            return self.template.render(context)
    ```

    ## Fix safety
    No fix: where to keep the compiled template (the constructor, a
    `cached_property`, a class-level cache keyed by the source) is the
    class's choice, and a template source reassigned after construction
    needs the kept copy reset.

    ## Known false positives
    Silent in dunder methods (`__init__` runs once per object), in methods
    without a parameter besides `self`, in cached methods, in methods that
    assign to an attribute of the instance, to an item of something not
    local or to a global, or mention a cache, and when the source is a
    parameter or a local of the method (the template then comes with the
    call). `string.Template` is not flagged (its constructor only stores
    the string), nor `from_string` on a receiver not named for an engine or
    environment, nor a class imported under a name that does not spell
    `Template` (`from jinja2 import Template as T`). It cannot tell that the
    object itself is built per call
    (a view instance, a model row), where keeping the template on it would
    not help: keep it on the class or in a module-level cache then.

    Judged on 2026-12-08: the Python 3.11.7 standard library has no
    finding; on the 34 sdists of the caching hold-out rounds (pelican,
    mkdocs, flask-restx, django-post-office, flasgger, djangosaml2,
    django-tables2...) plus PyJWT, python-jose, jinja2 and
    django-crispy-forms 2.7: 3 findings, 3 correct (django-tables2's
    `TemplateColumn`, per cell; crispy-forms' `Fieldset` legend and `HTML`
    layout object, per rendered form, where a layout built per form
    instance needs the module-level cache).
    """

    code = "PF310"
    name = "template-compiled-per-call"
    level = Level.CACHING
    message = (
        "compiles the instance's template source on every call; the source changes only with the "
        "object: compile it once (in `__init__` or a `cached_property`) and only render per call"
    )
    weight = 1.5
    triggers = ("Template", "from_string")
    benchmark = Benchmark(
        setup=(
            "import django\nfrom django.conf import settings\n"
            "settings.configure(TEMPLATES=[{'BACKEND': 'django.template.backends.django.DjangoTemplates'}])\n"
            "django.setup()\nfrom django.template import Context, Template\n"
            "code = '<a href=\"/items/{{ record.pk }}/\">{{ record.name|title }}</a>{% if record.active %} on{% endif %}'\n"
            "rows = [Context({'record': {'pk': i, 'name': 'item', 'active': i % 2}}) for i in range(200)]\n"
            "kept = Template(code)\n"
        ),
        slow="for c in rows:\n    Template(code).render(c)",
        fast="for c in rows:\n    kept.render(c)",
        size="200 table cells, a one-line cell template",
    )

    valid = [
        # Compiled once per object, or kept on it.
        Valid(
            "from django.template import Template\nclass Column:\n    def __init__(self, code):\n"
            "        self.template = Template(code)\n    def render(self, record, context):\n"
            "        return self.template.render(context)\n"
        ),
        Valid(
            "from django.template import Template\nclass Column:\n    def render(self, record, context):\n"
            "        if self._compiled is None:\n            self._compiled = Template(self.code)\n"
            "        return self._compiled.render(context)\n"
        ),
        Valid(
            "from functools import cached_property\nfrom jinja2 import Template\nclass Notifier:\n"
            "    @cached_property\n    def template(self):\n        return Template(self.source)\n"
        ),
        # The source comes with the call.
        Valid(
            "from django.template import Template\nclass Mailer:\n    def render(self, source, context):\n"
            "        return Template(source).render(context)\n"
        ),
        Valid(
            "class Mailer:\n    def render(self, message, context):\n"
            "        return self.engine.from_string(message.body).render(context)\n"
        ),
        # string.Template only stores the string; `from_string` on something that is no engine.
        Valid(
            "from string import Template\nclass Greeter:\n    def greet(self, name):\n"
            "        return Template(self.pattern).substitute(name=name)\n"
        ),
        Valid(
            "class Parser:\n    def parse(self, text):\n        return Version.from_string(self.default) if not text else text\n"
        ),
        # A module function: its inputs are its parameters.
        Valid("from jinja2 import Template\ndef render(source, **ctx):\n    return Template(source).render(**ctx)\n"),
    ]
    invalid = [
        Invalid(
            """
            from django.template import Context, Template

            class TemplateColumn:
                def render(self, record, table, value):
                    context = Context({"record": record, "value": value})
                    return Template(self.template_code).render(context)
            """
        ),
        Invalid(
            """
            from jinja2 import Environment

            class SlackNotifier:
                def format(self, event):
                    return self.env.from_string(self.settings.MESSAGE_TEMPLATE).render(event=event)
            """
        ),
        Invalid(
            """
            import jinja2

            class Row:
                def html(self, item):
                    return jinja2.Template(ROW_TEMPLATE + self.suffix).render(item=item)
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "from_string":
            receiver = self._receiver_text(func.value).lower()
            if not any(word in receiver for word in _ENGINE_WORDS):
                return
        elif not _spells_template(func) or self.context.call_name(node) not in _COMPILING_TEMPLATES:
            return  # an alias that does not spell ``Template`` is left alone: the triggers stay a superset
        source = _source_argument(node)
        if source is None:
            return
        if built_from_instance(self.context, node, [source]):
            self.report(node)

    @staticmethod
    def _receiver_text(node: cst.BaseExpression) -> str:
        """``self.env`` -> ``"self.env"``, ``get_template_engine()`` -> ``"get_template_engine"``."""
        parts = []
        while isinstance(node, (cst.Attribute, cst.Call, cst.Subscript)):
            if isinstance(node, cst.Attribute):
                parts.append(node.attr.value)
                node = node.value
            else:
                node = node.func if isinstance(node, cst.Call) else node.value
        if isinstance(node, cst.Name):
            parts.append(node.value)
        return ".".join(reversed(parts))
