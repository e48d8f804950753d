"""Datasette with this repository's metadata, plugins, templates and hardened settings.

The same settings serve tests (`datasette_instance`) and production (`serve_argv`).
"""

import os
import resource
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "metadata.yml"
PLUGINS = ROOT / "plugins"
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"

# fly.toml names a 512 MB machine: the server's address space stays below it with room for
# the kernel and fly's init, so too much memory fails one request instead of the machine.
MEMORY_CEILING_MB = 440
SETTINGS = {
    "sql_time_limit_ms": 1500,
    "facet_time_limit_ms": 300,
    "suggest_facets": False,
    "max_returned_rows": 1000,
    "allow_download": True,
    "default_cache_ttl": 300,
    "num_sql_threads": 3,
    "max_csv_mb": 0,  # plugins/limits_response.py cuts every response, in German
}


def settings(public: bool = False) -> dict:
    result = dict(SETTINGS)
    if public:  # behind fly's proxy: HTTPS, and Fly-Client-IP set by it (plugins/limits_sql.py)
        result["force_https_urls"] = True
    return result


def load_metadata() -> dict:
    with open(METADATA, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def datasette_instance(database: Path, public: bool = False, metadata: dict | None = None):
    """An in-process Datasette exactly as `ratsdaten serve` configures it."""
    from datasette.app import Datasette

    return Datasette(immutables=[str(database)], metadata=metadata or load_metadata(), cors=True,
                     plugins_dir=str(PLUGINS), template_dir=str(TEMPLATES),
                     static_mounts=[("static", str(STATIC))], settings=settings(public))


def serve_argv(database: Path, host: str, port: int, public: bool = False) -> list[str]:
    argv = [sys.executable, "-m", "datasette", "serve", "-i", str(database),
            "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS),
            "--template-dir", str(TEMPLATES), "--static", f"static:{STATIC}",
            "--host", host, "--port", str(port),
            "--cors"]  # notebooks on other origins read the JSON; the site has no logins
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


def limit_memory(megabytes: int | None = None) -> int:
    """Cap this process's (and an exec'd successor's) address space; returns the cap in MB.
    RATSDATEN_MEMORY_MB overrides it for a bigger machine."""
    megabytes = megabytes or int(os.environ.get("RATSDATEN_MEMORY_MB") or MEMORY_CEILING_MB)
    # Address space, not only memory, counts: glibc reserves 64 MB per extra malloc arena,
    # and OpenBLAS (numpy, imported by Datasette's vendored pint) a buffer per thread.
    os.environ.setdefault("MALLOC_ARENA_MAX", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 2**20
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit // 2**20


def port_in_use(host: str, port: int) -> bool:
    """Checked before starting, so a busy port is one line instead of uvicorn's traceback."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False  # uvicorn reports a bad host itself
    family, _type, _proto, _name, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError:
            return True
    return False


def serve_database(database: Path, host: str = "127.0.0.1", port: int = 8001,
                   public: bool = False) -> None:
    """Replace this process with the Datasette server (with the file store, if beside it)."""
    files = database.parent / "files"
    if files.is_dir():
        os.environ.setdefault("RATSDATEN_FILES", str(files.resolve()))
    argv = serve_argv(database, host, port, public)
    ceiling = limit_memory()
    print(f"serving {database} on http://{host}:{port}/ (memory ceiling {ceiling} MB)",
          file=sys.stderr, flush=True)
    os.execv(argv[0], argv)
