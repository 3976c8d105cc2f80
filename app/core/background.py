"""Work a request leaves for after its answer: e-mail delivery, the notices about a comment.

With MAIL_ASYNC on (production) the work is handed to one worker thread per process, which does
it in order, with the app but not the request, and a session of its own: the person's answer
does not wait for it, and however busy the site, each process holds one more database
connection at most. Off (the tests, `make run`'s demo loading), it runs at once, in the
request, as part of it. Either way it is best effort: a failure is logged and the request's own
change stays saved. A process that stops finishes what is queued first (the thread is joined
at exit); one that is killed loses it, except e-mail, which waits in the outbox for
`flask outbox deliver`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from flask import current_app

from app.extensions import db

log = logging.getLogger("medvirk.background")

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_pending: set[Future] = set()


def in_background() -> bool:
    return bool(current_app.config.get("MAIL_ASYNC"))


def _worker() -> ThreadPoolExecutor:
    """This process's worker thread (a forked gunicorn worker makes its own)."""
    global _executor, _executor_pid
    with _lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="after-answer")
            _executor_pid = os.getpid()
            _pending.clear()
        return _executor


def after_answer(name: str, work: Callable[[], object]) -> None:
    """Run `work()` after the answer, in this process's worker thread (see above), or now when
    MAIL_ASYNC is off."""
    if not in_background():
        work()
        return
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception:  # the request is long done: nobody to show it to
                log.exception("%s after the answer failed", name)
            finally:
                db.session.remove()

    future = _worker().submit(run)
    with _lock:
        _pending.add(future)
    future.add_done_callback(_done)


def _done(future: Future) -> None:
    with _lock:
        _pending.discard(future)


def wait_for_background(timeout: float = 30) -> None:
    """Wait until the work handed over with after_answer() is done, including work that work
    handed over in turn (the notices' e-mail): for the tests and the benchmark."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            pending = list(_pending)
        if not pending:
            return
        pending[0].result(timeout=max(0.0, deadline - time.monotonic()))
