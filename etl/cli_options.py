"""Options several `ratsdaten` commands share."""

import os
from pathlib import Path

import click

DATA_DIR = click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path),
                        default=lambda: os.environ.get("RATSDATEN_DATA", "data"),
                        show_default="data (or $RATSDATEN_DATA)",
                        help="Where state.db, the file store and ratsdaten.db live.")

STORE = click.option("--store", required=True, envvar="RATSDATEN_STORE", show_envvar=True,
                     help="dir:PATH (a local folder; a plain path is one too) or gh:OWNER/REPO@TAG "
                          "(a GitHub release); other schemes are refused.")
