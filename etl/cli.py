"""The `ratsdaten` command line."""

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .cli_night import nightly, state
from .cli_options import DATA_DIR
from .errors import UserError
from .pdf.failures import FAILURE_KINDS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ratsdaten")
def cli():
    """ratsdaten: German council papers as one searchable SQLite database.

    OParl API or a folder of PDFs -> extraction of the cover-sheet form and
    text -> data/ratsdaten.db -> Datasette.

    \b
    Example:
        ratsdaten import-dir ~/pdfs --body erlangen
        ratsdaten build
        ratsdaten serve
    """


@cli.command()
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--profile", help="Layout profile to use instead of the automatic choice.")
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer.")
@click.option("--no-tables", is_flag=True, help="Skip the table pass (camelot).")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds before giving up.")
def extract(pdf, profile, no_ocr, no_tables, timeout):
    """Print the extraction result (JSON contract) for one PDF.

    The file is read in a sandboxed worker with a time and memory limit; a long
    scan is OCRed page by page, each page with that limit.

    \b
    Example:
        ratsdaten extract VI-A-05385-NF-02.pdf > result.json
    """
    from .pdf.jobs import MemoryPages, extract_files, local_executor
    from .pdf.sandbox import Limits
    from .profiles import PROFILES

    if not pdf.is_file():
        raise UserError(f"no such file: {pdf}")
    if profile and profile not in PROFILES:
        raise UserError(f"unknown profile {profile!r}; known: {', '.join(sorted(PROFILES))}")
    limits = Limits(timeout=timeout, workers=1)
    executor = local_executor(limits, words=profile != "generic")  # generic reads no form
    [(_key, outcome)] = extract_files([("file", pdf, profile)], limits, executor,
                                      MemoryPages(), tables=not no_tables, ocr=not no_ocr)
    if "failure" in outcome:
        failure = outcome["failure"]
        raise UserError(f"{pdf}: {failure['kind']}: {failure['message']}")
    click.echo(json.dumps(outcome["result"], ensure_ascii=False, indent=1))


@cli.command("import-dir")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--body", "slug", required=True, help="Short name for this body, e.g. erlangen.")
@click.option("--name", help="Display name of the body (default: the slug).")
@click.option("--profile", help="Layout profile for its documents (default: automatic).")
@DATA_DIR
def import_dir_cmd(folder, slug, name, profile, data_dir):
    """Register a folder of PDFs as a body (each PDF becomes one paper).

    Files are copied into the content-addressed store; running it again only
    adds what is new or changed.

    \b
    Example:
        ratsdaten import-dir ../shared/corpus/erlangen --body erlangen --name "Erlangen"
    """
    from .importdir import find_pdfs, import_dir, slug_problem
    from .profiles import PROFILES
    from .progress import Progress
    from .state import open_state

    if not folder.is_dir():
        raise UserError(f"no such folder: {folder}")
    if profile and profile not in PROFILES:
        raise UserError(f"unknown profile {profile!r}; known: {', '.join(sorted(PROFILES))}")
    state_db = open_state(data_dir)
    problem = slug_problem(state_db, slug)
    if problem:
        raise UserError(f"--body {slug!r}: {problem}")
    links: list[Path] = []
    total = len(find_pdfs(folder, links))
    if not total:
        left_out = (f" ({len(links)} symbolic links or files outside it left out: link "
                    "targets are not imported, copy the files in)") if links else ""
        raise UserError(f"no PDF files in {folder}{left_out}")
    bar = Progress(total, f"importing {slug}")
    counts = import_dir(state_db, data_dir, folder, slug, name, profile, bar)
    bar.close()
    for link in counts["links"]:
        click.echo(f"skipped {link}: a symbolic link or outside the folder", err=True)
    for relpath in counts["not_pdf"]:
        click.echo(f"skipped {relpath}: not a PDF (no %PDF- header); build records it as not_pdf",
                   err=True)
    click.echo(f"{slug}: {counts['files']} PDFs ({counts['new']} new or changed)")


@cli.command()
@click.argument("body")
@click.option("--full", is_flag=True, help="Ignore the saved position and crawl everything.")
@click.option("--no-files", is_flag=True, help="Only metadata, do not download files.")
@click.option("--delay", type=float, help="Seconds between requests (default: from bodies.yml).")
@click.option("--concurrency", type=int,
              help="Parallel file downloads (default: from bodies.yml, else 1).")
@DATA_DIR
def sync(body, full, no_files, delay, concurrency, data_dir):
    """Pull a body's OParl data and files into data/state.db and the file store.

    BODY is a slug from bodies.yml or an OParl body or system URL. Runs after
    the first are incremental (modified_since).

    \b
    Example:
        ratsdaten sync karlsruhe
        ratsdaten sync http://127.0.0.1:8787/oparl/v1.1/body/1
    """
    from .oparl.sync import resolve_body, sync_body
    from .state import open_state

    try:
        config = resolve_body(body)
    except KeyError as exc:
        raise UserError(str(exc.args[0])) from None
    if delay is not None:
        config["delay"] = delay
    if concurrency is not None:
        if concurrency < 1:
            raise UserError("--concurrency must be at least 1")
        config["concurrency"] = concurrency
    summary = sync_body(open_state(data_dir), data_dir, config, full=full,
                        files=not no_files)
    if "body_failure" in summary:
        raise UserError(f"sync {config['slug']}: {summary['body_failure']} (recorded in "
                        "fetch_failures; nothing stored was changed)")
    click.echo(_summary_line(config["slug"], summary))


@cli.command()
@click.option("--workers", type=int, default=os.cpu_count() or 1, show_default=True,
              help="Parallel extraction workers.")
@click.option("--timeout", default=60.0, show_default=True,
              help="Seconds per file and per scanned page (a timeout is retried once, "
                   "alone, with 3x the time).")
@click.option("--memory-mb", default=2048, show_default=True, help="Memory cap per worker.")
@click.option("--no-tables", is_flag=True,
              help="Skip camelot's table pass (it runs only on pages with ruling lines).")
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="Extract on a Dask distributed cluster (needs ratsdaten[cluster]).")
@click.option("--trigram-pages", is_flag=True,
              help="Also index page text by trigrams (finds word parts; about 1.8x the "
                   "page text; no canned query uses it).")
@click.option("--force", is_flag=True, help="Publish again even when nothing changed.")
@click.option("--keep-files", is_flag=True,
              help="Keep the downloaded PDFs (default: delete those extracted successfully; "
                   "their results stay in state.db and a new extractor downloads them again).")
@click.option("--retry-failed", metavar="[KIND]", is_flag=False, flag_value="all",
              type=click.Choice(["all", *FAILURE_KINDS]),
              help="Read failed files again first: all, or one failure class (e.g. timeout).")
@DATA_DIR
def build(workers, timeout, memory_mb, no_tables, scheduler, trigram_pages, force, keep_files,
          retry_failed,
          data_dir):
    """Extract what is new or changed and publish data/ratsdaten.db.

    Files already extracted by this extractor version are not read again.
    The database is written beside the old one and swapped in atomically.

    \b
    Example:
        ratsdaten build --workers 2
        ratsdaten build --scheduler tcp://10.0.0.5:8786
        ratsdaten build --retry-failed timeout
    """
    from .db.build import build as run_build
    from .db.build import build_line
    from .pdf.sandbox import Limits
    from .state import open_state

    if not (data_dir / "state.db").exists():
        raise UserError(f"nothing to build in {data_dir}: run sync or import-dir first")
    limits = Limits(timeout=timeout, memory=memory_mb * 1024 * 1024, workers=workers)
    if scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UserError(
                "--scheduler needs the cluster extra: pip install 'ratsdaten[cluster]'") from None
    summary = run_build(open_state(data_dir), data_dir, limits, tables=not no_tables,
                        scheduler=scheduler, full_text_trigram=trigram_pages, force=force,
                        retry_failed=retry_failed)
    click.echo(build_line(summary))
    if not keep_files:
        from .prune import prune_files
        click.echo(prune_line(prune_files(open_state(data_dir), data_dir)))
    if summary["systemic"]:
        raise UserError("more than 20 % of the new files failed: look at the failures table")


@cli.command()
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--public", is_flag=True, help="Production settings behind an HTTPS proxy.")
@DATA_DIR
def serve(port, host, public, data_dir):
    """Serve data/ratsdaten.db with Datasette, this project's metadata, plugins, templates.

    \b
    Example:
        ratsdaten serve --port 8001
    """
    from .serve import port_in_use, serve_database

    database = data_dir / "ratsdaten.db"
    if not database.exists():
        raise UserError(f"{database} does not exist: run `ratsdaten build` first")
    if port_in_use(host, port):
        raise UserError(f"port {port} on {host} is already in use: stop that server or "
                        "choose another with --port")
    serve_database(database, host=host, port=port, public=public)


@cli.command("sample")
@click.option("--seed", default=2018, show_default=True)
@click.option("--papers", default=40, show_default=True, type=click.IntRange(min=1))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data/sample"), show_default=True)
def sample_cmd(seed, papers, out):
    """Generate the sample council: Leipzig-style PDFs plus their OParl JSON.

    \b
    Example:
        ratsdaten sample --seed 7 --out /tmp/council
    """
    from .samples.council import write_sample

    info = write_sample(out, seed=seed, papers=papers)
    click.echo(f"sample council: {info['papers']} papers, {info['files']} PDFs in {out}")


@cli.command()
@click.option("--port", default=8001, show_default=True)
@click.option("--no-serve", is_flag=True, help="Build only, do not start the server.")
@DATA_DIR
def demo(port, no_serve, data_dir):
    """Generate the sample council, sync it from a local OParl server, build and serve it.

    \b
    Example:
        ratsdaten demo          # then open http://127.0.0.1:8001
    """
    from .demo import run_demo

    run_demo(data_dir, port=port, serve=not no_serve)


def prune_line(summary: dict) -> str:
    return (f"prune: deleted {summary['pruned_files']} extracted PDFs "
            f"({summary['pruned_mb']} MB); file store now {summary['file_store_mb']} MB")


def _summary_line(label: str, summary: dict) -> str:
    parts = [f"{k}={v}" for k, v in summary.items() if k != "systemic"]
    return f"{label}: " + " ".join(parts)


cli.add_command(state)
cli.add_command(nightly)


def main():  # pragma: no cover - console entry for python -m etl.cli
    cli(prog_name="ratsdaten")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
