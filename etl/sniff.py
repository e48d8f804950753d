"""What bytes from a server or a folder really are, whatever they claim to be."""

HTML_STARTS = (b"<!doctype", b"<html")


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """An HTML page (a login, an error, a maintenance notice) where JSON or a PDF was due."""
    return "html" in (content_type or "").lower() or data[:300].lstrip().lower().startswith(
        HTML_STARTS)
