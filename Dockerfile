# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=silastik.settings.production \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY . .
# collectstatic needs the production settings, which need a key: a throw-away one, never kept.
RUN pip install --no-cache-dir -e ".[s3]" \
 && DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(60))')" \
    DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0

# The static files too: compose's `migrate` collects them again into a volume nginx serves.
RUN useradd --create-home silastik && mkdir -p /app/var \
 && chown silastik /app/var && chown -R silastik /app/staticfiles
USER silastik
EXPOSE 8000
# Sync workers behind nginx, which takes the slow side of every transfer (deploy/gunicorn.conf.py
# says why); on its own port without nginx a slow client is cut off at the timeout.
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "silastik.wsgi"]
