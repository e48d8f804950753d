# Serves the published database read-only; scripts/deploy-fly prepares data/image/.
# Small databases are baked into the image (data/image/ratsdaten.db); large ones are not:
# the machine fetches the published one into its volume on start (scripts/start), so a
# deploy of new data does not push a new multi-GB image.
FROM python:3.11-slim

WORKDIR /app
# Only what serving needs: Datasette, its plugins, and the small etl.site helpers.
RUN pip install --no-cache-dir "datasette==0.65.5" "datasette-search-all==1.1.4" \
    "datasette-atom==0.9" "datasette-ics==0.5.2" "sqlite-utils==4.2.1" "pyyaml==6.0.3" \
    "click==8.5.1"
COPY pyproject.toml README.md ./
COPY etl ./etl
RUN pip install --no-cache-dir --no-deps .
COPY metadata.yml bodies.yml ./
COPY plugins ./plugins
COPY templates ./templates
COPY static ./static
COPY scripts/start ./scripts/start
COPY data/image/ ./image/

ENV RATSDATEN_IMAGE_DATA=/app/image RATSDATEN_DATA=/data
EXPOSE 8080
CMD ["/app/scripts/start", "--public", "--host", "0.0.0.0", "--port", "8080"]
