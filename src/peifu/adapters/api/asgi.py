"""The API as an ASGI application factory, for several API processes on one machine or many.

`peifu serve --workers N` starts N uvicorn processes that each call `app_from_env()`: every
process opens its own engine (its own connection pool) from the same PEIFU_* settings. The same
factory serves any other ASGI process manager, e.g.

    uvicorn --factory peifu.adapters.api.asgi:app_from_env --workers 4 --host 0.0.0.0

Nothing is shared between the processes but the database: no in-memory session, lock or cache
decides anything across requests (the rate limits are per process; see docs/scaling.md).
The processes do not migrate the database (run `peifu db upgrade` or start one `peifu serve`
first) and do not fire deadlines (run `peifu worker`).
"""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI

from peifu.adapters.logs import setup_logging
from peifu.settings import Settings


def app_from_env() -> FastAPI:
    from peifu.adapters.api.app import create_app
    from peifu.adapters.runtime import Runtime

    settings = Settings.from_env()
    setup_logging(settings.log_level)
    threading.Thread(target=_warm_triage, daemon=True, name="peifu-triage-warmup").start()
    return create_app(Runtime(settings, migrate=False))


def _warm_triage() -> None:
    from peifu.triage.model import load

    try:
        load()
    except Exception:  # triage is advisory: a request opened later tries again and logs
        logging.getLogger(__name__).warning("triage model could not be loaded at start-up", exc_info=True)
