"""The same extraction (file jobs and a scan's page jobs) on a Dask LocalCluster on 127.0.0.1."""

import pytest
from click.testing import CliRunner

from etl.cli import cli
from etl.samples.scan import numbered_pages_pdf, rasterize

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")


@pytest.fixture(scope="module")
def cluster():
    import dask

    with dask.config.set({"distributed.worker.daemon": False}):
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as local:
            yield local


@pytest.mark.slow  # 5 s
def test_build_on_a_cluster_equals_a_local_build(cluster, sample_dir, tmp_path):
    import sqlite_utils

    folder = tmp_path / "pdfs"
    folder.mkdir()
    for name in ("0001.pdf", "0002.pdf", "0003.pdf", "0004.pdf"):
        (folder / name).write_bytes((sample_dir / "files" / name).read_bytes())
    (folder / "kaputt.pdf").write_bytes(b"<html>kein PDF</html>")  # 1 of 6: exit 0
    (folder / "scan.pdf").write_bytes(rasterize(numbered_pages_pdf(6), dpi=150, seed=6))
    runner = CliRunner()
    dumps = []
    for target, extra in (("local", []), ("cluster", ["--scheduler", cluster.scheduler_address])):
        data = tmp_path / target
        runner.invoke(cli, ["import-dir", str(folder), "--body", "b", "--data-dir", str(data)])
        result = runner.invoke(cli, ["build", "--data-dir", str(data)] + extra)
        assert result.exit_code == 0, result.output
        # the scan's pages were jobs of their own
        assert "; 6 pages OCRed as page jobs;" in result.output
        db = sqlite_utils.Database(data / "ratsdaten.db")
        dumps.append((list(db.query("select id, number, text from pages order by id")),
                      list(db.query("select kind from failures"))))
    assert dumps[0] == dumps[1]
    assert dumps[1][1] == [{"kind": "not_pdf"}]
    assert len(dumps[1][0]) > 15
    assert sum("Seite" in page["text"] for page in dumps[1][0]) == 6
