# syntax=docker/dockerfile:1
# Boligsosial oversikt: the app server (the default command) and, with another command, the
# task worker and the release step (compose.yaml shows all three).
# Pin the Debian release: python:3.12-slim moved from bookworm to trixie in August 2025.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (the PDF report): Pango with its GLib, HarfBuzz, fontconfig and FreeType;
# HarfBuzz's subsetter (40 % faster PDFs); the fonts the report is set in.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 app
WORKDIR /app

# The dependencies first, as a layer of their own: `pip install .` installs only them
# ([tool.setuptools] packages = []), and needs only these two files.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir ".[s3]"

COPY --chown=10001:10001 . .

# The project's modules as bytecode, as pip left the dependencies' (PYTHONDONTWRITEBYTECODE
# keeps a process from writing them itself): otherwise every worker and every
# `manage.py render_report` compiles them again at start.
RUN python -m compileall -q -j 0 -x '/(tests|bench|node_modules)/' .

# The catalogues (no silent English: the system check refuses a missing or stale one) and the
# static files, compressed (.gz and .br) for whitenoise. Neither needs a database or a secret.
ENV COLLECTSTATIC_DONE=true
RUN DEBUG=false ALLOW_DEV_SECRET_KEY=1 python manage.py compile_translations \
 && DEBUG=false ALLOW_DEV_SECRET_KEY=1 python manage.py collectstatic --noinput -v0 \
 && install -d -o 10001 -g 10001 /app/media

USER 10001
ENV BIND=0.0.0.0:8000 \
    DEBUG=false \
    MEDIA_ROOT=/app/media
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# WEB_CONCURRENCY (workers), FORWARDED_ALLOW_IPS and the rest come from the environment
# (gunicorn.conf.py, README: Deployment).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "boligsosial.wsgi"]
