# Serves a built data/ratsdaten.db read-only. Build the database first:
#   make build && datasette inspect data/ratsdaten.db --inspect-file data/ratsdaten.inspect.json
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
COPY data/ratsdaten.db data/ratsdaten.inspect.json ./data/

ENV RATSDATEN_DATA=/app/data
EXPOSE 8080
CMD ["ratsdaten", "serve", "--public", "--host", "0.0.0.0", "--port", "8080"]
