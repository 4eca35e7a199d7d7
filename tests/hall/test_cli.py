"""``windowdesk-hall``'s set-up commands, run as the administrator runs them."""

from __future__ import annotations

import contextlib
import io
import json

from windowdesk.hall.cli import main

ENGLISH = {"LANGUAGE": "en"}


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args), environ=ENGLISH)
    return code, out.getvalue(), err.getvalue()


def test_a_config_file_sets_businesses_and_windows_and_loading_it_again_updates_them(tmp_path) -> None:
    config = tmp_path / "hall.toml"
    config.write_text(
        '[[business]]\nprefix = "A"\nname = "社保医保"\nitems = ["SB-001"]\n\n'
        '[[business]]\nprefix = "b"\nname = "户籍"\n\n'
        '[[window]]\ncode = "05"\nname = "综合窗口"\nbusinesses = ["A", "B"]\n',
        encoding="utf-8",
    )
    data = str(tmp_path / "hall")
    assert _run("--data-dir", data, "load-config", str(config))[1].strip() == "Set 2 businesses and 1 windows."
    config.write_text(
        config.read_text(encoding="utf-8").replace('businesses = ["A", "B"]', 'businesses = ["B"]'), encoding="utf-8"
    )
    _run("--data-dir", data, "load-config", str(config))
    setup = json.loads(_run("--data-dir", data, "show")[1])
    assert [(b["prefix"], b["name"], b["items"]) for b in setup["businesses"]] == [
        ("A", "社保医保", ["SB-001"]),
        ("B", "户籍", []),
    ]
    assert [(w["code"], w["businesses"]) for w in setup["windows"]] == [("05", ["B"])]


def test_a_window_serving_an_unknown_business_is_refused_in_plain_words(tmp_path) -> None:
    code, _out, err = _run("--data-dir", str(tmp_path), "window", "05", "--businesses", "Z")
    assert code == 2 and "The hall has no business Z." in err


def test_an_unreadable_config_file_says_which_and_why(tmp_path) -> None:
    config = tmp_path / "hall.toml"
    config.write_text("[[business]\n", encoding="utf-8")
    code, _out, err = _run("--data-dir", str(tmp_path), "load-config", str(config))
    assert code == 2 and "hall.toml cannot be read" in err


def test_a_token_is_printed_once_and_revoked_by_its_label(tmp_path) -> None:
    data = str(tmp_path)
    _run("--data-dir", data, "business", "A", "社保")
    _run("--data-dir", data, "window", "05", "--businesses", "A")
    code, token, _err = _run("--data-dir", data, "token", "window", "--window", "05")
    assert code == 0 and len(token.strip()) >= 30
    assert "hall.sqlite3" in str(list(tmp_path.iterdir()))
    assert token.strip().encode() not in (tmp_path / "hall.sqlite3").read_bytes()
    assert _run("--data-dir", data, "revoke", "window-05")[1].strip() == "Revoked 1 tokens."
