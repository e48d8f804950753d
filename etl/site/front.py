"""What the front page shows: newest papers per body, totals, committees, canned questions."""

from etl.site.pages import columns_of, count, has_table, one, rows

NEWEST_PER_BODY = 8


SPENDING = "coalesce(b.kind, '') not in ('Erträge', 'Einzahlungen')"  # money asked, not income
GUESSED_KIND = """case when p.submitted_by like '%raktion%' then 'Fraktionen'
    when p.submitted_by like 'Dezernat%' or p.submitted_by like '%ürgermeister%'
      or p.submitted_by like '%Amt%' then 'Verwaltung' else 'andere' end"""
KIND_WORDS = {"faction": "Fraktionen", "administration": "Verwaltung", "person": "Personen",
              "committee": "Gremien", "petition": "Petitionen", "unbekannt": "ohne Angabe"}


async def money_source(db) -> dict:
    """Where money requested comes from: money_lines (the money model: expenditure only,
    one-off amounts) when the database has it, else the cover sheets' budget grid; each
    Drucksache once (current_papers, its newest version) where that view exists."""
    papers = "current_papers" if await has_table(db, "current_papers") else "papers"
    kind = "coalesce(p.submitter_kind, 'unbekannt')" if "submitter_kind" in await columns_of(
        db, "papers") else GUESSED_KIND
    money_columns = await columns_of(db, "money_lines")
    if {"paper_id", "amount_eur", "direction", "year_from"} <= money_columns:
        one_off = " and coalesce(b.per_year, 0) = 0" if "per_year" in money_columns else ""
        return {"table": "money_lines", "papers": papers, "kind": kind,
                "year": "coalesce(b.year_from, p.year)",
                "where": "b.direction = 'expenditure'" + one_off}
    return {"table": "budget_lines", "papers": papers, "kind": kind,
            "year": "substr(b.year_from, 1, 4)", "where": SPENDING}


async def money_this_year(db, year: int) -> tuple[float | None, str]:
    """Money requested in the papers of `year`."""
    src = await money_source(db)
    row = await one(db, f"""select sum(b.amount_eur) as total from {src['table']} b
        join {src['papers']} p on p.id = b.paper_id where p.year = :year
        and {src['where']}""", {"year": year})
    return (row or {}).get("total"), src["table"]


async def money_by_year_and_kind(db) -> tuple[list[str], dict[str, list[float]]]:
    """Money requested per budget year, stacked by submitter kind (papers.submitter_kind
    when the database has it, else guessed from the submitter's name)."""
    src = await money_source(db)
    found = await rows(db, f"""select cast({src['year']} as text) as jahr, {src['kind']} as art,
        sum(b.amount_eur) as summe from {src['table']} b join {src['papers']} p
        on p.id = b.paper_id where b.amount_eur > 0 and {src['where']}
        and cast({src['year']} as text) glob '[12][0-9][0-9][0-9]' group by 1, 2""", {})
    years = sorted({r["jahr"] for r in found})[-10:]
    kinds = sorted({r["art"] for r in found if r["jahr"] in years})
    series = {KIND_WORDS.get(k, k): [next((r["summe"] for r in found if r["jahr"] == y
                                           and r["art"] == k), 0.0) for y in years]
              for k in kinds}
    return years, series


async def front_page_data(db, keys, queries: dict) -> dict:
    year_row = await one(db, "select max(year) as y from papers "
                             "where year <= cast(strftime('%Y', 'now') as integer)", {})
    year = (year_row or {}).get("y")
    bodies = await rows(db, "select id, name from bodies order by name", {})
    for body in bodies:
        body["papers"] = await rows(db, """select id, reference, name, date, submitted_by,
            coalesce(document_kind, paper_type) as kind from papers where body_id = :b
            and coalesce(deleted, 0) = 0 order by date desc, id desc limit :n""",
                                    {"b": body["id"], "n": NEWEST_PER_BODY})
        for paper in body["papers"]:
            paper["url"] = keys.paper_url(paper["id"])
    money, money_source = await money_this_year(db, year) if year else (None, "")
    staff = await one(db, """select count(*) as n from staffing_effects s join papers p
        on p.id = s.paper_id where p.year = :year and (s.has_staffing_impact = 1
        or s.positions_added is not null or s.positions_removed is not null)""", {"year": year})
    committees = await rows(db, """select o.id, o.name, count(m.id) as meetings,
        max(m.start) as last from organizations o join meetings m on m.organization_id = o.id
        group by o.id order by meetings desc, o.name limit 12""", {})
    for committee in committees:
        committee["url"] = keys.url("gremium", committee["id"])
    years, money_series = await money_by_year_and_kind(db)
    return {
        "year": year, "bodies": bodies, "money_years": years, "money_series": money_series,
        "papers_total": await count(db, "select count(*) as n from papers", {}),
        "papers_year": await count(db, "select count(*) as n from papers where year = :y",
                                   {"y": year}),
        "money_year": money, "money_source": money_source,
        "staff_year": (staff or {}).get("n") or 0,
        "meetings_total": await count(db, "select count(*) as n from meetings", {}),
        "committees": committees,
        "queries": [{"name": name, "title": q.get("title") or name}
                    for name, q in queries.items()],
    }
