"""Where the shipped data (resources/, translations/) is found, installed either way."""

from __future__ import annotations

from pathlib import Path

from windowdesk.paths import shipped_root_of


def _module_in(root: Path) -> Path:
    module = root / "windowdesk" / "paths.py"
    module.parent.mkdir(parents=True)
    module.write_text("")
    return module


def test_a_checkout_finds_its_own_resources(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "resources").mkdir(parents=True)
    prefix = tmp_path / "venv"
    (prefix / "share" / "windowdesk").mkdir(parents=True)
    assert shipped_root_of(_module_in(checkout / "src"), prefix) == checkout


def test_a_wheel_install_finds_the_data_under_its_prefix(tmp_path):
    """The hub's package: windowdesk in site-packages, its data in <prefix>/share/windowdesk."""
    prefix = tmp_path / "opt" / "windowdesk-hub"
    (prefix / "share" / "windowdesk" / "translations").mkdir(parents=True)
    module = _module_in(prefix / "lib" / "python3.11" / "site-packages")
    assert shipped_root_of(module, prefix) == prefix / "share" / "windowdesk"
