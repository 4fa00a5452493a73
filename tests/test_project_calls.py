"""Call facts across the modules of a project (``perflint.project_calls``): what a function
imported from another file does per call and returns, and which files the answer read."""

from __future__ import annotations

import ast
import os
import textwrap
from pathlib import Path

import pytest

from perflint import project_calls
from perflint.engine import lint_source
from perflint.facts import ModuleFacts
from perflint.project_calls import ProjectCalls

SERVICES = """
import requests

def fetch_profile(user_id):
    return requests.get(f"https://api.example.com/users/{user_id}").json()

def enrich(event):
    event["profile"] = fetch_profile(event["user"])
    return event

def names(rows) -> list[str]:
    return [row.name for row in rows]

def pure(event):
    return event["user"]
"""


@pytest.fixture(autouse=True)
def _fresh_modules():
    project_calls.clear()
    yield
    project_calls.clear()


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def _facts(path: Path) -> ModuleFacts:
    text = path.read_text()
    facts = ModuleFacts.from_tree(ast.parse(text), text)
    facts.path = str(path)
    return facts


def _loop_call(facts: ModuleFacts, function: str):
    """The first call in the body of the first ``for`` loop of ``function``."""
    scope = facts.inference.scopes[function]
    loop = next(node for node in ast.walk(scope.node) if isinstance(node, ast.For))
    return next(node for node in ast.walk(loop) if isinstance(node, ast.Call) and node is not loop.iter)


VIEW = """
from shop.services import enrich, pure

def handle(events):
    for event in events:
        enrich(event)

def plain(events):
    for event in events:
        pure(event)
"""


def test_an_imported_function_that_requests_per_call_says_so_with_its_chain(tmp_path):
    root = _project(tmp_path, {"shop/__init__.py": "", "shop/services.py": SERVICES, "shop/views.py": VIEW})
    facts = _facts(root / "shop/views.py")
    effects = facts.inference.call_effects("handle", _loop_call(facts, "handle"))
    assert effects is not None and "http" in effects.kinds
    assert effects.chain == ("enrich()", "fetch_profile()", "requests.get()")
    assert facts.inference.call_effects("plain", _loop_call(facts, "plain")) is None
    assert [Path(path).name for path, _, _ in facts.dependencies()] == ["services.py"]


def test_relative_imports_and_package_reexports_are_followed(tmp_path):
    root = _project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/api/__init__.py": "from .client import enrich\n",
            "shop/api/client.py": SERVICES,
            "shop/views.py": VIEW.replace("from shop.services import enrich, pure", "from .api import enrich, pure"),
        },
    )
    facts = _facts(root / "shop/views.py")
    effects = facts.inference.call_effects("handle", _loop_call(facts, "handle"))
    assert effects is not None and effects.chain[-1] == "requests.get()"


def test_return_kinds_come_from_the_other_module(tmp_path):
    view = """
    from shop.services import names

    def show(rows, wanted):
        known = names(rows)
        return [w for w in wanted if w in known]
    """
    root = _project(tmp_path, {"shop/__init__.py": "", "shop/services.py": SERVICES, "shop/views.py": view})
    facts = _facts(root / "shop/views.py")
    assert facts.inference.kind_of_name("show", "known").kind == "list"


def test_modules_outside_the_project_and_text_without_a_file_read_nothing(tmp_path):
    view = """
    import os, json
    from shop.missing import enrich

    def handle(paths):
        for path in paths:
            enrich(os.path.join(path, json.dumps(path)))
    """
    root = _project(tmp_path, {"shop/__init__.py": "", "shop/views.py": view})
    facts = _facts(root / "shop/views.py")
    assert facts.inference.call_effects("handle", _loop_call(facts, "handle")) is None
    assert [os.path.relpath(dep, root) for dep, _, _ in facts.dependencies()] == ["shop/__init__.py"]
    assert ProjectCalls.for_file(str(root / "no-such-file.py")) is None


def test_a_changed_module_is_read_again_and_changes_the_stamp(tmp_path):
    root = _project(tmp_path, {"shop/__init__.py": "", "shop/services.py": SERVICES, "shop/views.py": VIEW})
    facts = _facts(root / "shop/views.py")
    project = facts.inference.project
    assert facts.inference.call_effects("handle", _loop_call(facts, "handle")) is not None
    before = project.stamp()
    services = root / "shop/services.py"
    services.write_text(SERVICES.replace('requests.get(f"https://api.example.com/users/{user_id}").json()', "{}"))
    os.utime(services, ns=(1, 1))
    assert project.stamp() != before
    again = _facts(root / "shop/views.py")
    assert again.inference.call_effects("handle", _loop_call(again, "handle")) is None


def test_lint_source_reports_the_files_its_answers_read(tmp_path):
    root = _project(tmp_path, {"shop/__init__.py": "", "shop/services.py": SERVICES, "shop/views.py": VIEW})
    path = root / "shop/views.py"
    dependencies: list = []
    lint_source(path.read_text(), str(path), dependencies=dependencies)
    assert all(Path(dep).name == "services.py" for dep, _, _ in dependencies)



def test_function_called_names_the_module_and_function_a_call_reaches(tmp_path):
    root = _project(tmp_path, {"shop/__init__.py": "", "shop/services.py": SERVICES, "shop/views.py": VIEW})
    facts = _facts(root / "shop/views.py")
    home, name = facts.inference.function_called("handle", _loop_call(facts, "handle").func)
    assert name == "enrich" and home is not facts.inference and "fetch_profile" in home.scopes
    assert facts.inference.function_called("handle", ast.parse("print", mode="eval").body) is None
    local = ModuleFacts.from_tree(ast.parse(SERVICES), SERVICES).inference
    call = next(node for node in ast.walk(local.scopes["enrich"].node) if isinstance(node, ast.Call))
    assert local.function_called("enrich", call.func) == (local, "fetch_profile")


def test_a_class_of_another_module_of_the_project(tmp_path):
    from perflint.project_calls import ProjectCalls

    package = _project(tmp_path, {
        "shop/__init__.py": "", "shop/base.py": "class Base:\n    pass\n",
        "shop/again.py": "from shop.base import Base\n", "shop/user.py": "",
    }) / "shop"
    project = ProjectCalls.for_file(str(package / "user.py"))
    found = project.class_def("shop.base.Base")
    assert found is not None and found[1].name == "Base"
    assert project.class_def("shop.again.Base")[1].name == "Base"  # re-exported
    assert project.class_def("shop.base.Missing") is None
    assert project.class_def("json.JSONDecoder") is None  # not a module of the project


def test_a_class_of_another_module_that_derives_from_list_holds_a_list(tmp_path):
    generic = """
    from typing import Any

    class PdfObject:
        pass

    class ArrayObject(list[Any], PdfObject):
        def write(self, stream):
            pass

    class Names(ArrayObject):
        pass

    class HashedList(list):
        def __contains__(self, item):
            return item in self._index
    """
    writer = """
    from typing import cast
    from .generic import ArrayObject, HashedList, Names

    def fields_of(form):
        try:
            fields = cast(ArrayObject, form["/Fields"])
        except KeyError:
            fields = ArrayObject()
        names = Names()
        hashed = HashedList()
        return fields, names, hashed
    """
    root = _project(
        tmp_path,
        {
            "pdf/__init__.py": "",
            "pdf/generic/__init__.py": "from ._data import ArrayObject, HashedList, Names\n",
            "pdf/generic/_data.py": generic,
            "pdf/writer.py": writer,
        },
    )
    inference = _facts(root / "pdf/writer.py").inference
    assert inference.kind_of_name("fields_of", "fields").kind == "list"
    assert inference.kind_of_name("fields_of", "names").kind == "list"  # through a base of its module
    assert inference.kind_of_name("fields_of", "hashed").kind != "list"  # its own `__contains__`
