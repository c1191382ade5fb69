# Cumulus web and worker image. Build: docker build -t cumulus .
# Run the web:    docker run --env-file cumulus.env -p 8000:8000 cumulus
# Run the worker: docker run --env-file cumulus.env cumulus cumulus worker
# Every setting comes from the environment (docs/deployment.md, "Configuration").
FROM node:22-bookworm-slim AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY cumulus/web/frontend cumulus/web/frontend
RUN npm run build

FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    CUMULUS_ENV=production CUMULUS_VAR_DIR=/var/lib/cumulus CUMULUS_BIND=0.0.0.0:8000
# postgresql-client: pg_dump/pg_restore for cumulus backup/restore (match the server's major
# version or newer); WeasyPrint's libraries for booklet rendering.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client libpango-1.0-0 \
      libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv \
 && useradd --system --uid 10001 --home /var/lib/cumulus cumulus \
 && mkdir -p /var/lib/cumulus && chown cumulus /var/lib/cumulus
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --locked --no-dev --no-install-project
COPY cumulus cumulus
COPY manage.py ./
COPY --from=frontend /src/node_modules/govuk-frontend/dist /app/node_modules/govuk-frontend/dist
COPY --from=frontend /src/cumulus/web/static/cumulus/cumulus.css cumulus/web/static/cumulus/cumulus.css
RUN uv sync --locked --no-dev \
 && CUMULUS_SECRET_KEY=build-only-$(python -c 'import secrets;print(secrets.token_urlsafe(48))') \
    CUMULUS_ALLOWED_HOSTS=build DATABASE_URL=postgres://build/none \
    cumulus collectstatic --noinput -v0
USER cumulus
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["cumulus", "serve", "--production", "--no-collectstatic"]
