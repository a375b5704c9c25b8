"""What the class service's replicas tell each other through PostgreSQL's NOTIFY.

A :class:`Notice` is sent by ``ClassStore.notify`` (:mod:`.classroom`) and read back by the
``Listener`` (:mod:`.listener`): one home for its payload, both ways.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

NOTIFY_CHANNEL = "reader_ext_class"


@dataclass(frozen=True, slots=True)
class Notice:
    """What one NOTIFY says: something changed on ``source`` ("" for every lesson); ``resync``:
    who may see what changed, so readers load it afresh (only ``user``'s readers, if given);
    ``user``: whose view of the lesson changed (a post under *hide until posted*); ``origin``:
    the replica that wrote it (which has done this itself already)."""

    source: str
    resync: bool = False
    user: str | None = None
    origin: str | None = None

    def payload(self) -> str:
        """The NOTIFY payload: small, and never replayed (listeners read from their cursor)."""
        return json.dumps(
            {"source": self.source, "resync": self.resync, "user": self.user, "origin": self.origin}
        )

    @classmethod
    def from_payload(cls, payload: str) -> Notice | None:
        """The notice in ``payload``, or ``None`` if it is not one."""
        try:
            data = json.loads(payload)
            user, origin = data.get("user"), data.get("origin")
            return cls(
                str(data["source"]),
                resync=bool(data.get("resync")),
                user=user if isinstance(user, str) else None,
                origin=origin if isinstance(origin, str) else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
