"""Template filters: German number formats for amounts; only http(s) addresses as links."""

from datasette import hookimpl

from etl.site.german import http_url


def euro(value) -> str:
    """1234567.5 -> '1.234.567,50 €'."""
    if value is None:
        return ""
    text = f"{float(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} €"


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["euro"] = euro
    env.filters["http_url"] = http_url
