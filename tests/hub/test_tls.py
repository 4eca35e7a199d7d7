"""HTTPS: the real ``windowdesk-hub serve --certfile --keyfile`` process, and a client
that trusts only the city's private CA."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from windowdesk.hub.cli import main
from windowdesk.hub.errors import InvalidInput
from windowdesk.hub.server import TlsFiles, refuse_plain_http_on_network
from windowdesk.paths import resources_dir
from windowdesk.services import hub_enrollment
from windowdesk.services import sync as sync_service
from windowdesk.sync.client import ERROR_CERTIFICATE, HubClient, HubRefused
from windowdesk.sync.credentials import TokenStore

from .certificates import issue_server_certificate, make_authority
from .conftest import EventFactory, Hub
from .test_server import hub_command, wait_until_ready


@contextlib.contextmanager
def serving(hub: Hub, log_path: Path, *options: str, port: str = "0") -> Iterator[str]:
    """The hub as a child process; yields its base URL from the ready line."""
    hub.db.dispose()  # the server process is the only user from here on
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*hub_command(), *hub.cli_args("serve", "--host", "127.0.0.1", "--port", port, *options)],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        yield wait_until_ready(process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()


def _enrollment_code(hub: Hub, capsys: pytest.CaptureFixture[str], window: str) -> str:
    assert main(hub.cli_args("enroll-code", "CH", window)) == 0
    return re.search(rf"CH-{window}: (\S+)", capsys.readouterr().out).group(1)


def test_the_client_trusts_the_hub_only_through_its_private_ca(
    hub: Hub, migrated_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(hub.cli_args("import-catalog", str(resources_dir() / "catalog"))) == 0
    direct_code, services_code = _enrollment_code(hub, capsys, "02"), _enrollment_code(hub, capsys, "03")
    city_ca, stranger_ca = make_authority("City IT CA"), make_authority("Someone else's CA")
    certfile, keyfile = issue_server_certificate(city_ca, tmp_path)
    city_bundle = str(city_ca.write(tmp_path / "city-ca.pem"))

    with serving(hub, tmp_path / "hub.log", "--certfile", str(certfile), "--keyfile", str(keyfile)) as base:
        assert base.startswith("https://127.0.0.1:")

        # The system's CAs and another CA do not vouch for the hub: refused before anything
        # is sent, with words about the certificate (the code stays unused).
        for bundle in (None, str(stranger_ca.write(tmp_path / "stranger-ca.pem"))):
            client = HubClient(base, ca_bundle=bundle)
            with pytest.raises(HubRefused) as refused:
                client.enroll(direct_code)
            assert refused.value.code == ERROR_CERTIFICATE
            assert "certificate" in refused.value.message and "not trusted" in refused.value.title
            assert not client.health()
            client.close()
        with (
            contextlib.closing(HubClient(base, ca_bundle=str(tmp_path / "missing.pem"))) as client,
            pytest.raises(HubRefused, match="cannot be read"),
        ):
            client.enroll(direct_code)

        # With the city's CA: enroll and push.
        enrolling = HubClient(base, ca_bundle=city_bundle)
        answer = enrolling.enroll(direct_code)
        factory = EventFactory(window="CH-02")
        resident = factory.resident()
        pushing = HubClient(base, answer["token"], ca_bundle=city_bundle)
        results = pushing.push([resident, factory.case(resident["entity_id"])])
        assert [r.status for r in results] == ["applied", "applied"]
        for client in (enrolling, pushing):
            client.close()

        # The same through the services, with the CA kept in the workstation's settings.
        admin_ctx, credentials = _set_up_window(migrated_db, "03")
        client = hub_enrollment.enrollment_client(base, city_bundle)
        assert client.ca_bundle == city_bundle
        with contextlib.closing(client):
            hub_enrollment.enroll_workstation(
                migrated_db,
                admin_ctx,
                administrator=credentials,
                hub_url=base,
                code=services_code,
                client=client,
                token_store_for=TokenStore,
                ca_bundle=city_bundle,
            )
        assert sync_service.ca_bundle(migrated_db) == city_bundle
        token = TokenStore(sync_service.workstation_account(migrated_db)).get()
        with contextlib.closing(sync_service.hub_client_for(migrated_db, token)) as client:
            report = sync_service.SyncRunner(migrated_db, client).run()
        assert report.ok, report.error
        assert report.pulled >= 1  # the catalog, over HTTPS


def _set_up_window(db, window: str):
    """Window ``window`` of CH set up here, with an administrator to enroll it."""
    from tests.administrators import add_administrator
    from windowdesk.services import bootstrap, workstation

    bootstrap.ensure_catalog(db, resources_dir())
    ctx = workstation.configure_workstation(
        db,
        center_code="CH",
        window_code=window,
        operator_name="值班长",
        operator_login="zhiban",
        password="Duty-Desk-5930",
        role="supervisor",
    )
    return add_administrator(db, ctx)


def test_the_ca_setting_must_name_a_certificate_file(migrated_db, tmp_path: Path) -> None:
    from windowdesk.errors import ValidationError

    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate")
    for path in (str(tmp_path / "missing.pem"), str(not_pem)):
        with pytest.raises(ValidationError):
            hub_enrollment.enrollment_client("https://hub.example", path)
    assert sync_service.ca_bundle(migrated_db) is None
    ca = str(make_authority("City IT CA").write(tmp_path / "ca.pem"))
    assert hub_enrollment.enrollment_client("https://hub.example", ca).ca_bundle == ca
    assert hub_enrollment.enrollment_client("https://hub.example", None).ca_bundle is None  # the system's CAs


def test_a_server_with_another_certificate_at_the_hub_s_address_gets_nothing(
    hub: Hub, migrated_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The certificate's fingerprint is pinned at enrollment: a server with another
    certificate, though the same CA signed it for the same name, is refused as the TLS
    connection is made, before the token or an event leaves (issue 21, finding 1)."""
    from sqlalchemy import select

    from windowdesk.services import auth
    from windowdesk.storage import models as m
    from windowdesk.sync.client import ERROR_HUB_IDENTITY

    assert main(hub.cli_args("import-catalog", str(resources_dir() / "catalog"))) == 0
    code = _enrollment_code(hub, capsys, "03")
    city_ca = make_authority("City IT CA")
    bundle = str(city_ca.write(tmp_path / "city-ca.pem"))
    for folder in ("ours", "impostor"):
        (tmp_path / folder).mkdir()
    ours = issue_server_certificate(city_ca, tmp_path / "ours")
    impostor = issue_server_certificate(city_ca, tmp_path / "impostor")
    admin_ctx, credentials = _set_up_window(migrated_db, "03")
    with serving(hub, tmp_path / "hub.log", "--certfile", str(ours[0]), "--keyfile", str(ours[1])) as base:
        with contextlib.closing(hub_enrollment.enrollment_client(base, bundle)) as client:
            hub_enrollment.enroll_workstation(
                migrated_db,
                admin_ctx,
                administrator=credentials,
                hub_url=base,
                code=code,
                client=client,
                token_store_for=TokenStore,
                ca_bundle=bundle,
            )
        token = TokenStore(sync_service.workstation_account(migrated_db)).get()
        with contextlib.closing(sync_service.hub_client_for(migrated_db, token)) as client:
            assert sync_service.SyncRunner(migrated_db, client).run().ok
        port = base.rsplit(":", 1)[1]
    auth.change_password(migrated_db, admin_ctx, current=credentials.password, new="Cedar-Ridge-4471")  # to send
    with migrated_db.read() as session:
        assert session.scalars(select(m.OutboxEvent)).first() is not None
        cursor = session.scalar(select(m.LocalSetting.value).where(m.LocalSetting.key == sync_service.KEY_CURSOR))

    # The same hub's database, even: only the certificate differs.
    with serving(
        hub, tmp_path / "impostor.log", "--certfile", str(impostor[0]), "--keyfile", str(impostor[1]), port=port
    ) as again:
        assert again == base
        with contextlib.closing(sync_service.hub_client_for(migrated_db, token)) as client:
            report = sync_service.SyncRunner(migrated_db, client).run()
    assert isinstance(report.error, HubRefused) and report.error.code == ERROR_HUB_IDENTITY
    with migrated_db.read() as session:
        assert (
            session.scalar(select(m.LocalSetting.value).where(m.LocalSetting.key == sync_service.KEY_CURSOR)) == cursor
        )
        assert all(row.attempts == 0 for row in session.scalars(select(m.OutboxEvent)))


def test_serving_https_needs_a_matching_certificate_and_key(tmp_path: Path) -> None:
    city_ca = make_authority("City IT CA")
    certfile, keyfile = issue_server_certificate(city_ca, tmp_path)
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    _, other_key = issue_server_certificate(city_ca, other_folder)

    assert TlsFiles.checked(None, None) is None
    assert TlsFiles.checked(str(certfile), str(keyfile)).certfile == certfile
    with pytest.raises(InvalidInput, match="both --certfile and --keyfile"):
        TlsFiles.checked(str(certfile), None)
    with pytest.raises(InvalidInput, match="There is no file"):
        TlsFiles.checked(str(tmp_path / "nope.crt"), str(keyfile))
    with pytest.raises(InvalidInput, match="cannot be used together"):
        TlsFiles.checked(str(certfile), str(other_key))


def test_the_serve_command_refuses_a_half_tls_setup_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--data-dir", str(tmp_path), "--port", "0", "--certfile", str(tmp_path / "hub.crt")])
    assert code == 2
    assert "needs both --certfile and --keyfile" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.10.5", "hub.egov.example"])
def test_the_serve_command_refuses_plain_http_on_a_network_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    code = main(["serve", "--data-dir", str(tmp_path), "--host", host, "--port", "0"], environ={"LANGUAGE": "en"})
    assert code == 2
    err = capsys.readouterr().err
    assert f"Serving plain HTTP on {host} would send the windows' ID numbers and tokens across the network" in err
    assert not (tmp_path / "hub.sqlite3").exists()  # refused before anything was made


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_plain_http_is_served_on_this_computers_own_address(host: str) -> None:
    refuse_plain_http_on_network(host)  # behind a TLS proxy on the same machine: no refusal
