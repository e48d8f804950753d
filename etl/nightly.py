"""`ratsdaten nightly`: one night of operation, the same steps in the workflow and the
rehearsal – pull the state, sync every body, build, prune, deploy only when the content
fingerprint changed, push the state.

Every step reports one line; a failing body or a failing deploy does not stop the other
steps, the state is pushed whatever happened after the pull, and the night ends non-zero
when anything failed, so the workflow run turns red and says which step it was.
"""

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from .db.fingerprint import fingerprint
from .statestore import StoreError, pull_state, push_state

PULLED = "night-pulled"  # the workflow pushes after a cut-off night only when it exists


@dataclass
class Night:
    data_dir: Path
    store: object
    bodies: list[str]
    deploy_command: str | None = None
    keep_files: bool = False
    allow_empty_store: bool = False
    build_options: dict = field(default_factory=dict)
    sync_minutes: float | None = None  # after this, no new download starts (next night)
    problems: list[str] = field(default_factory=list)
    report: dict = field(default_factory=dict)


def step(night: Night, name: str, line: str) -> None:
    night.report[name] = line
    click.echo(f"nightly {name}: {line}", err=True)


def run_night(night: Night) -> dict:
    """All steps; returns the report (step -> line) with `problems` listing what failed."""
    started = time.monotonic()
    night.data_dir.mkdir(parents=True, exist_ok=True)
    marker = night.data_dir / PULLED
    marker.unlink(missing_ok=True)
    try:
        pulled = pull_state(night.data_dir, night.store, allow_empty=night.allow_empty_store)
    except StoreError as exc:
        night.problems.append(f"pull: {exc}")
        step(night, "pull", f"FAILED: {exc}")
        return _finish(night, started)  # without the state, syncing would start over
    marker.touch()  # a night cut off after this may push what it has (the workflow does)
    step(night, "pull", pulled["status"])
    try:
        _sync_all(night)
        built = _build(night)
        if built:
            _deploy_if_changed(night)
    finally:
        _push(night)
    return _finish(night, started)


def _sync_all(night: Night) -> None:
    from .oparl.sync import resolve_body, sync_body
    from .state import open_state

    stop_at = time.monotonic() + 60 * night.sync_minutes if night.sync_minutes else None
    for body in night.bodies:
        try:
            config = dict(resolve_body(body), stop_at=stop_at)
        except KeyError as exc:
            night.problems.append(f"sync {body}: {exc.args[0]}")
            step(night, f"sync {body}", f"FAILED: {exc.args[0]}")
            continue
        summary = sync_body(open_state(night.data_dir), night.data_dir, config)
        label = f"sync {config['slug']}"
        if "body_failure" in summary:
            night.problems.append(f"{label}: {summary['body_failure']}")
        step(night, label, " ".join(f"{k}={v}" for k, v in summary.items()))


def _build(night: Night) -> bool:
    from .db.build import build
    from .pdf.sandbox import Limits
    from .prune import prune_files
    from .state import open_state

    if not (night.data_dir / "state.db").exists():
        night.problems.append("build: nothing synced")
        step(night, "build", "FAILED: nothing synced")
        return False
    options = dict(night.build_options)
    limits = Limits(**options.pop("limits", {}))
    state = open_state(night.data_dir)
    summary = build(state, night.data_dir, limits, **options)
    step(night, "build", " ".join(f"{k}={v}" for k, v in summary.items() if k != "systemic"))
    if summary["systemic"]:
        night.problems.append("build: more than 20 % of the new files failed")
    if not night.keep_files:
        step(night, "prune", " ".join(f"{k}={v}" for k, v in
                                       prune_files(state, night.data_dir).items()))
    return True


def _deploy_if_changed(night: Night) -> None:
    database = night.data_dir / "ratsdaten.db"
    marker = night.data_dir / "fingerprint.txt"
    new = _fingerprint(database)
    old = marker.read_text().strip() if marker.is_file() else None
    if new == old:
        step(night, "deploy", f"skipped: fingerprint unchanged ({new[:12]})")
        return
    if not night.deploy_command:
        step(night, "deploy", f"data changed ({new[:12]}), no deploy command given")
        return
    env = dict(os.environ, RATSDATEN_DB=str(database.resolve()), RATSDATEN_FINGERPRINT=new,
               RATSDATEN_DATA=str(night.data_dir.resolve()))
    done = subprocess.run(night.deploy_command, shell=True, env=env)
    if done.returncode != 0:
        night.problems.append(f"deploy: `{night.deploy_command}` exited {done.returncode}")
        step(night, "deploy", f"FAILED (exit {done.returncode}); the fingerprint is not "
                              "updated, so the next night deploys again")
        return
    marker.write_text(new + "\n")
    step(night, "deploy", f"deployed {new[:12]} (was {(old or 'none')[:12]})")


def _fingerprint(database: Path) -> str:
    """The content fingerprint, remembered per build signature: hashing a database of
    several GB takes minutes, and most nights publish nothing new."""
    from .db.build import published_signature

    signature = published_signature(database)
    cache = database.with_name(database.name + ".fingerprint")
    if signature and cache.is_file():
        known, _, value = cache.read_text().strip().partition(" ")
        if known == signature and value:
            return value
    value = fingerprint(database)
    if signature:
        cache.write_text(f"{signature} {value}\n")
    return value


def _push(night: Night) -> None:
    if not (night.data_dir / "state.db").exists():
        return
    try:
        manifest = push_state(night.data_dir, night.store)
    except StoreError as exc:
        night.problems.append(f"push: {exc}")
        step(night, "push", f"FAILED: {exc}")
        return
    step(night, "push", f"{manifest['object']} ({manifest['size'] / 1024**2:.1f} MB "
                        f"packed, {manifest['raw_size'] / 1024**2:.1f} MB state.db)")


def _finish(night: Night, started: float) -> dict:
    night.report["seconds"] = round(time.monotonic() - started, 1)
    night.report["problems"] = night.problems
    return night.report
