"""robots.txt and sitemap.xml: pages for search engines, not SQL or exports."""

from xml.sax.saxutils import escape

from datasette import NotFound, hookimpl
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


# The sitemap protocol's limit per file; above it /sitemap.xml is an index of parts.
URLS_PER_FILE = 50_000
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


async def _site_paths(datasette) -> list[str]:
    keys = await get_keys(site_db(datasette))
    paths = ["/", "/gremien", "/seiten"]
    paths += [keys.paper_url(pid) for pid in keys.paper_ref]
    for kind in KINDS:
        paths += [keys.url(kind, oparl_id) for oparl_id in keys.key_of[kind]]
    return [path for path in paths if path]


def _per_file(datasette) -> int:
    return int((datasette.plugin_config("ratsdaten-sitemap") or {}).get("urls_per_file",
                                                                       URLS_PER_FILE))


def _xml(body: str) -> Response:
    return Response(XML + body, content_type="application/xml; charset=utf-8")


async def sitemap(datasette, request):
    paths, per_file, base = await _site_paths(datasette), _per_file(datasette), \
        _base(datasette, request)
    if len(paths) <= per_file:
        return _urlset(base, paths)
    parts = "".join(f"<sitemap><loc>{escape(base)}/sitemap-{n + 1}.xml</loc></sitemap>\n"
                    for n in range(0, (len(paths) + per_file - 1) // per_file))
    return _xml(f"<sitemapindex {NS}>\n{parts}</sitemapindex>\n")


async def sitemap_part(datasette, request):
    number, per_file = int(request.url_vars["number"]), _per_file(datasette)
    paths = (await _site_paths(datasette))[(number - 1) * per_file:number * per_file]
    if number < 1 or not paths:
        raise NotFound("Diesen Teil der Sitemap gibt es nicht.")
    return _urlset(_base(datasette, request), paths)


def _urlset(base: str, paths: list[str]) -> Response:
    urls = "".join(f"<url><loc>{escape(base + path)}</loc></url>\n" for path in paths)
    return _xml(f"<urlset {NS}>\n{urls}</urlset>\n")


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
            (r"^/sitemap-(?P<number>[0-9]{1,6})\.xml$", sitemap_part),
            (r"^/seiten$", overview)]
