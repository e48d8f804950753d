"""Problems a new user found: import-dir safety and validation, CLI messages."""

import pytest
import sqlite_utils
from click.testing import CliRunner

from etl.cli import cli
from etl.db.build import pending_files
from etl.state import open_state


def run(*args):
    return CliRunner().invoke(cli, list(args))


def one_pdf_folder(sample_dir, tmp_path):
    folder = tmp_path / "imp"
    folder.mkdir()
    (folder / "0001.pdf").write_bytes((sample_dir / "files" / "0001.pdf").read_bytes())
    return folder


def test_import_dir_skips_symlinks_and_keeps_non_pdf_bytes_unservable(sample_dir, tmp_path):
    folder = one_pdf_folder(sample_dir, tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n")
    (folder / "link.pdf").symlink_to(secret)
    (folder / "sub").symlink_to(tmp_path, target_is_directory=True)
    (folder / "fehler.pdf").write_bytes(b"<html>Sitzung abgelaufen</html>")
    data = tmp_path / "data"
    result = run("import-dir", str(folder), "--body", "ordner", "--data-dir", str(data))
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "link.pdf: a symbolic link" in result.output
    assert "fehler.pdf: not a PDF" in result.output
    assert "2 PDFs (2 new or changed)" in result.output
    stored = {p.name: p.read_bytes() for p in (data / "files").rglob("*") if p.is_file()}
    assert not any(b"root:x" in content for content in stored.values())
    served = [content for name, content in stored.items() if name.endswith(".pdf")]
    assert len(served) == 1 and served[0].startswith(b"%PDF-")
    assert len(pending_files(open_state(data), data)) == 2  # the build still records not_pdf


def test_import_dir_reads_a_folder_reached_through_a_symlink(sample_dir, tmp_path):
    folder = one_pdf_folder(sample_dir, tmp_path)
    (tmp_path / "via").symlink_to(tmp_path, target_is_directory=True)
    result = run("import-dir", str(tmp_path / "via" / "imp"), "--body", "ordner",
                 "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 0 and "1 PDFs (1 new or changed)" in result.output
    assert folder.is_dir()


def test_import_dir_refuses_an_unknown_profile(sample_dir, tmp_path):
    folder = one_pdf_folder(sample_dir, tmp_path)
    result = run("import-dir", str(folder), "--body", "ordner", "--profile", "nope",
                 "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert "unknown profile 'nope'" in result.output and "leipzig" in result.output
    assert not (tmp_path / "data" / "files").exists()


def test_a_profile_change_extracts_again(sample_dir, tmp_path):
    folder = one_pdf_folder(sample_dir, tmp_path)
    data = tmp_path / "data"
    run("import-dir", str(folder), "--body", "ordner", "--data-dir", str(data))
    state = open_state(data)
    [(sha, _path, profile)] = pending_files(state, data)
    assert profile is None
    from etl import EXTRACTOR_VERSION
    state["extractions"].insert({"sha256": sha, "extractor_version": EXTRACTOR_VERSION,
                                 "failure_kind": "parse_error"})
    assert pending_files(state, data) == []
    again = run("import-dir", str(folder), "--body", "ordner", "--profile", "leipzig",
                "--data-dir", str(data))
    assert "1 PDFs (1 new or changed)" in again.output
    assert [p for _s, _p, p in pending_files(state, data)] == ["leipzig"]
    same = run("import-dir", str(folder), "--body", "ordner", "--profile", "leipzig",
               "--data-dir", str(data))
    assert "1 PDFs (0 new or changed)" in same.output


def test_import_dir_validates_the_slug(sample_dir, tmp_path):
    folder = one_pdf_folder(sample_dir, tmp_path)
    data = tmp_path / "data"
    for bad in ("", "Bad Slug/../x", "a/b", "Erlangen"):
        result = run("import-dir", str(folder), "--body", bad, "--data-dir", str(data))
        assert result.exit_code == 1 and "lowercase letters, digits and '-'" in result.output
    taken = run("import-dir", str(folder), "--body", "leipzig", "--data-dir", str(data))
    assert taken.exit_code == 1 and "is an OParl body" in taken.output
    open_state(data)["bodies"].insert({"slug": "synced", "source": "oparl"})
    synced = run("import-dir", str(folder), "--body", "synced", "--data-dir", str(data))
    assert synced.exit_code == 1 and "is an OParl body" in synced.output
    assert open_state(data)["stored_files"].count == 0


@pytest.mark.asyncio
async def test_spending_query_lists_no_paper_without_spending(tmp_path):
    from etl.db.build import publish
    from etl.samples.money import money_specs, write_money_state
    from etl.serve import datasette_instance

    db_path = tmp_path / "ratsdaten.db"
    publish(write_money_state(tmp_path, money_specs()), db_path)
    db = sqlite_utils.Database(db_path)
    spending = {r["reference"] for r in db.query(
        "select distinct p.reference from current_papers p join money_lines m "
        "on m.paper_id = p.id where m.direction = 'expenditure'")}
    income_only = {r["reference"] for r in db.query(
        "select distinct p.reference from current_papers p join money_lines m "
        "on m.paper_id = p.id") if r["reference"] not in spending}
    assert income_only and spending
    ds = datasette_instance(db_path)
    for minimum in ("", "0"):
        response = await ds.client.get("/ratsdaten/vorlagen_mit_kosten.json?_shape=array"
                                       f"&_size=max&mindestbetrag={minimum}&einreicher=&jahr=")
        listed = {r["reference"] for r in response.json()}
        assert listed == spending, minimum


def test_state_push_refuses_an_unknown_store_scheme(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_state(tmp_path / "data")
    for store in ("s3:bucket", "https://example.org/x", "dir:"):
        result = run("state", "push", "--store", store, "--data-dir", str(tmp_path / "data"))
        assert result.exit_code == 1 and "use dir:PATH" in result.output, store
        assert "pushed" not in result.output
    assert not (tmp_path / "s3:bucket").exists()
    plain = run("state", "push", "--store", "backup", "--data-dir", str(tmp_path / "data"))
    assert plain.exit_code == 0 and (tmp_path / "backup").is_dir()


@pytest.mark.parametrize("command", ["push", "pull", "publish-db", "fetch-db"])
def test_state_subcommands_explain_themselves_with_an_example(command):
    result = run("state", command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output
    assert f"ratsdaten state {command} --" in result.output


def test_nightly_on_an_empty_store_names_its_own_flag(tmp_path):
    (tmp_path / "store").mkdir()
    result = run("nightly", "x", "--store", f"dir:{tmp_path / 'store'}",
                 "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 1 and "--allow-empty-store" in result.output


def test_sample_refuses_a_negative_paper_count(tmp_path):
    result = run("sample", "--papers", "-3", "--out", str(tmp_path / "s"))
    assert result.exit_code == 2 and "-3" in result.output
    assert not (tmp_path / "s").exists()


def test_build_prints_a_readable_summary(sample_dir, tmp_path):
    folder = one_pdf_folder(sample_dir, tmp_path)
    (folder / "kaputt.pdf").write_bytes(b"<html>kein PDF</html>")
    data = tmp_path / "data"
    run("import-dir", str(folder), "--body", "ordner", "--data-dir", str(data))
    out = run("build", "--data-dir", str(data), "--workers", "1").output
    assert "build: database published: 2 papers, 2 files," in out
    assert "2 files extracted (1 failed);" in out
    assert "recorded failures: 1 not_pdf;" in out
    assert "prune: deleted 0 extracted PDFs" in out
    assert "=" not in out and "{" not in out


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path):
    import socket

    (tmp_path / "ratsdaten.db").write_bytes(b"")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port), "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and f"port {port} on 127.0.0.1 is already in use" in lines[0]


def test_docs_say_what_the_code_does():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "| `data/logs/` |" in readme
    build_help = " ".join(run("build", "--help").output.split())
    [help_ratio] = re.findall(r"about ([\d.]+)x", build_help)
    [readme_ratio] = re.findall(r"`pages_trigram`.*?about ([\d.]+) times", readme, re.S)
    assert help_ratio == readme_ratio
    trigram_sql = [q["sql"] for db in __import__("yaml").safe_load(
        (Path(__file__).resolve().parent.parent / "metadata.yml").read_text())["databases"]
        .values() for q in db.get("queries", {}).values() if "trigram" in q["sql"]]
    assert trigram_sql and not any("pages_trigram" in sql for sql in trigram_sql)
    assert "built only with\n  `build --trigram-pages`" in readme
    assert "Files from `import-dir` are never deleted" in readme


def test_file_store_serves_only_pdf_bytes(tmp_path, monkeypatch):
    from etl.site.files import FILES_ENV, stored_pdf
    monkeypatch.setenv(FILES_ENV, str(tmp_path))
    html, pdf = "a" * 64, "b" * 64
    for sha, body in ((html, b"<html>Fehler</html>"), (pdf, b"%PDF-1.7\n...")):
        (tmp_path / sha[:2] / sha[2:4]).mkdir(parents=True)
        (tmp_path / sha[:2] / sha[2:4] / f"{sha}.pdf").write_bytes(body)
    assert stored_pdf(html) is None
    assert stored_pdf(pdf) == tmp_path / "bb" / "bb" / f"{pdf}.pdf"
    assert stored_pdf("../" + pdf) is None
