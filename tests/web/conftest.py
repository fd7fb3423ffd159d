"""What the page tests share: `web`, a client of the pages on `rt` that does not follow redirects
(a test logs in with `tests.web_support.login`). A file with its own `web` (its own users, its own
runtime) defines it beside its tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from peifu.adapters.api.app import create_app
from peifu.adapters.runtime import Runtime


@pytest.fixture
def web(rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(rt), raise_server_exceptions=False, follow_redirects=False) as c:
        yield c
