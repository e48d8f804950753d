import json

import pytest
from click.testing import CliRunner

from etl.cli import cli

COMMANDS = ["extract", "import-dir", "sync", "build", "serve", "demo", "sample"]


def run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def test_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_explains_itself_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"ratsdaten {command}" in result.output


def test_extract_prints_a_schema_valid_result(sample_dir, validate):
    result = run("extract", str(sample_dir / "files" / "0001.pdf"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    validate(data)
    assert data["file"]["pages"] == len(data["pages"]) >= 3
    assert "Beschlussvorschlag" in data["pages"][0]["text"]
    assert data["file"]["size"] == (sample_dir / "files" / "0001.pdf").stat().st_size


def test_extract_missing_file_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.pdf")])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [f"Error: no such file: {tmp_path / 'nope.pdf'}"]


def test_extract_html_named_pdf_fails_with_its_class(tmp_path):
    fake = tmp_path / "fehler.pdf"
    fake.write_bytes(b"<!DOCTYPE html><html><body>Sitzung abgelaufen</body></html>")
    result = CliRunner().invoke(cli, ["extract", str(fake)])
    assert result.exit_code == 1
    assert "not_pdf" in result.output and "Traceback" not in result.output


def test_extract_unknown_profile_is_refused(sample_dir):
    result = CliRunner().invoke(cli, ["extract", str(sample_dir / "files" / "0001.pdf"),
                                      "--profile", "atlantis"])
    assert result.exit_code == 2 or result.exit_code == 1
    assert "unknown profile 'atlantis'" in result.output


def test_sync_unknown_body_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(cli, ["sync", "atlantis", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "unknown body 'atlantis'" in result.output
    assert "leipzig" in result.output and "karlsruhe" in result.output


def test_build_without_state_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "run sync or import-dir first" in result.output


def test_serve_without_database_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "run `ratsdaten build` first" in result.output


@pytest.mark.slow
def test_import_dir_then_build(sample_dir, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for name in ("0001.pdf", "0002.pdf"):
        (folder / name).write_bytes((sample_dir / "files" / name).read_bytes())
    (folder / "kaputt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    data = tmp_path / "data"
    first = run("import-dir", str(folder), "--body", "ordner", "--data-dir", str(data))
    assert "3 PDFs (3 new or changed)" in first.output
    again = run("import-dir", str(folder), "--body", "ordner", "--data-dir", str(data))
    assert "3 PDFs (0 new or changed)" in again.output
    built = run("build", "--data-dir", str(data), "--workers", "2")
    assert built.exit_code == 1, built.output  # 1 of 3 new files failed: more than 20 %
    assert "3 papers" in built.output and "3 files extracted (1 failed)" in built.output

    import sqlite_utils
    db = sqlite_utils.Database(data / "ratsdaten.db")
    assert db["papers"].count == 3
    assert [r["kind"] for r in db["failures"].rows] == ["parse_error"]
    assert db.execute("select count(distinct file_id) from pages where rowid in (select rowid "
                      "from pages_fts where pages_fts match 'Beschlussvorschlag')"
                      ).fetchone()[0] == 2


def test_import_dir_without_pdfs(tmp_path):
    result = CliRunner().invoke(cli, ["import-dir", str(tmp_path), "--body", "leer",
                                      "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "no PDF files in" in result.output and "symbolic" not in result.output


def test_import_dir_of_only_links_says_why_nothing_was_imported(tmp_path):
    folder, real = tmp_path / "links", tmp_path / "real.pdf"
    folder.mkdir()
    real.write_bytes(b"%PDF-1.4\n")
    (folder / "a.pdf").symlink_to(real)
    result = CliRunner().invoke(cli, ["import-dir", str(folder), "--body", "links",
                                      "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "no PDF files in" in result.output and "1 symbolic links" in result.output


def test_build_fails_loudly_when_failures_look_systemic(tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for i in range(6):
        (folder / f"fehler{i}.pdf").write_bytes(b"<html>Sitzung abgelaufen %d</html>" % i)
    data = tmp_path / "data"
    run("import-dir", str(folder), "--body", "kaputt", "--data-dir", str(data))
    result = CliRunner().invoke(cli, ["build", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert "more than 20 % of the new files failed" in result.output
    assert "recorded failures: 6 not_pdf" in result.output
    import sqlite_utils
    assert sqlite_utils.Database(data / "ratsdaten.db")["failures"].count == 6  # still published
