"""The operator's commands: `state` (the durable store of state.db and the published
database) and `nightly` (one unattended night)."""

import os

import click

from .cli_options import DATA_DIR, STORE
from .errors import UserError


@click.group()
def state():
    """Save and restore data/state.db in a durable store; ship the database.

    \b
    Example:
        ratsdaten state push --store gh:ratsdaten/ratsdaten@ratsdaten-state
        ratsdaten state pull --store dir:/mnt/backup/ratsdaten
    """


def _in_store(action, store: str, data_dir, **options):
    """Run `action(data_dir, store)`; a store's problem ends as one line."""
    from .statestore import StoreError, open_store

    try:
        return action(data_dir, open_store(store), **options)
    except StoreError as exc:
        raise UserError(str(exc)) from None


@state.command("push")
@STORE
@DATA_DIR
def state_push(store, data_dir):
    """Upload a consistent, gzipped, checksummed copy of state.db (manifest written last).

    \b
    Example:
        ratsdaten state push --store dir:/mnt/backup/ratsdaten
    """
    from .statestore import push_state

    manifest = _in_store(push_state, store, data_dir)
    click.echo(f"pushed {manifest['object']} ({manifest['size']} bytes) to {store}")


@state.command("pull")
@STORE
@click.option("--allow-empty", is_flag=True, help="An empty store is fine (the first night).")
@DATA_DIR
def state_pull(store, allow_empty, data_dir):
    """Restore state.db from the store after checking size, sha256 and integrity;
    a missing or damaged copy is an error and the local state stays as it is.

    \b
    Example:
        ratsdaten state pull --store gh:ratsdaten/ratsdaten@ratsdaten-state --allow-empty
    """
    from .statestore import pull_state

    result = _in_store(pull_state, store, data_dir, allow_empty=allow_empty)
    click.echo(f"pull: {result['status']}")


@state.command("publish-db")
@STORE
@DATA_DIR
def state_publish_db(store, data_dir):
    """Upload ratsdaten.db (gzipped, under its fingerprint) and database.json for machines
    that fetch the data on start (see scripts/start).

    \b
    Example:
        ratsdaten state publish-db --store gh:ratsdaten/ratsdaten@ratsdaten-db
    """
    from .dbship import publish_db

    manifest = _in_store(publish_db, store, data_dir)
    click.echo(f"published {manifest['object']} ({manifest['size']} bytes) to {store}")


@state.command("fetch-db")
@click.option("--source", required=True, envvar="RATSDATEN_DB_URL", show_envvar=True,
              help="URL of the published database.json, or a local store folder.")
@DATA_DIR
def state_fetch_db(source, data_dir):
    """Fetch the published database into DATA_DIR when its fingerprint changed (checked,
    swapped in atomically, the old copy kept as ratsdaten.db.previous).

    \b
    Example:
        ratsdaten state fetch-db --source dir:/mnt/backup/ratsdaten
    """
    from .dbship import fetch_db
    from .statestore import StoreError

    try:
        result = fetch_db(source, data_dir)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"fetch-db: {result['status']} {result['fingerprint'][:12]}")


@click.command()
@click.argument("bodies", nargs=-1, required=True)
@STORE
@click.option("--deploy-command", metavar="CMD",
              help="Run when the content fingerprint changed (gets $RATSDATEN_DB, "
                   "$RATSDATEN_FINGERPRINT); the fingerprint is kept only if it succeeds.")
@click.option("--allow-empty-store", is_flag=True, help="The first night: no state yet.")
@click.option("--keep-files", is_flag=True, help="Do not prune the extracted PDFs.")
@click.option("--workers", type=int, default=os.cpu_count() or 1, show_default=True)
@click.option("--sync-minutes", type=float,
              help="Start no new download after this long; the rest waits for the next night "
                   "(a first sync of a big city takes several nights).")
@DATA_DIR
def nightly(bodies, store, deploy_command, allow_empty_store, keep_files, workers,
            sync_minutes, data_dir):
    """One night: pull the state, sync BODIES, build, prune, deploy if the data changed,
    push the state. Exits 1 when any step failed (the others still ran).

    \b
    Example:
        ratsdaten nightly leipzig karlsruhe --store gh:ratsdaten/ratsdaten@ratsdaten-state \\
            --deploy-command scripts/deploy-fly
    """
    from .nightly import Night, run_night
    from .statestore import StoreError, open_store

    try:
        target = open_store(store)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    report = run_night(Night(data_dir, target, list(bodies), deploy_command, keep_files,
                             allow_empty_store, {"limits": {"workers": workers}},
                             sync_minutes=sync_minutes))
    if report["problems"]:
        raise UserError("the night failed: " + "; ".join(report["problems"]))
    click.echo(f"nightly: done in {report['seconds']} s")
