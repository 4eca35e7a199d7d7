"""The Mandarin voice of the hall display: "请 A023 号到 05 号窗口办理", assembled from
short clips that espeak-ng (voice ``cmn``) makes once into the data folder, so the hall
never needs the network. The clips are WAV files of one format (espeak-ng's 22.05 kHz
mono 16-bit), so a call is their frames one after the other.

The clips are made at install time (``windowdesk-hall voice``) or on the display's first
start, whichever comes first; making them again only fills in missing ones.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

from windowdesk.errors import WindowdeskError
from windowdesk.i18n import _

VOICE = "cmn"
SPEED_WPM = 150
DIGITS = "零一二三四五六七八九"
# Clip name -> what espeak-ng says. Letters are spoken as espeak's cmn voice reads Latin
# letters (as in English: "A", "B"), as halls announce them.
PHRASES = {
    "please": "请",
    "number_to": "号到",
    "window_serve": "号窗口办理",
    **{digit: DIGITS[int(digit)] for digit in "0123456789"},
    **{letter: letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
}


class VoiceUnavailable(WindowdeskError):
    pass


def call_sequence(number: str, window: str) -> list[str]:
    """The clips of one call, in order: 请 A 0 2 3 号到 0 5 号窗口办理."""
    return [
        "please",
        *[c for c in number.upper() if c in PHRASES],
        "number_to",
        *[c for c in window if c.isdigit()],
        "window_serve",
    ]


class VoiceClips:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, clip: str) -> Path:
        return self.folder / f"{clip}.wav"

    def missing(self) -> list[str]:
        return [clip for clip in PHRASES if not self.path(clip).exists()]

    def ensure(self) -> int:
        """Makes the missing clips; returns how many were made."""
        missing = self.missing()
        if not missing:
            return 0
        program = shutil.which("espeak-ng")
        if program is None:
            raise VoiceUnavailable(
                _("No voice for the hall display"),
                _(
                    "espeak-ng is not installed (Debian: apt-get install espeak-ng); the "
                    "display shows the calls without speaking them."
                ),
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        for clip in missing:
            partial = self.path(clip).with_suffix(".part")
            subprocess.run(
                [program, "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(partial), PHRASES[clip]],
                check=True,
                capture_output=True,
                timeout=30,
            )
            partial.replace(self.path(clip))  # whole clips only: a crash leaves none half made
        return len(missing)

    def assemble(self, number: str, window: str, target: Path) -> list[str]:
        """Writes the call's WAV to ``target``; returns the clips it holds, in order."""
        sequence = call_sequence(number, window)
        frames = []
        params = None
        for clip in sequence:
            with wave.open(str(self.path(clip)), "rb") as source:
                params = params or source.getparams()
                frames.append(source.readframes(source.getnframes()))
        if params is None:
            raise ValueError("an announcement of no clip")
        target.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(target), "wb") as out:
            out.setnchannels(params.nchannels)
            out.setsampwidth(params.sampwidth)
            out.setframerate(params.framerate)
            out.writeframes(b"".join(frames))
        return sequence
