"""The display's Mandarin voice: clips made by espeak-ng, a call assembled from them."""

from __future__ import annotations

import wave

from windowdesk.hall.voice import PHRASES, VoiceClips, call_sequence


def test_a_call_is_said_letter_by_digit_then_the_window() -> None:
    assert call_sequence("a023", "05") == ["please", "A", "0", "2", "3", "number_to", "0", "5", "window_serve"]


def test_clips_are_made_once_and_only_the_missing_again(tmp_path) -> None:
    clips = VoiceClips(tmp_path / "clips")
    assert clips.ensure() == len(PHRASES)
    for clip in ("please", "A", "7", "window_serve"):
        with wave.open(str(clips.path(clip)), "rb") as sound:
            assert sound.getnframes() > 0 and sound.getnchannels() == 1
    clips.path("7").unlink()
    assert clips.ensure() == 1
    assert clips.missing() == []


def test_the_voice_command_makes_the_clips_into_the_data_folder(tmp_path) -> None:
    from windowdesk.hall.cli import main

    assert main(["--data-dir", str(tmp_path), "voice"], environ={"LANGUAGE": "en"}) == 0
    assert VoiceClips(tmp_path / "voice" / "clips").missing() == []
