"""gunicorn's settings for `make serve` and the container image; everything that differs
between installations comes from the environment (README, Deployment).

gunicorn reads this file from the working directory by itself; `-c gunicorn.conf.py` says so.
"""

import os

# Where to listen: loopback for `make serve`; the image sets BIND=0.0.0.0:8000.
bind = [os.environ.get("BIND", "127.0.0.1:8000")]
# Worker processes (sync workers: one request each at a time). Two per core is a good start;
# a report PDF holds a worker about a second.
workers = int(os.environ.get("WEB_CONCURRENCY", "").strip() or 2)
# A worker silent this long (a stuck request) is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "").strip() or 120)
# On SIGTERM (a deploy, `docker compose stop`) requests in flight get this long to finish and
# new connections are refused; the container's stop grace period must be longer.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "").strip() or 30)
# Replace each worker after about this many requests: pandas and WeasyPrint keep memory.
max_requests = int(os.environ.get("MAX_REQUESTS", "").strip() or 1000)
max_requests_jitter = max_requests // 10
# gunicorn 25.1+ opens a control socket under $HOME by default; a container has no home.
control_socket_disable = True
# Heartbeat files on a memory file system where there is one (Docker's /tmp may be a disk).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 – gunicorn's own advice
# FORWARDED_ALLOW_IPS (which proxies may set X-Forwarded-*) gunicorn reads by itself.

# Access and error lines on standard output; as JSON (boligsosial/logs.py) unless
# LOG_FORMAT=plain, like the app's own logs.
accesslog = None if os.environ.get("ACCESS_LOG", "true").lower() in {"0", "false", "no"} else "-"
errorlog = "-"
if os.environ.get("LOG_FORMAT", "json") == "json":
    _handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stdout",
    }
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "boligsosial.logs.JSONFormatter"}},
        "handlers": {"json_stdout": _handler},
        "loggers": {
            "gunicorn.error": {
                "level": os.environ.get("LOG_LEVEL", "INFO"),
                "handlers": ["json_stdout"],
                "propagate": False,
            },
            "gunicorn.access": {
                "level": "INFO",
                "handlers": ["json_stdout"] if accesslog else [],
                "propagate": False,
            },
        },
        "root": {"level": "INFO", "handlers": []},
    }
