"""The hall service's refusals: a stable code for programs, a message id that each
client translates into its own language (the service itself answers in English)."""

from __future__ import annotations

from typing import Any

from windowdesk.i18n import N_


class HallError(Exception):
    """A refusal with its HTTP status, a code, and words (an untranslated message id)."""

    status = 409

    def __init__(self, code: str, msgid: str, *, status: int | None = None, **params: Any) -> None:
        super().__init__(msgid.format(**params))
        self.code = code
        self.msgid = msgid
        self.params = {key: str(value) for key, value in params.items()}
        if status is not None:
            self.status = status

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "msgid": self.msgid, "params": self.params}


def not_found(what: str, key: str) -> HallError:
    msgids = {
        "ticket": N_("There is no ticket {key} today."),
        "window": N_("The hall has no window {key}."),
        "business": N_("The hall has no business {key}."),
    }
    return HallError(f"no_{what}", msgids[what], status=404, key=key)
