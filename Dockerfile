# Incubator: `docker build -t incubator .` then see compose.yaml, or
# `docker run -p 8000:8000 -v incubator-data:/data incubator` for the embedded SQLite default.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 INCUBATOR_DATA_DIR=/data

# pg_dump/pg_restore for `incubator backup` and `restore` against PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 incubator \
    && mkdir /data && chown incubator:incubator /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY projections ./projections
COPY incubator ./incubator
COPY web ./web
COPY ml ./ml
RUN pip install . && rm -rf /app/build

USER incubator
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["incubator", "serve", "--host", "0.0.0.0", "--port", "8000"]
