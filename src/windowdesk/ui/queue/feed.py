"""Following the hall service's display feed on the network lane: a long poll that
hands each answer to the UI thread as progress. Calls newer than the last seen come
with their voice already assembled (a WAV path), so the UI only plays it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from windowdesk.errors import WindowdeskError
from windowdesk.hall.voice import VoiceClips
from windowdesk.sync.hall_client import HallClient, HallUnreachable

LONG_POLL_S = 5.0  # a call wakes the poll at once; this only bounds how long a close waits
RETRY_S = 2.0
KEEP_VOICE_FILES = 20


def follow_display(url: str, token: str, voice_folder: Path | None) -> Callable:
    """The work for ``Workers.start``: runs until cancelled, reporting
    ("feed", snapshot), ("down", error) or ("voice_error", error)."""

    def work(cancel: threading.Event, progress: Callable) -> None:
        clips = VoiceClips(voice_folder / "clips") if voice_folder else None
        if clips is not None:
            try:
                clips.ensure()
            except (WindowdeskError, OSError) as error:
                progress(("voice_error", error))
                clips = None
        client = HallClient(url, token, timeout=(2.0, LONG_POLL_S + 5))
        after = None
        try:
            while not cancel.is_set():
                try:
                    snapshot = client.display(after=after or 0, wait=0.0 if after is None else LONG_POLL_S)
                except (HallUnreachable, WindowdeskError) as error:
                    progress(("down", error))
                    cancel.wait(RETRY_S)
                    continue
                if after is None:
                    snapshot["calls"] = []  # calls made before the display started are not spoken again
                elif clips is not None and voice_folder is not None:  # clips come with a folder
                    for call in snapshot["calls"]:
                        target = voice_folder / "calls" / f"{call['seq'] % KEEP_VOICE_FILES}.wav"
                        call["voice_clips"] = clips.assemble(call["number"], call["window"] or "", target)
                        call["voice"] = str(target)
                after = snapshot["last_seq"]
                progress(("feed", snapshot))
        finally:
            client.close()

    return work
