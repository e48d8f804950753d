"""Datasette with this repository's metadata, plugins, templates and hardened settings.

The same settings serve tests (`datasette_instance`) and production (`serve_argv`).
"""

import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "metadata.yml"
PLUGINS = ROOT / "plugins"
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

SETTINGS = {
    "sql_time_limit_ms": 1500,
    "facet_time_limit_ms": 300,
    "suggest_facets": False,
    "max_returned_rows": 1000,
    "allow_download": True,
    "default_cache_ttl": 300,
    "num_sql_threads": 3,
}


def settings(public: bool = False) -> dict:
    result = dict(SETTINGS)
    if public:
        result["force_https_urls"] = True
    return result


def load_metadata() -> dict:
    with open(METADATA, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def datasette_instance(database: Path, public: bool = False):
    """An in-process Datasette exactly as `ratsdaten serve` configures it."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(database)], metadata=load_metadata(),
                     plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES),
                     static_mounts=[("static", str(STATIC))], settings=settings(public))


def serve_argv(database: Path, host: str, port: int, public: bool = False) -> list[str]:
    argv = [sys.executable, "-m", "datasette", "serve", "-i", str(database),
            "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS),
            "--template-dir", str(TEMPLATES), "--static", f"static:{STATIC}",
            "--host", host, "--port", str(port)]
    inspect = database.with_suffix(".inspect.json")
    if inspect.exists():
        argv += ["--inspect-file", str(inspect)]
    for name, item in settings(public).items():
        argv += ["--setting", name, _setting_text(item)]
    return argv


def _setting_text(item) -> str:
    if isinstance(item, bool):
        return "on" if item else "off"
    return str(item)


def serve_database(database: Path, host: str = "127.0.0.1", port: int = 8001,
                   public: bool = False) -> None:
    """Replace this process with the Datasette server (with the file store, if beside it)."""
    files = database.parent / "files"
    if files.is_dir():
        os.environ.setdefault("RATSDATEN_FILES", str(files.resolve()))
    argv = serve_argv(database, host, port, public)
    print(f"serving {database} on http://{host}:{port}/", file=sys.stderr, flush=True)
    os.execv(argv[0], argv)
