"""Atom feeds of papers and iCalendar files of meetings, each saying what it follows."""

import re
from datetime import datetime, timezone
from xml.sax.saxutils import escape as xml_escape

from etl.site.pages import rows

FEED_SIZE = 50
# Characters XML 1.0 forbids (C0 controls but tab and newlines, lone surrogates, U+FFFE/F):
# one of them in a title from a PDF or an OParl server made the whole feed unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# iCalendar text allows no control characters but tab (RFC 5545, 3.3.11).
NOT_ICS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def escape(text) -> str:
    """Text for an XML document: escaped, without the characters XML cannot hold."""
    return xml_escape(NOT_XML.sub("", str(text)))


def _filters(args: dict, keys) -> tuple[list[str], dict, list[str]]:
    where, params, said = [], {"n": FEED_SIZE}, []
    org_id = keys.id_of["gremium"].get(args.get("gremium") or "")
    if org_id:
        where.append("p.id in (select paper_id from consultations where organization_id = :org)")
        params["org"] = org_id
        said.append("beraten im Gremium {}")
    if args.get("einreicher"):
        where.append("p.submitted_by = :einreicher")
        params["einreicher"] = args["einreicher"]
        said.append(f"eingereicht von {args['einreicher']}")
    if args.get("koerperschaft"):
        where.append("p.body_id = :body")
        params["body"] = args["koerperschaft"]
        said.append(f"aus {args['koerperschaft']}")
    if args.get("q"):
        where.append("p.rowid in "
                     "(select rowid from papers_fts where papers_fts match fts_query(:q))")
        params["q"] = args["q"]
        said.append(f"mit „{args['q']}“")
    return where, params, said


async def paper_feed(db, keys, args: dict, base: str) -> str:
    where, params, said = _filters(args, keys)
    if "org" in params:
        org = await rows(db, "select name from organizations where id = :org", params)
        said[0] = said[0].format(org[0]["name"] if org else "?")
    found = await rows(db, f"""select p.id, p.reference, p.name, p.date, p.modified,
        p.submitted_by, coalesce(p.document_kind, p.paper_type) as kind from papers p
        {'where ' + ' and '.join(where) if where else ''}
        order by coalesce(p.modified, p.date) desc limit :n""", params)
    title = "Neue Vorlagen" + (" – " + ", ".join(said) if said else "")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = []
    for paper in found:
        url = base + (keys.paper_url(paper["id"]) or "/")
        updated = _atom_time(paper["modified"]) or _atom_time(paper["date"]) or now
        summary = " · ".join(x for x in (paper["kind"], paper["submitted_by"], paper["date"]) if x)
        prefix = paper["reference"] + ": " if paper["reference"] else ""
        entry_title = prefix + (paper["name"] or "(ohne Betreff)")
        entries.append(f"""<entry><id>{escape(url)}</id>
<title>{escape(entry_title)}</title>
<link href="{escape(url)}"/><updated>{escape(updated)}</updated>
<author><name>{escape(paper['submitted_by'] or 'unbekannt')}</name></author>
<summary>{escape(summary)}</summary></entry>""")
    updated = max((e.split("<updated>")[1].split("<")[0] for e in entries), default=now)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
<title>{escape(title)} (ratsdaten)</title><id>{escape(base)}/-/feed/vorlagen.atom?{escape(
        '&'.join(f'{k}={v}' for k, v in sorted(args.items())))}</id>
<link rel="alternate" href="{escape(base)}/"/><updated>{escape(updated)}</updated>
{''.join(entries)}
</feed>"""


def _atom_time(value: str | None) -> str | None:
    """An RFC 3339 time for <updated>, or None: OParl's `modified` is the server's word."""
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ics_text(text) -> str:
    return NOT_ICS.sub("", str(text or "").replace("\\", "\\\\").replace(";", "\\;")
                       .replace(",", "\\,").replace("\r", "").replace("\n", "\\n"))


def _ics_time(value: str | None) -> str | None:
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.strftime("%Y%m%dT%H%M%S")
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


async def meeting_calendar(db, keys, args: dict, base: str) -> str:
    params, where, name = {}, "", "alle Sitzungen"
    org_id = keys.id_of["gremium"].get(args.get("gremium") or "")
    person_id = keys.id_of["person"].get(args.get("person") or "")
    meeting_id = keys.id_of["sitzung"].get(args.get("sitzung") or "")
    if meeting_id:
        where, params, name = "and m.id = :meeting", {"meeting": meeting_id}, "Sitzung"
    elif org_id:
        where, params = "and m.organization_id = :org", {"org": org_id}
        found = await rows(db, "select name from organizations where id = :org", params)
        name = "Sitzungen " + (found[0]["name"] if found else "")
    elif person_id:
        where = ("and m.organization_id in (select organization_id from memberships "
                 "where person_id = :person)")
        params = {"person": person_id}
        found = await rows(db, "select name from persons where id = :person", params)
        name = "Sitzungen der Gremien von " + (found[0]["name"] if found else "")
    meetings = await rows(db, f"""select m.id, m.name, m.start, m.end, m.location, m.cancelled
        from meetings m where m.start is not null {where} order by m.start desc limit 500""",
                          params)
    events = [{"uid": m["id"], "start": m["start"], "end": m["end"], "location": m["location"],
               "summary": (m["name"] or "") + (" (abgesagt)" if m["cancelled"] else ""),
               "url": base + (keys.url("sitzung", m["id"]) or "/")} for m in meetings]
    return calendar(name + " (ratsdaten)", events)


def calendar(name: str, events: list[dict]) -> str:
    """An iCalendar file: DTSTAMP on every event (RFC 5545); DTEND only when the end is
    known – without it a calendar shows the start alone, rather than an invented end."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ratsdaten//DE",
             f"X-WR-CALNAME:{_ics_text(name)}", "CALSCALE:GREGORIAN"]
    for event in events:
        start, end = _ics_time(event.get("start")), _ics_time(event.get("end"))
        if not start:
            continue
        lines += ["BEGIN:VEVENT", f"UID:{_ics_text(event.get('uid'))}", f"DTSTAMP:{stamp}",
                  f"DTSTART:{start}"] + ([f"DTEND:{end}"] if end and end > start else []) + [
                  f"SUMMARY:{_ics_text(event.get('summary'))}"]
        lines += [f"{key.upper()}:{_ics_text(event[key])}" for key in
                  ("location", "description") if event.get(key)]
        url = NOT_ICS.sub("", str(event.get("url") or "")).strip()
        lines += [f"URL:{url}"] if url.startswith(("http://", "https://")) else []
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def fold(line: str, octets: int = 75) -> str:
    """RFC 5545, 3.1: lines longer than 75 octets are folded (CRLF and a space), never
    inside a UTF-8 character; a 2,000-character meeting name was one line."""
    if len(line.encode("utf-8")) <= octets:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > octets:
            parts.append("".join(current))
            current, size = [], 1  # the leading space of the continuation line
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)
