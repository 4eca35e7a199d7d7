"""The hall display against a real ``windowdesk-hall`` process: calls shown at their
window, names masked, waiting counts, and the spoken call written as a WAV."""

from __future__ import annotations

import wave

import pytest

from tests.hall.hall_process import HallProcess
from windowdesk.hall.voice import VoiceClips, call_sequence
from windowdesk.sync.hall_client import HallClient
from windowdesk.ui.queue.display import HallDisplayWindow

WAIT_MS = 15_000


@pytest.fixture
def hall(tmp_path):
    process = HallProcess(tmp_path / "hall")
    process.cli("business", "A", "民政")
    process.cli("business", "B", "户籍")
    process.cli("window", "05", "--businesses", "A")
    process.start()
    yield process
    process.stop()


def test_a_call_is_shown_masked_counted_and_spoken(qtbot, hall, tmp_path) -> None:
    kiosk = HallClient(hall.url, hall.token("kiosk"))
    window = HallClient(hall.url, hall.token("window", "05"))
    display = HallDisplayWindow(hall.url, hall.token("display"), voice_folder=tmp_path / "voice", speak=True)
    qtbot.addWidget(display)
    display.show()
    try:
        kiosk.issue(business="A", resident={"name": "王芳", "id_number": "230902194001010012"})
        kiosk.issue(business="A")
        kiosk.issue(business="B")
        qtbot.waitUntil(lambda: "A 民政: 2 waiting" in display.waiting_label.text(), timeout=WAIT_MS)
        window.call_next()
        qtbot.waitUntil(lambda: len(display.spoken) == 1, timeout=WAIT_MS)
        assert "A001" in display.calling_label.text() and "05" in display.calling_label.text()
        assert [display.recent.item(0, c).text() for c in range(3)] == ["A001", "05", "王*"]
        assert "B 户籍: 1 waiting" in display.waiting_label.text()
        assert "230902194001010012" not in str(display.spoken)

        call = display.spoken[0]
        assert call["voice_clips"] == ["please", "A", "0", "0", "1", "number_to", "0", "5", "window_serve"]
        clips = VoiceClips(tmp_path / "voice" / "clips")
        with wave.open(call["voice"], "rb") as spoken:
            frames = spoken.getnframes()
            assert frames / spoken.getframerate() > 1.0
        expected = 0
        for clip in call_sequence("A001", "05"):
            with wave.open(str(clips.path(clip)), "rb") as part:
                expected += part.getnframes()
        assert frames == expected  # the call is exactly its clips, in that order

        window.recall()
        qtbot.waitUntil(lambda: len(display.spoken) == 2, timeout=WAIT_MS)
        assert display.spoken[1]["kind"] == "recall"
    finally:
        kiosk.close()
        window.close()
        display.close()


def test_the_display_says_when_the_service_is_down_and_comes_back(qtbot, hall, tmp_path) -> None:
    display = HallDisplayWindow(hall.url, hall.token("display"), voice_folder=None, speak=False)
    qtbot.addWidget(display)
    display.show()
    try:
        qtbot.waitUntil(lambda: "waiting" in display.waiting_label.text(), timeout=WAIT_MS)
        port = hall.port
        hall.kill()
        qtbot.waitUntil(lambda: "does not answer" in display.status_label.text(), timeout=WAIT_MS)
        hall.start(port=port)
        qtbot.waitUntil(lambda: display.status_label.text() == "", timeout=WAIT_MS)
    finally:
        display.close()
