from collections.abc import Iterator

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from tests.web.browser import chromium, desktop_page, phone_page  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def module_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's file backend in this module's folder: a window started by the test
    keeps its hub token there."""
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path_factory.mktemp("keyring") / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
