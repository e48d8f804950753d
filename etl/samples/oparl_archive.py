"""Serve a stored OParl archive (such as shared/corpus/karlsruhe) from the local server.

The archive's own URLs are rewritten to the local server, and File downloads
are rendered on the fly from the archived extracted text (etl/samples/textpdf).
"""

import gzip
import json
from pathlib import Path

from .oparl_store import ObjectStore
from .textpdf import text_to_pdf

V = "https://schema.oparl.org/1.1/"


def _open(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(
        path, encoding="utf-8")


def _rewrite(obj: dict, prefix: str) -> dict:
    return json.loads(json.dumps(obj).replace(prefix, "{base}/body/1"))


def load_archive(folder: Path, prefix: str, name: str, limit: int | None = None,
                 with_texts: bool = True, total: int = 14004) -> ObjectStore:
    """Papers (all, or `limit` spread evenly over the archive), their meetings and
    organizations, and the texts of their files."""
    store = ObjectStore()
    store.add({"id": "{base}/system", "type": V + "System", "oparlVersion": V, "name": name,
               "body": "{base}/bodies"})
    store.add({"id": "{base}/body/1", "type": V + "Body", "system": "{base}/system",
               "name": name, "organization": "{base}/body/1/organizations",
               "person": "{base}/body/1/persons", "meeting": "{base}/body/1/meetings",
               "paper": "{base}/body/1/papers"})
    papers: list[dict] = []
    step = max(1, total // limit) if limit else 1
    with _open(folder / "papers.jsonl.gz") as fh:
        for index, line in enumerate(fh):
            if index % step == 0 and (not limit or len(papers) < limit):
                papers.append(_rewrite(json.loads(line), prefix))
    wanted_meetings = {c.get("meeting") for p in papers for c in p.get("consultation") or []
                       if isinstance(c, dict)}
    for paper in papers:
        store.add(paper)
    with _open(folder / "meetings.jsonl.gz") as fh:
        for line in fh:
            meeting = _rewrite(json.loads(line), prefix)
            if not limit or meeting["id"] in wanted_meetings:
                store.add(meeting)
    for org in json.loads((folder / "organizations.json").read_text(encoding="utf-8")):
        store.add(_rewrite(org, prefix))
    if with_texts:
        _attach_texts(store, folder / "file_texts.jsonl.gz", prefix)
    return store


def _attach_texts(store: ObjectStore, path: Path, prefix: str) -> None:
    """Each File's download renders its archived text; only files the store knows."""
    wanted = {_download_key(f) for f in store.by_type.get("File", [])}
    with _open(path) as fh:
        for line in fh:
            record = json.loads(line)
            key = _download_key(_rewrite({"downloadUrl": record.get("downloadUrl", "")}, prefix))
            if key in wanted and record.get("text"):
                store.files[key] = _renderer(record["text"])


def _download_key(file_obj: dict) -> str:
    url = file_obj.get("downloadUrl") or file_obj.get("accessUrl") or ""
    return url.rsplit("/", 1)[-1].removesuffix(".pdf")


def _renderer(text: str):
    return lambda: text_to_pdf(text)
