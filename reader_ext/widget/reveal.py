"""Class mode: an instructor's *hide until posted* for a lesson, from the reader.

The class service holds the setting and decides who may change it (instructors only, by their
Hub groups); the reader only asks and passes the change on, checked for shape first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reader_ext.annotations.audience import MAX_REVEAL_POSTS, reveal_posts_ok
from reader_ext.errors import MessageError, NotYourAnnotationError
from reader_ext.widget.protocol import RevealSetting


def reveal_setting(store: object, source: str, change: Mapping[str, Any] | None) -> RevealSetting:
    """The lesson's setting as the class service holds it, after setting it to ``change``'s
    ``after_posts`` and ``at`` if given. Offline (a store file, no service) there is none."""
    get = getattr(store, "reveal_setting", None)
    put = getattr(store, "set_reveal", None)
    if get is None or put is None:
        msg = (
            "hide until posted is a class-mode setting: it needs the class service on a "
            "JupyterHub (docs/class-mode.md)"
        )
        raise MessageError(msg)
    try:
        if change is None:
            data = get(source)
        else:
            after = change.get("after_posts")
            if not reveal_posts_ok(after):
                msg = f"posts before classmates’ notes show: from 1 to {MAX_REVEAL_POSTS}, or none"
                raise MessageError(msg)
            at = change.get("at")
            if at is not None and (not isinstance(at, str) or not 0 < len(at) <= 64):
                raise MessageError("at: a time (ISO 8601 with its offset), or none")
            data = put(source, after_posts=after, at=at)
    except NotYourAnnotationError as exc:  # the service's 403: not one of the instructors
        raise MessageError(str(exc)) from exc
    after, at = data.get("after_posts"), data.get("at")
    return RevealSetting(
        after_posts=after if isinstance(after, int) and not isinstance(after, bool) else None,
        at=at if isinstance(at, str) else None,
    )
