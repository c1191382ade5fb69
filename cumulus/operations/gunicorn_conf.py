"""gunicorn settings for ``cumulus serve --production`` (read with ``-c python:...``).

Every value comes from the environment, so a container platform can tune it without code.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

bind = os.environ.get("CUMULUS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CUMULUS_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "gthread"
threads = int(os.environ.get("CUMULUS_WEB_THREADS", "4"))
timeout = int(os.environ.get("CUMULUS_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Longer than a person pauses between pages (and than a proxy keeps an idle upstream open), so
# a connection is not closed by the server just as the browser reuses it.
keepalive = int(os.environ.get("CUMULUS_WEB_KEEPALIVE", "75"))
max_requests = int(os.environ.get("CUMULUS_WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Cumulus's own middleware writes one structured line per request (with the request id);
# gunicorn's access log would duplicate it.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("CUMULUS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
wsgi_app = "cumulus.config.wsgi:application"


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's live metrics so gauges do not count it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


control_socket_disable = True  # several instances may share a host
