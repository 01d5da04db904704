"""Property-based checks of the /api operations from the app's own OpenAPI document (bounded).

The app is served in-process (ASGI) over the fixture build; every generated request must get a
non-5xx answer that conforms to the documented responses, and every 4xx is JSON {"error"}.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from apifixture import write_build
from govkg.api.app import create_app

_DATA = Path(tempfile.mkdtemp(prefix="govkg-schemathesis-"))
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
write_build(_DATA)

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_DATA)).include(path_regex="^/api/")


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_operations(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("error"), str), body
    case.validate_response(response)
