"""Run a coroutine to completion from a synchronous test."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T], timeout: float = 300) -> T:
    """asyncio.run in a thread of its own.

    Playwright's sync API (the session-wide browser fixture) leaves an event loop running in the
    main thread, and asyncio.run refuses to start inside a running loop.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"coroutine still running after {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
