"""gunicorn settings for dxday; every value can be changed from the environment.

WEB_CONCURRENCY  worker processes (gunicorn reads it itself; default here: 2 × cores + 1)
WEB_THREADS      threads per process (default 4: requests waiting on the database overlap)
WEB_TIMEOUT      seconds before a stuck request's process is replaced (default 60)
FORWARDED_ALLOW_IPS  the proxy allowed to set X-Forwarded-* (default 127.0.0.1)
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A process is replaced after this many requests (plus jitter), so a slow leak never grows.
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
# Uploads (plan documents of 20 MB) are buffered by nginx; gunicorn reads them from loopback.
limit_request_line = 8190
