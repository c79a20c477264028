"""What a running home says about itself: metrics (``metrics.py``, Prometheus, loaded only by
``assistant serve``), structured logs (``logs.py``), health checks (``health.py``), the HTTP
endpoints that serve them (``endpoints.py``) and the reader other processes ask them with
(``client.py``: ``doctor``, the browser's dashboard).

Nothing here is imported on the command line's light start-up path except ``settings.py``
and ``logs.py``, which need no third-party library.
"""
