"""The README a newcomer follows matches the code."""

from pathlib import Path

from click.testing import CliRunner

from etl.cli import cli
from etl.db.shape import TABLES

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands_first():
    setup = README.split("## Two commands", 1)[1].split("##", 1)[0]
    assert "make demo" in setup and "make test" in setup


def test_readme_documents_every_table():
    for table in TABLES:
        assert f"| `{table}` |" in README, table


def test_readme_names_every_command():
    for name in cli.commands:
        assert f"`{name}" in README, name


def test_readme_names_every_failure_class():
    from etl.pdf.failures import FAILURE_KINDS

    for kind in FAILURE_KINDS:
        assert f"`{kind}`" in README, kind


def test_readme_example_is_a_valid_result(validate):
    import json

    example = README.split("```json", 1)[1].split("```", 1)[0]
    result = json.loads(example)
    result["file"]["sha256"] = "0" * 64
    validate(result)


def test_version_option():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "ratsdaten" in result.output


def test_how_it_works_names_every_package_and_module_of_etl():
    section = README.split("## How it works", 1)[1].split("\n## ", 1)[0]
    etl = Path(__file__).resolve().parent.parent / "etl"
    for path in sorted(etl.iterdir()):
        if path.name.startswith(("_", ".")) or path.suffix not in (".py", ""):
            continue
        named = f"`etl/{path.name}/`" if path.is_dir() else f"`etl/{path.name}`"
        assert named in section, named
