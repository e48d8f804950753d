"""What the committee, meeting and person pages show, gathered with :named queries."""

from etl.site.pages import count, has_table, one, rows

LIST_LIMIT = 100


def _link_papers(keys, papers: list[dict]) -> list[dict]:
    for paper in papers:
        paper["url"] = keys.paper_url(paper.get("paper_id") or paper.get("id"))
    return papers


async def load_committee(db, keys, org_id: str) -> dict | None:
    org = await one(db, "select * from organizations where id = :id", {"id": org_id})
    if org is None:
        return None
    p = {"id": org_id, "name": org["name"], "short": org["short_name"] or org["name"],
         "n": LIST_LIMIT}
    members = await rows(db, """select m.role, m.start_date, m.end_date, m.voting_right,
        pe.id as person_id, pe.name from memberships m join persons pe on pe.id = m.person_id
        where m.organization_id = :id order by m.end_date is not null, m.end_date desc,
        pe.family_name, pe.name""", p)
    for member in members:
        member["url"] = keys.url("person", member["person_id"])
    meetings = await rows(db, """select id, name, start, location, cancelled from meetings
        where organization_id = :id order by start desc limit :n""", p)
    for meeting in meetings:
        meeting["url"] = keys.url("sitzung", meeting["id"])
    consulted = await rows(db, """select p.id as paper_id, p.reference, p.name, p.submitted_by,
        c.role, coalesce(substr(m.start, 1, 10), c.date, p.date) as termin, a.result
        from consultations c join papers p on p.id = c.paper_id
        left join meetings m on m.id = c.meeting_id
        left join agenda_items a on a.id = c.agenda_item_id
        where c.rowid in (select rowid from consultations where organization_id = :id
          union all select rowid from consultations where organization_id is null
          and committee = :name)
        group by p.id order by termin desc limit :n""", p)
    submitted = await rows(db, """select id as paper_id, reference, name, date,
        coalesce(document_kind, paper_type) as kind from papers
        where submitted_by in (:name, :short) order by date desc limit :n""", p)
    months = await rows(db, """select substr(m.start, 1, 7) as month,
        count(distinct c.paper_id) as papers from consultations c
        join meetings m on m.id = c.meeting_id where m.organization_id = :id
        group by 1 order by 1 desc limit 24""", p)
    return {"org": org, "members": members, "meetings": meetings,
            "months": list(reversed(months)),
            "meetings_total": await count(db, "select count(*) as n from meetings where "
                                              "organization_id = :id", p),
            "consulted": _link_papers(keys, consulted),
            "submitted": _link_papers(keys, submitted)}


async def load_meeting(db, keys, meeting_id: str) -> dict | None:
    meeting = await one(db, "select * from meetings where id = :id", {"id": meeting_id})
    if meeting is None:
        return None
    p = {"id": meeting_id}
    items = await rows(db, """select a.id, a.number, a.position, a.name, a.public, a.result,
        a.resolution_text, p.id as paper_id, p.reference from agenda_items a
        left join papers p on p.id = coalesce(a.paper_id, (select c.paper_id from
            consultations c where c.agenda_item_id = a.id limit 1))
        where a.meeting_id = :id order by a.position, a.number""", p)
    _link_papers(keys, [i for i in items if i["paper_id"]])
    consulted = await rows(db, """select p.id as paper_id, p.reference, p.name, c.role
        from consultations c join papers p on p.id = c.paper_id where c.meeting_id = :id
        and (c.agenda_item_id is null or c.agenda_item_id not in
             (select id from agenda_items where meeting_id = :id))
        group by p.id order by c.position""", p)
    files = await rows(db, "select * from files where meeting_id = :id order by role, name", p)
    votes = []
    if await has_table(db, "votes"):  # read from the meeting's minutes or its papers' files
        votes = await rows(db, """select v.*, pa.reference from votes v
            join files f on f.id = v.file_id left join papers pa on pa.id = v.paper_id
            where f.meeting_id = :id or v.paper_id in (select paper_id from consultations
                where meeting_id = :id) order by pa.reference, v.page, v.id""", p)
        _link_papers(keys, [v for v in votes if v["paper_id"]])
    return {"meeting": meeting, "items": items, "consulted": _link_papers(keys, consulted),
            "files": files, "votes": votes,
            "org_url": keys.url("gremium", meeting["organization_id"]),
            "org": await one(db, "select id, name from organizations where id = :o",
                             {"o": meeting["organization_id"]})}


async def load_person(db, keys, person_id: str) -> dict | None:
    person = await one(db, "select * from persons where id = :id", {"id": person_id})
    if person is None:
        return None
    p = {"id": person_id, "name": person["name"], "n": LIST_LIMIT}
    memberships = await rows(db, """select m.*, o.name as organization from memberships m
        left join organizations o on o.id = m.organization_id where m.person_id = :id
        order by m.end_date is not null, m.start_date desc""", p)
    for membership in memberships:
        membership["url"] = keys.url("gremium", membership["organization_id"])
    meetings = await rows(db, """select id, name, start, location from meetings
        where organization_id in (select organization_id from memberships where person_id = :id)
        order by start desc limit 30""", p)
    for meeting in meetings:
        meeting["url"] = keys.url("sitzung", meeting["id"])
    submitted = await rows(db, """select id as paper_id, reference, name, date,
        coalesce(document_kind, paper_type) as kind from papers where submitted_by = :name
        order by date desc limit :n""", p)
    return {"person": person, "memberships": memberships, "meetings": meetings,
            "submitted": _link_papers(keys, submitted)}


async def load_committees(db, keys) -> list[dict]:
    found = await rows(db, """select o.id, o.name, o.classification, o.organization_type,
        o.end_date, count(m.id) as meetings, max(m.start) as last from organizations o
        left join meetings m on m.organization_id = o.id group by o.id
        order by o.organization_type, meetings desc, o.name""", {})
    for org in found:
        org["url"] = keys.url("gremium", org["id"])
    return found
