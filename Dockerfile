# Rantai: one image for the web server, the Celery worker and Celery beat (see docker-compose.yml).

# Front-end libraries (Pico CSS, htmx) come from npm, pinned by package-lock.json; only the
# installed files are copied into the final image, never node itself.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# The lock pins every package, transitive ones included, with the hashes of its files.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY --from=assets /app/node_modules ./node_modules
COPY . .

# Compiled translations and collected static files are built into the image. The throw-away
# SECRET_KEY only lets the settings load here; the running containers get theirs from .env.
RUN python -c 'import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])' \
        locale/id/LC_MESSAGES/django.po locale/id/LC_MESSAGES/django.mo \
    && DEBUG=false SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app rantai \
    && mkdir -p /app/media /app/private_media /app/snapshots \
    && chown -R rantai /app/media /app/private_media /app/snapshots

USER rantai
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "2", "--access-logfile", "-"]
