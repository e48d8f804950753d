"""Write the sample council: PDFs, OParl 1.1 JSON describing them, and the truth.

Layout of the output folder:
    files/<file id>.pdf      the rendered papers
    oparl/<Type>.jsonl       OParl objects, ids starting with "{base}" (the server's URL)
    truth.json               what each PDF shows, in the extraction contract's terms
"""

import hashlib
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .papers import generate_papers
from .render import render_paper
from .vocabulary import COMMITTEES, SUBMITTERS_FACTIONS

V = "https://schema.oparl.org/1.1/"
BASE = "{base}"
BODY = f"{BASE}/body/1"
BERLIN = ZoneInfo("Europe/Berlin")
PERSONS = ["Anna Müller", "Jörg Weiß", "Dr. Sabine Krüger", "Thomas Schäfer",
           "Fatma Yıldız", "Peter Groß"]


def local_time(day: str, clock: str = "09:00") -> str:
    """An OParl date-time in Berlin's offset of that day (+02:00 in summer, +01:00 in winter)."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BERLIN).isoformat()


def _slug(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def organizations() -> list[dict]:
    orgs = [{"id": f"{BASE}/organization/gr-{_slug(name)}", "type": V + "Organization",
             "body": BODY, "name": name, "shortName": short, "organizationType": "Gremium",
             "classification": "Ausschuss" if name.startswith("FA") else "Gremium",
             "created": local_time("2019-08-01"), "modified": local_time("2019-08-01")}
            for name, short in COMMITTEES]
    orgs += [{"id": f"{BASE}/organization/fr-{_slug(name)}", "type": V + "Organization",
              "body": BODY, "name": name, "organizationType": "Fraktion",
              "classification": "Fraktion", "created": local_time("2019-08-01"),
              "modified": local_time("2019-08-01")} for name in SUBMITTERS_FACTIONS]
    return orgs


def persons() -> list[dict]:
    rows = []
    for i, name in enumerate(PERSONS):
        faction = SUBMITTERS_FACTIONS[i % len(SUBMITTERS_FACTIONS)]
        given, family = name.replace("Dr. ", "").split(" ", 1)
        pid = f"{BASE}/person/{i + 1}"
        rows.append({"id": pid, "type": V + "Person", "body": BODY, "name": name,
                     "givenName": given, "familyName": family,
                     "created": local_time("2019-08-01"), "modified": local_time("2019-08-01"),
                     "membership": [{"id": f"{pid}/membership/1", "type": V + "Membership",
                                     "person": pid, "role": "Mitglied", "votingRight": True,
                                     "organization": f"{BASE}/organization/fr-{_slug(faction)}",
                                     "startDate": "2019-08-01"}]})
    return rows


def file_object(paper_id: str, file_id: str, name: str, data: bytes, when: str) -> dict:
    return {"id": f"{BASE}/file/{file_id}", "type": V + "File", "name": "Vorlage-Sammeldokument",
            "fileName": name, "mimeType": "application/pdf", "size": len(data),
            "sha512Checksum": hashlib.sha512(data).hexdigest(),
            "accessUrl": f"{BASE}/download/{file_id}.pdf",
            "downloadUrl": f"{BASE}/download/{file_id}.pdf",
            "date": when, "created": local_time(when), "modified": local_time(when),
            "paper": [paper_id]}


def paper_object(spec: dict, index: int, file_obj: dict, meetings: dict) -> dict:
    pid = f"{BASE}/paper/{index + 1}"
    consultations = []
    for n, row in enumerate(spec["consultations"]):
        org = f"{BASE}/organization/gr-{_slug(row['committee'])}"
        meeting = meetings.setdefault((row["committee"], row["date"]), {
            "id": f"{BASE}/meeting/{_slug(row['committee'] + row['date'])}",
            "type": V + "Meeting", "name": row["committee"], "organization": [org],
            "start": local_time(row["date"], "16:00"), "agendaItem": [],
            "modified": local_time(row["date"])})
        item_id = f"{meeting['id']}/item/{len(meeting['agendaItem']) + 1}"
        meeting["agendaItem"].append({"id": item_id, "type": V + "AgendaItem",
                                      "meeting": meeting["id"],
                                      "number": str(len(meeting["agendaItem"]) + 1),
                                      "order": len(meeting["agendaItem"]) + 1,
                                      "name": spec["title"], "public": True,
                                      "consultation": f"{pid}/consultation/{n + 1}"})
        consultations.append({"id": f"{pid}/consultation/{n + 1}", "type": V + "Consultation",
                              "paper": pid, "meeting": meeting["id"], "agendaItem": item_id,
                              "organization": [org], "role": row["role"],
                              "authoritative": row["role"] == "Beschlussfassung"})
    return {"id": pid, "type": V + "Paper", "body": BODY, "name": spec["title"],
            "reference": spec["reference"], "paperType": spec["document_kind"],
            "date": spec["date"], "mainFile": file_obj, "consultation": consultations,
            "leipzig:originator": spec["submitted_by"],
            "created": local_time(spec["date"]), "modified": local_time(spec["date"])}


def system_and_body() -> list[dict]:
    system = {"id": f"{BASE}/system", "type": V + "System", "oparlVersion": V,
              "name": "ratsdaten Beispielrat", "body": f"{BASE}/bodies"}
    body = {"id": BODY, "type": V + "Body", "system": f"{BASE}/system",
            "name": "Stadt Leipzig (Beispielrat)", "shortName": "Beispielrat",
            "organization": f"{BODY}/organizations", "person": f"{BODY}/persons",
            "meeting": f"{BODY}/meetings", "paper": f"{BODY}/papers",
            "legislativeTerm": [{"id": f"{BODY}/term/7", "type": V + "LegislativeTerm",
                                 "name": "VII. Wahlperiode", "startDate": "2019-08-01",
                                 "endDate": "2024-07-31"}],
            "license": "https://www.govdata.de/dl-de/by-2-0",
            "created": local_time("2019-08-01"), "modified": local_time("2019-08-01")}
    return [system, body]


def write_sample(out: Path, seed: int = 2018, papers: int = 40) -> dict:
    """Generate everything; the same seed writes the same bytes."""
    out = Path(out)
    (out / "files").mkdir(parents=True, exist_ok=True)
    (out / "oparl").mkdir(parents=True, exist_ok=True)
    specs = generate_papers(seed, papers)
    meetings: dict = {}
    paper_objects, truth = [], {}
    for index, spec in enumerate(specs):
        file_id = f"{index + 1:04d}"
        path = out / "files" / f"{file_id}.pdf"
        render_paper(spec, path)
        data = path.read_bytes()
        file_obj = file_object(f"{BASE}/paper/{index + 1}", file_id,
                               f"{spec['reference']}.pdf", data, spec["date"])
        paper_objects.append(paper_object(spec, index, file_obj, meetings))
        truth[file_id] = spec
    meeting_objects = sorted(meetings.values(), key=lambda m: m["id"])
    for meeting in meeting_objects:
        meeting["body"] = BODY
    _write_jsonl(out / "oparl" / "System.jsonl", system_and_body()[:1])
    _write_jsonl(out / "oparl" / "Body.jsonl", system_and_body()[1:])
    _write_jsonl(out / "oparl" / "Organization.jsonl", organizations())
    _write_jsonl(out / "oparl" / "Person.jsonl", persons())
    _write_jsonl(out / "oparl" / "Meeting.jsonl", meeting_objects)
    _write_jsonl(out / "oparl" / "Paper.jsonl", paper_objects)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1,
                                               sort_keys=True), encoding="utf-8")
    return {"papers": len(paper_objects), "files": len(paper_objects),
            "meetings": len(meeting_objects)}


def _write_jsonl(path: Path, objects: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for obj in objects:
            fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
