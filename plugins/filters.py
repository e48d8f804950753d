"""Template filters: German number formats for amounts; only http(s) addresses as links."""

from datasette import hookimpl

from etl.site.german import euro, http_url


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["euro"] = euro
    env.filters["http_url"] = http_url
