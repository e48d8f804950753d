"""robots.txt and sitemap.xml: pages for search engines, not SQL or exports."""

from xml.sax.saxutils import escape

from datasette import hookimpl
from datasette.utils.asgi import Response

from etl.site.keys import KINDS, get_keys
from etl.site.pages import rows, site_db

ROBOTS = """User-agent: *
Allow: /
Disallow: /*?sql=
Disallow: /*&sql=
Disallow: /*.csv
Disallow: /*.json
Disallow: /*.db
Disallow: /suche
Disallow: /-/
Allow: /-/static/
Allow: /-/feed/
Sitemap: {base}/sitemap.xml
"""


def _base(datasette, request) -> str:
    return datasette.absolute_url(request, "/").rstrip("/")


async def robots(datasette, request):
    return Response.text(ROBOTS.format(base=_base(datasette, request)))


async def sitemap(datasette, request):
    keys = await get_keys(site_db(datasette))
    base = _base(datasette, request)
    paths = ["/", "/gremien", "/seiten"]
    paths += [keys.paper_url(pid) for pid in keys.paper_ref]
    for kind in KINDS:
        paths += [keys.url(kind, oparl_id) for oparl_id in keys.key_of[kind]]
    urls = "".join(f"<url><loc>{escape(base + path)}</loc></url>\n" for path in paths if path)
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")
    return Response(body, content_type="application/xml; charset=utf-8")


async def overview(datasette, request):
    """/seiten: the sitemap for people – every committee and person, papers and meetings
    by year."""
    db = site_db(datasette)
    keys = await get_keys(db)
    committees = await rows(db, "select id, name from organizations order by name", {})
    persons = await rows(db, "select id, name from persons order by family_name, name", {})
    for item, kind in [(c, "gremium") for c in committees] + [(p, "person") for p in persons]:
        item["url"] = keys.url(kind, item["id"])
    years = await rows(db, """select year, count(*) as n from papers where year is not null
        group by year order by year desc""", {})
    return Response.html(await datasette.render_template("seiten.html", {
        "committees": committees, "persons": persons, "years": years,
        "canonical": datasette.absolute_url(request, "/seiten")}, request=request))


@hookimpl
def register_routes():
    return [(r"^/robots\.txt$", robots), (r"^/sitemap\.xml$", sitemap),
            (r"^/seiten$", overview)]
