"""Fill a fresh database from the sync state: every row in a stable order."""

import json
from collections import defaultdict

from .. import EXTRACTOR_VERSION
from ..oparl.parse import as_list, paper_files
from ..state import unpack_result
from . import rows as R
from .money import submitter_kind
from .result_rows import paper_updates, result_rows
from .versions import version_rows

BATCH = 2000


class Writer:
    """Buffers rows per table and writes them in batches with upsert_all."""

    def __init__(self, db):
        self.db, self.buffers, self.counts = db, defaultdict(list), defaultdict(int)

    def add(self, table: str, rows: list[dict]) -> None:
        self.buffers[table].extend(rows)
        if len(self.buffers[table]) >= BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self.buffers):
            rows = self.buffers.pop(name, [])
            if rows:
                pk = self.db[name].pks
                self.db[name].upsert_all(rows, pk=pk[0] if len(pk) == 1 else pk)
                self.counts[name] += len(rows)


def objects(state, otype: str):
    """Objects of one type, oldest first: rowids then follow time, so FTS can list the newest
    matches first without ranking all of them."""
    query = ("select body, json from oparl_objects where type = :t "
             "order by coalesce(json_extract(json, '$.date'), modified, ''), id")
    for row in state.query(query, {"t": otype}):
        yield row["body"], json.loads(row["json"])


def load_all(db, state) -> dict:
    writer = Writer(db)
    for body in state.query("select * from bodies order by slug"):
        writer.add("bodies", [{"id": body["slug"], "name": body["name"], "oparl_id": body["url"],
                               "source": body["source"], "profile": body["profile"],
                               "licence": body["licence"], "website": None}])
    committees = _load_people_and_bodies(writer, state)
    stored = {r["file_id"]: r["sha256"]
              for r in state.query("select file_id, sha256 from stored_files")}
    item_consultations = _load_meetings(writer, state, stored)
    texts = _load_papers(writer, state, committees, stored)
    writer.flush()
    _link_agenda_items(db, item_consultations)
    papers = [dict(r) for r in db.query("select id, base_reference, version_suffix, date, "
                                        "document_kind from papers order by id")]
    writer.add("paper_versions", version_rows(papers, texts))
    _load_failures(writer, state)
    writer.flush()
    return table_counts(db)


def table_counts(db) -> dict[str, int]:
    """Rows as written (an upserted duplicate is one row), for build_info."""
    return {name: db[name].count for name in db.table_names()
            if name != "build_info" and not name.startswith(("papers_", "pages_", "sections_"))}


def _load_people_and_bodies(writer, state) -> dict[str, str]:
    committees = {}
    for body, obj in objects(state, "Organization"):
        row = R.organization_row(obj, body)
        committees[row["id"]] = row["name"]
        writer.add("organizations", [row])
    for body, obj in objects(state, "LegislativeTerm"):
        writer.add("legislative_terms", [R.term_row(obj, body)])
    for body, obj in objects(state, "Body"):  # OParl embeds the terms in the body
        writer.add("legislative_terms", [R.term_row(term, body) for term in
                                         as_list(obj.get("legislativeTerm"))
                                         if isinstance(term, dict) and R.ref_id(term)])
    for body, obj in objects(state, "Person"):
        writer.add("persons", [R.person_row(obj, body)])
        for membership in obj.get("membership") or []:
            if isinstance(membership, dict) and membership.get("id"):
                writer.add("memberships", [R.membership_row(membership, obj["id"])])
    for _body, obj in objects(state, "Membership"):
        writer.add("memberships", [R.membership_row(obj, None)])
    writer.flush()
    return committees


MEETING_FILES = ("invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile")


def _load_meetings(writer, state, stored: dict) -> list[tuple[str | None, str]]:
    """Meetings, their agenda items, and their own files (invitations, minutes);
    returns (consultation id, agenda item id) for the items whose paper is not known yet."""
    links = []
    for body, obj in objects(state, "Meeting"):
        writer.add("meetings", [R.meeting_row(obj, body)])
        items = R.agenda_item_rows(obj)
        writer.add("agenda_items", items)
        embedded = {i.get("id"): i for i in as_list(obj.get("agendaItem")) if isinstance(i, dict)}
        links += [(R.agenda_item_consultation(embedded.get(row["id"])), row["id"])
                  for row in items if row["paper_id"] is None]
        for role in MEETING_FILES:
            for item in as_list(obj.get(role)):
                if not (isinstance(item, dict) and item.get("id")) and not isinstance(item, str):
                    continue
                file_obj = item if isinstance(item, dict) else _file_object(state, item)
                file = R.file_row(file_obj, None, role)
                file.update(meeting_id=obj["id"], sha256=stored.get(file["id"]))
                result = _annotate_file(file, state)
                if result is not None:
                    for table, rows in result_rows(result, None, file["id"], False).items():
                        writer.add(table, rows)
                writer.add("files", [file])
    return links


def _link_agenda_items(db, links: list[tuple[str | None, str]]) -> None:
    """agenda_items.paper_id from the consultation (embedded in its paper) the item names,
    or from a consultation that names the item."""
    with db.conn:
        db.conn.executemany(
            "update agenda_items set paper_id = (select paper_id from consultations "
            "where id = ?) where id = ? and paper_id is null", [link for link in links if link[0]])
        db.execute("update agenda_items set paper_id = (select min(c.paper_id) from "
                   "consultations c where c.agenda_item_id = agenda_items.id) "
                   "where paper_id is null")


def _load_papers(writer, state, committees, stored: dict) -> dict[str, dict[str, str]]:
    """Papers with their files and extraction results; returns the texts to diff by paper."""
    texts = {}
    for body, obj in objects(state, "Paper"):
        paper = R.paper_row(obj, body)
        writer.add("consultations", R.consultation_rows(obj, committees))
        files = []
        for role, item in paper_files(obj):
            file_obj = item if isinstance(item, dict) else _file_object(state, item)
            file = R.file_row(file_obj, paper["id"], role)
            file["sha256"] = stored.get(file["id"])
            files.append((file, _annotate_file(file, state)))
        main = paper["main_file_id"] or _cover_sheet_file(files)
        paper["main_file_id"] = main
        for file, result in files:
            if result is not None:
                is_main = file["id"] == main
                for table, rows in result_rows(result, paper["id"], file["id"], is_main).items():
                    writer.add(table, rows)
                if is_main:
                    _merge_cover_sheet(paper, result)
                    texts[paper["id"]] = {
                        "resolution": " ".join(i["text"] for i in result["resolution_items"]),
                        "sections": " ".join(s["text"] for s in result["sections"])}
            writer.add("files", [file])
        paper["submitter_kind"] = submitter_kind(paper["submitted_by"], paper["document_kind"],
                                                 paper["reference"])
        writer.add("papers", [paper])
    return texts


def _cover_sheet_file(files: list) -> str | None:
    """Without a mainFile (Karlsruhe): the first file whose city profile found the form, then
    the first it recognised, else the first. A Karlsruhe Antrag lists the faction's text
    (recognised, no form) before the Stellungnahme that carries the form and its money."""
    recognised = [(file["id"], result) for file, result in files
                  if result is not None and result["file"]["profile"] != "generic"]
    for file_id, result in recognised:
        if _has_form(result["financial_impact"]):
            return file_id
    return recognised[0][0] if recognised else (files[0][0]["id"] if files else None)


def _has_form(fin: dict) -> bool:
    return fin.get("extra") is not None or fin.get("has_financial_impact") is not None


def _file_object(state, file_id: str) -> dict:
    row = state.execute("select json from oparl_objects where id = ?", [file_id]).fetchone()
    return json.loads(row[0]) if row else {"id": file_id}


def _annotate_file(file: dict, state) -> dict | None:
    """Fill the file's extraction columns; return the result when there is one."""
    file["status"] = "not_downloaded" if not file["sha256"] else "pending"
    if not file["sha256"]:
        return None
    row = state.execute("select result, failure_kind from extractions where sha256 = ? and "
                        "extractor_version = ?", [file["sha256"], EXTRACTOR_VERSION]).fetchone()
    if row is None:
        return None
    if row[1]:
        file.update(status="failed", failure_kind=row[1])
        return None
    result = unpack_result(row[0])
    info = result["file"]
    file.update(status="ok", pages=info["pages"], text_layer=int(info["text_layer"]),
                ocr_pages=R.dumps(info["ocr_pages"]), profile=info["profile"],
                warnings=R.dumps(info["warnings"]) if info["warnings"] else None)
    file["size"] = file["size"] or info["size"]
    return result


def _merge_cover_sheet(paper: dict, result: dict) -> None:
    for key, item in paper_updates(result).items():
        if item is not None and (paper.get(key) is None or key in ("document_kind", "profile")):
            paper[key] = item


def _load_failures(writer, state) -> None:
    query = """select s.file_id, s.body, s.sha256, s.url, e.failure_stage, e.failure_kind,
               e.failure_message, e.seconds, e.max_rss_mb from stored_files s
               join extractions e on e.sha256 = s.sha256 and e.extractor_version = :v
               where e.failure_kind is not null order by s.file_id"""
    for r in state.query(query, {"v": EXTRACTOR_VERSION}):
        writer.add("failures", [{"id": f"extract:{r['file_id']}", "body_id": r["body"],
                                 "file_id": r["file_id"], "sha256": r["sha256"], "url": r["url"],
                                 "stage": r["failure_stage"], "kind": r["failure_kind"],
                                 "message": r["failure_message"], "seconds": r["seconds"],
                                 "max_rss_mb": r["max_rss_mb"]}])
    for r in state.query("select * from fetch_failures order by url"):
        writer.add("failures", [{"id": f"fetch:{r['url']}", "body_id": r["body"],
                                 "file_id": None, "sha256": None, "url": r["url"],
                                 "stage": "fetch", "kind": r["kind"], "message": r["message"],
                                 "seconds": None, "max_rss_mb": None}])


