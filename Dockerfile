# govkg: build a corpus, load it into Neo4j and serve the API, the explorer, /sparql and /cypher.
#   docker compose up          (see docker-compose.yml and docs/neo4j.md)
#   docker build -t govkg . && docker run -p 8000:8000 govkg   (no Neo4j: bundled server needs
#   the test extra, see below)

# -- the explorer's JavaScript libraries (api/static/vendor, committed; rebuilt here from npm) ---
FROM node:20-slim AS web
WORKDIR /src/api/web
COPY api/web/package.json api/web/package-lock.json ./
COPY api/web/scripts ./scripts
RUN npm ci --no-audit --no-fund --silent && npm run --silent copy-assets

# -- the package ----------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY govkg ./govkg
COPY graph ./graph
COPY loaders ./loaders
COPY api ./api
COPY ontology ./ontology
COPY queries ./queries
COPY --from=web /src/api/static/vendor ./api/static/vendor
# WITH_BUNDLED_DB=1 adds arcadedb-embedded (a JRE and ArcadeDB, ~200 MB) so that the image serves
# /cypher without a Neo4j server; docker-compose.yml runs Neo4j instead and leaves it out.
ARG WITH_BUNDLED_DB=0
RUN pip install . && if [ "$WITH_BUNDLED_DB" = "1" ]; then pip install "arcadedb-embedded>=26.0"; fi
COPY examples/corpus /app/examples/corpus
RUN useradd --create-home --uid 10001 govkg && mkdir -p /data /corpus && chown govkg /data
USER govkg
VOLUME ["/data"]
EXPOSE 8000
# build the corpus in /corpus (mounted; default: the bundled examples), load it into NEO4J_URI
# and serve; `govkg load` is incremental, so a restart only loads what changed
CMD ["sh", "-c", "corpus=/corpus; [ -n \"$(ls -A /corpus 2>/dev/null)\" ] || corpus=/app/examples/corpus; govkg build \"$corpus\" --out /data --neo4j && exec govkg serve /data --host 0.0.0.0 --port 8000"]
