"""Template filters: German number formats for amounts."""

from datasette import hookimpl


def euro(value) -> str:
    """1234567.5 -> '1.234.567,50 €'."""
    if value is None:
        return ""
    text = f"{float(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{text} €"


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["euro"] = euro
