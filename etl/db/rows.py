"""Pure functions from OParl objects and extraction results to database rows."""

import json

from ..oparl.parse import as_list, iso_date, paper_files, ref_id, value
from ..references import split_reference


def organization_row(obj: dict, body_id: str) -> dict:
    return {"id": obj["id"], "body_id": body_id, "name": value(obj, "name"),
            "short_name": value(obj, "shortName"), "classification": value(obj, "classification"),
            "organization_type": value(obj, "organizationType"),
            "start_date": iso_date(obj.get("startDate")), "end_date": iso_date(obj.get("endDate")),
            "web": value(obj, "web")}


def person_row(obj: dict, body_id: str) -> dict:
    return {"id": obj["id"], "body_id": body_id, "name": value(obj, "name"),
            "family_name": value(obj, "familyName"), "given_name": value(obj, "givenName"),
            "form_of_address": value(obj, "formOfAddress"), "gender": value(obj, "gender")}


def membership_row(obj: dict, person_id: str | None) -> dict:
    return {"id": obj["id"], "person_id": ref_id(obj.get("person")) or person_id,
            "organization_id": ref_id(obj.get("organization")), "role": value(obj, "role"),
            "voting_right": _bool(obj.get("votingRight")),
            "start_date": iso_date(obj.get("startDate")), "end_date": iso_date(obj.get("endDate"))}


def term_row(obj: dict, body_id: str) -> dict:
    return {"id": obj["id"], "body_id": body_id, "name": value(obj, "name"),
            "start_date": iso_date(obj.get("startDate")), "end_date": iso_date(obj.get("endDate"))}


def meeting_row(obj: dict, body_id: str) -> dict:
    location = obj.get("location")
    if isinstance(location, dict):
        location = value(location, "description") or value(location, "streetAddress")
    orgs = [ref_id(o) for o in as_list(obj.get("organization"))]
    return {"id": obj["id"], "body_id": body_id, "name": value(obj, "name"),
            "start": iso_date(obj.get("start")), "end": iso_date(obj.get("end")),
            "location": location if isinstance(location, str) else None,
            "organization_id": orgs[0] if orgs else None,
            "cancelled": _bool(obj.get("cancelled")), "web": value(obj, "web"),
            "modified": iso_date(obj.get("modified"))}


def agenda_item_rows(meeting: dict) -> list[dict]:
    rows = []
    for position, item in enumerate(as_list(meeting.get("agendaItem"))):
        if not isinstance(item, dict) or not ref_id(item):
            continue
        rows.append({"id": item["id"], "meeting_id": meeting["id"],
                     "number": value(item, "number"),
                     "position": (item.get("order") if isinstance(item.get("order"), int)
                                  else position),
                     "name": value(item, "name"), "public": _bool(item.get("public")),
                     "result": value(item, "result"),
                     "resolution_text": value(item, "resolutionText"),
                     "paper_id": ref_id(item.get("paper")) or _consultation_paper(item)})
    return rows


def _consultation_paper(item: dict) -> str | None:
    """OParl 1.1 links an agenda item to its paper only through its consultation; a
    consultation given as a URL is resolved after the papers are loaded (load.py)."""
    consultation = item.get("consultation")
    return ref_id(consultation.get("paper")) if isinstance(consultation, dict) else None


def agenda_item_consultation(item) -> str | None:
    return ref_id(item.get("consultation")) if isinstance(item, dict) else None


def paper_row(obj: dict, body_id: str) -> dict:
    reference = value(obj, "reference")
    base, suffix = split_reference(reference)
    main = next((ref_id(f) for role, f in paper_files(obj) if role == "main"), None)
    return {"id": obj["id"], "body_id": body_id, "reference": reference,
            "base_reference": base, "version_suffix": suffix, "name": value(obj, "name"),
            "paper_type": value(obj, "paperType"), "document_kind": None,
            "date": iso_date(obj.get("date")),
            "year": int(date[:4]) if (date := iso_date(obj.get("date"))) else None,
            "submitted_by": value(obj, "leipzig:originator") or _originator(obj),
            "submitter_kind": None, "spatial_reference": None, "status": None,
            "main_file_id": main, "web": value(obj, "web"),
            "created": iso_date(obj.get("created")), "modified": iso_date(obj.get("modified")),
            "deleted": _bool(obj.get("deleted")) or 0, "profile": None}


def consultation_rows(paper: dict, committees: dict[str, str]) -> list[dict]:
    rows = []
    for position, item in enumerate(as_list(paper.get("consultation"))):
        if not isinstance(item, dict) or not ref_id(item):
            continue
        orgs = [ref_id(o) for o in as_list(item.get("organization"))]
        rows.append({"id": item["id"], "paper_id": paper["id"],
                     "meeting_id": ref_id(item.get("meeting")),
                     "agenda_item_id": ref_id(item.get("agendaItem")),
                     "committee": committees.get(orgs[0]) if orgs and orgs[0] else None,
                     "organization_id": orgs[0] if orgs else None, "role": value(item, "role"),
                     "authoritative": _bool(item.get("authoritative")), "date": None,
                     "position": position, "source": "oparl"})
    return rows


def file_row(obj: dict, paper_id: str | None, role: str) -> dict:
    return {"id": obj["id"], "paper_id": paper_id, "role": role, "name": value(obj, "name"),
            "file_name": value(obj, "fileName"), "mime_type": value(obj, "mimeType"),
            "size": obj.get("size") if isinstance(obj.get("size"), int) else None,
            "sha256": None, "access_url": value(obj, "accessUrl"),
            "download_url": value(obj, "downloadUrl"),
            "created": iso_date(obj.get("created")) or iso_date(obj.get("date")),
            "modified": iso_date(obj.get("modified")) or iso_date(obj.get("fileModified"))}


def _originator(obj: dict) -> str | None:
    names = [value(o, "name") if isinstance(o, dict) else None
             for o in as_list(obj.get("originatorOrganization") or obj.get("originatorPerson"))]
    found = [n for n in names if n]
    return "; ".join(found) if found else None


def _bool(item) -> int | None:
    return None if item is None else int(bool(item))


def dumps(item) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True)
