"""Property-based checks of the /api operations from the app's own OpenAPI document (bounded).

The app is served in-process (ASGI) over the fixture build. Every generated request to any /api
operation must get a non-5xx answer; the operations of api/rest.py must also conform to their
documented responses, and every 4xx there is JSON {"error"}.
"""
from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from apifixture import write_build
from govkg.api import rest
from govkg.api.app import create_app

_DATA = Path(tempfile.mkdtemp(prefix="govkg-schemathesis-"))
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
write_build(_DATA)

REST = {(method, re.sub(r":\w+}", "}", route.path))  # /api/agencies/{agency_id:path} -> {agency_id}
        for route in rest.router.routes for method in getattr(route, "methods", ())}
# A request the schema calls invalid may also be refused by the request-size limits (413, 414):
# an over-long id of 4-byte characters passes the query-string limit before the id's maxLength.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428",
                          "429", "5xx"]}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_DATA), config=CONFIG).include(
    path_regex="^/api/")


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_operations(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
    if (case.method.upper(), case.operation.path) not in REST:
        return
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("error"), str), body
    case.validate_response(response)
