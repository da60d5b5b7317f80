# Cocreate in one container: the app on a DuckDB file in the /data volume (compose.yaml runs
# it so, or as N replicas behind nginx on PostgreSQL). Python 3.11 on Debian slim, the pinned
# lock file, a user without root rights, and a health check that asks whether it can serve.
# A fixed Python and Debian; where Docker's registry is reachable, add the image's digest
# (`docker buildx imagetools inspect python:3.11.11-slim-bookworm`) as @sha256:… after the tag.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Every package pinned (requirements.txt is the lock file `make lock` writes).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY app.py serve.py ./
COPY .streamlit ./.streamlit
COPY pages ./pages
COPY ui ./ui
COPY web ./web
COPY workshop ./workshop
COPY data/templates ./data/templates

RUN useradd --create-home --uid 10001 cocreate \
    && mkdir -p /data \
    && chown cocreate /data
USER cocreate

# The database file, the demo's keys and saved templates live in the volume.
ENV COCREATE_DB=/data/cocreate.duckdb \
    COCREATE_TEMPLATE_DIR=/data/templates \
    COCREATE_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8501

# Ready: the database answers and its schema is current (GET /readyz).
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/readyz', timeout=2).status != 200)"]

# Bring the schema up to date (with COCREATE_DEMO=1, seed the demo the first time: its keys
# go to /data/demo-credentials.json, never to the log), then serve.
CMD ["sh", "-c", "python -m workshop init --url \"${COCREATE_PUBLIC_URL:-http://localhost:8501}\" && exec python -m streamlit run serve.py --server.port 8501 --server.address 0.0.0.0"]
