"""Configuration discovery and strict validation (SPEC.md "Configuration")."""

from __future__ import annotations

import pytest

from perflint.config import ConfigError, ConfigResolver, load_file

READLINES = "for line in open('x').readlines():\n    print(line)\n"


def test_pyproject_table_is_found_by_walking_up(perflint, write):
    write("pyproject.toml", "[tool.perflint]\nignore = ['PF404']\n")
    write("src/pkg/app.py", READLINES)
    assert perflint("check", "src").returncode == 0


def test_yaml_config_is_found_and_wins_over_pyproject_in_the_same_folder(perflint, write):
    write("pyproject.toml", "[tool.perflint]\nselect = ['PF404']\n")
    write(".perflint.yaml", "select: [PF1]\n")
    write("app.py", READLINES)
    assert perflint("check", "app.py").returncode == 0


def test_nearest_config_applies_per_file(perflint, write):
    write("pyproject.toml", "[tool.perflint]\nignore = ['PF4']\n")
    write("a/app.py", READLINES)
    write("b/pyproject.toml", "[tool.perflint]\nselect = ['PF', 'micro']\n")
    write("b/app.py", READLINES)
    out = perflint("check", ".").stdout
    assert "b/app.py:1" in out and "a/app.py" not in out


def test_pyproject_without_perflint_table_keeps_walking_up(perflint, write):
    write("pyproject.toml", "[tool.perflint]\nignore = ['PF404']\n")
    write("sub/pyproject.toml", "[project]\nname = 'x'\n")
    write("sub/app.py", READLINES)
    assert perflint("check", "sub").returncode == 0


def test_exclude_and_per_file_ignores(perflint, write):
    write(
        "pyproject.toml",
        "[tool.perflint]\nselect = ['PF', 'micro']\nexclude = ['generated/']\n"
        "[tool.perflint.per-file-ignores]\n'tests/*' = ['PF4']\n",
    )
    write("generated/app.py", READLINES)
    write("tests/test_app.py", READLINES)
    write("src/app.py", READLINES)
    out = perflint("check", ".").stdout
    assert "src/app.py" in out
    assert "generated" not in out and "tests/" not in out


def test_explicit_config_file(perflint, write):
    write("custom.yaml", "levels: [1, 2]\n")
    write("app.py", READLINES)
    assert perflint("check", "app.py").returncode == 1
    assert perflint("check", "--config", "custom.yaml", "app.py").returncode == 0


def test_command_line_overrides_config(perflint, write):
    write("pyproject.toml", "[tool.perflint]\nignore = ['PF404']\nselect = ['PF1']\n")
    write("app.py", READLINES)
    assert perflint("check", "--select", "PF404", "--ignore", "PF1", "app.py").returncode == 1


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("pyproject.toml", "[tool.perflint]\nselectt = ['PF1']\n", "pyproject.toml: unknown key 'selectt'"),
        ("pyproject.toml", "[tool.perflint]\nselect = 'PF1'\nlevels = 'fast'\n", "key 'levels': 'fast' is not a level"),
        ("pyproject.toml", "[tool.perflint]\nignore = [42]\n", "key 'ignore': expected a list of strings"),
        ("pyproject.toml", "[tool.perflint]\nselect = ['E501']\n", "key 'select': 'E501' is not a rule code"),
        ("pyproject.toml", "[tool.perflint\nselect = []\n", "pyproject.toml: malformed TOML"),
        (".perflint.yaml", "select: [PF1\n", ".perflint.yaml: malformed YAML"),
        (".perflint.yaml", "- PF1\n", "expected a mapping"),
        (".perflint.yaml", "rules:\n  PF999: {}\n", "key 'rules': unknown rule 'PF999'"),
        (".perflint.yaml", "rules:\n  PF404:\n    bogus: 1\n", "key 'rules'.PF404: unknown option 'bogus'"),
        (".perflint.yaml", "per-file-ignores: [x]\n", "key 'per-file-ignores': expected a table"),
    ],
)
def test_bad_config_exits_2_naming_file_and_key(perflint, write, name, content, expected):
    write(name, content)
    write("app.py", READLINES)
    run = perflint("check", "app.py")
    assert run.returncode == 2
    assert expected in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_levels_accept_numbers_and_names(tmp_path):
    path = tmp_path / ".perflint.yaml"
    path.write_text("levels: [algorithm, 2, L3]\n")
    assert load_file(str(path)).levels == frozenset({1, 2, 3})


def test_resolver_caches_per_directory_and_applies_overrides(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.perflint]\nselect = ['PF1']\n")
    (tmp_path / "pkg").mkdir()
    resolver = ConfigResolver(overrides={"ignore": ("PF101",)})
    settings = resolver.for_path(str(tmp_path / "pkg" / "a.py"))
    assert settings.select == ("PF1",) and settings.ignore == ("PF101",)
    assert resolver.for_path(str(tmp_path / "pkg" / "b.py")) is settings


def test_unreadable_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read config"):
        load_file(str(tmp_path / "missing.yaml"))


def test_force_exclude_applies_exclude_to_files_named_explicitly(perflint, write):
    write("pyproject.toml", "[tool.perflint]\nselect = ['PF4']\nexclude = ['generated/']\n")
    write("generated/0001.py", READLINES)
    assert perflint("check", "generated/0001.py").returncode == 1
    assert perflint("check", "--force-exclude", "generated/0001.py").returncode == 0
