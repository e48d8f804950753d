"""`ratsdaten demo`: the sample council through the real pipeline, then served."""

from pathlib import Path

import click

from .db.build import build, build_line
from .oparl.sync import sync_body
from .pdf.sandbox import Limits
from .samples.council import write_sample
from .samples.oparl_server import serve_folder
from .serve import serve_database
from .state import open_state

SAMPLE_SLUG = "beispielrat"
# A fixed port keeps the OParl ids (URLs) of the sample, and so the database, stable.
SAMPLE_PORT = 8787


def prepare_demo(data_dir: Path, progress: bool = True, oparl_port: int = SAMPLE_PORT) -> dict:
    """Generate the sample, sync it from a local OParl server and build the database."""
    sample = data_dir / "sample"
    info = write_sample(sample)
    click.echo(f"sample council: {info['papers']} papers in {sample}", err=True)
    server = serve_folder(sample, port=oparl_port)
    try:
        state = open_state(data_dir)
        synced = sync_body(state, data_dir, {"slug": SAMPLE_SLUG, "url": server.body_url,
                                             "name": "Beispielrat (generiert)", "delay": 0,
                                             "licence": "CC0 (generierte Beispieldaten)"},
                           progress=progress)
    finally:
        server.stop()
    click.echo(f"synced: {synced}", err=True)
    summary = build(state, data_dir, Limits(), progress=progress)
    click.echo(build_line(summary), err=True)
    return summary


def run_demo(data_dir: Path, port: int = 8001, serve: bool = True) -> None:
    prepare_demo(data_dir)
    if serve:
        serve_database(data_dir / "ratsdaten.db", port=port)
