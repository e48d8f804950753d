"""/-/file/<sha256>.pdf: the stored PDFs, when the server has the file store beside it.
Streamed from disk: read whole, a council's 200 MB scan held 200 MB per request, and a
few at once passed the server's memory ceiling."""

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, NotFound

from etl.site.files import stored_pdf


async def serve_file(request):
    path = stored_pdf(request.url_vars["sha256"])
    if path is None:
        raise NotFound("Diese Datei liegt auf diesem Server nicht vor.")
    return AsgiFileDownload(path, content_type="application/pdf", headers={
        "content-disposition": f'inline; filename="{path.name}"'})


@hookimpl
def register_routes():
    return [(r"^/-/file/(?P<sha256>[0-9a-f]{64})\.pdf$", serve_file)]
