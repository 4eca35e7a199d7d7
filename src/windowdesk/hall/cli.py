"""``windowdesk-hall``: the hall's queue service of one service center, and its set-up.

    windowdesk-hall --data-dir D load-config hall.toml
    windowdesk-hall --data-dir D business A 社保医保 --items SB-001 SB-002
    windowdesk-hall --data-dir D window 05 --businesses A,B
    windowdesk-hall --data-dir D token window --window 05     # prints the token once
    windowdesk-hall --data-dir D serve --host 0.0.0.0 --port 8770 [--hub https://hub.example]
    windowdesk-hall --data-dir D fetch-bookings --hub https://hub.example
(the hub's hall token in WINDOWDESK_HALL_HUB_TOKEN: ``windowdesk-hub hall-token CENTER``)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence

from windowdesk.errors import WindowdeskError
from windowdesk.hall import settings
from windowdesk.hall.errors import HallError
from windowdesk.hall.hub_link import ENV_HUB_TOKEN, fetch_bookings
from windowdesk.hall.service import DEFAULT_TIMEZONE, ROLES, HallService
from windowdesk.hall.storage.store import HallStore
from windowdesk.hub.cli_language import HelpFormatter, speaking, terminal_language
from windowdesk.i18n import _

DEFAULT_PORT = 8770
ENV_TOKEN = "WINDOWDESK_HALL_TOKEN"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="windowdesk-hall",
        formatter_class=HelpFormatter,
        description=_("The queue service (排队叫号) of one service center."),
    )
    parser.add_argument("--data-dir", help=_("folder of the hall's store (else WINDOWDESK_HALL_DATA_DIR)"))
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help=_("serve the queue on the hall's network"))
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument(
        "--timezone",
        default=os.environ.get(settings.ENV_TIMEZONE, DEFAULT_TIMEZONE),
        help=_("the hall's time zone: numbers start again each local day"),
    )
    fetch = commands.add_parser("fetch-bookings", help=_("read today's bookings of the center from the hub once"))
    for command in (serve, fetch):
        command.add_argument(
            "--hub",
            default="",
            required=command is fetch,
            help=_(
                "the hub's address, to read the center's bookings from (the hall token in WINDOWDESK_HALL_HUB_TOKEN)"
            ),
        )
    load = commands.add_parser("load-config", help=_("set businesses and windows from a TOML file"))
    load.add_argument("file")
    business = commands.add_parser("business", help=_("add or change a business"))
    business.add_argument("prefix")
    business.add_argument("name")
    business.add_argument("--items", nargs="*", default=[], help=_("catalog item codes"))
    window = commands.add_parser("window", help=_("add or change a window and the businesses it serves"))
    window.add_argument("code")
    window.add_argument("--businesses", required=True, help=_("prefixes, comma-separated, e.g. A,B"))
    window.add_argument("--name", default="")
    token = commands.add_parser("token", help=_("make a token for a window, the kiosk or the display"))
    token.add_argument("role", choices=ROLES)
    token.add_argument("--window")
    token.add_argument("--label", default="")
    revoke = commands.add_parser("revoke", help=_("revoke the tokens with this label"))
    revoke.add_argument("label")
    commands.add_parser("show", help=_("print the businesses and windows"))
    commands.add_parser("voice", help=_("make the display's voice clips now (else on its first start)"))
    for name, words in (
        ("display", _("show the hall display (full screen)")),
        ("kiosk", _("show the ticket kiosk (full screen)")),
    ):
        screen = commands.add_parser(name, help=words)
        screen.add_argument("--url", required=True, help=_("the hall service's address"))
        screen.add_argument(
            "--token", default=os.environ.get(ENV_TOKEN, ""), help=_("this device's token (else WINDOWDESK_HALL_TOKEN)")
        )
        screen.add_argument("--windowed", action="store_true", help=_("in a window, not full screen"))
    kiosk = commands.choices["kiosk"]
    kiosk.add_argument(
        "--printer",
        required=True,
        help=_(
            "the ticket printer: network:HOST[:PORT], usb:VENDOR:PRODUCT, serial:DEVICE[:BAUD] "
            "or cups:QUEUE (an OS print queue)"
        ),
    )
    kiosk.add_argument("--center-name", default="", help=_("the center's name printed on the tickets"))
    return parser


def _service(args: argparse.Namespace) -> tuple[HallService, HallStore]:
    store = HallStore(settings.store_path(settings.data_dir(args.data_dir)))
    store.migrate()
    return HallService(store, timezone=os.environ.get(settings.ENV_TIMEZONE, DEFAULT_TIMEZONE)), store


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from windowdesk.hall.server import serve

        return serve(
            settings.store_path(settings.data_dir(args.data_dir)),
            host=args.host,
            port=args.port,
            timezone=args.timezone,
            hub_url=args.hub,
            hub_token=os.environ.get(ENV_HUB_TOKEN, ""),
        )
    if args.command == "voice":
        from windowdesk.hall.voice import VoiceClips

        made = VoiceClips(settings.data_dir(args.data_dir) / "voice" / "clips").ensure()
        print(_("Made {count} voice clips.").format(count=made))
        return 0
    if args.command == "display":
        from windowdesk.i18n import current_locale
        from windowdesk.ui.queue.display import run_display

        return run_display(
            args.url,
            args.token,
            data_dir=settings.data_dir(args.data_dir),
            fullscreen=not args.windowed,
            locale=current_locale(),
        )
    if args.command == "kiosk":
        from windowdesk.i18n import current_locale
        from windowdesk.ui.queue.kiosk import run_kiosk

        return run_kiosk(
            args.url,
            args.token,
            printer=args.printer,
            center_name=args.center_name,
            fullscreen=not args.windowed,
            locale=current_locale(),
        )
    service, store = _service(args)
    try:
        if args.command == "load-config":
            from windowdesk.hall.config_file import load_config

            businesses, windows = load_config(service, args.file)
            print(
                _("Set {businesses} businesses and {windows} windows.").format(businesses=businesses, windows=windows)
            )
        elif args.command == "business":
            service.set_business(prefix=args.prefix, name=args.name, items=args.items)
        elif args.command == "window":
            service.set_window(
                code=args.code, name=args.name, businesses=[b for b in args.businesses.split(",") if b.strip()]
            )
        elif args.command == "token":
            print(service.add_token(role=args.role, window=args.window, label=args.label))
        elif args.command == "revoke":
            print(_("Revoked {count} tokens.").format(count=service.revoke_tokens(label=args.label)))
        elif args.command == "fetch-bookings":
            count = fetch_bookings(service, hub_url=args.hub, token=os.environ.get(ENV_HUB_TOKEN, ""))
            print(_("Read {count} bookings of today from the hub.").format(count=count))
        elif args.command == "show":
            print(json.dumps(service.setup(), ensure_ascii=False, indent=2))
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    with speaking(terminal_language(environ)):
        args = _parser().parse_args(argv)
        try:
            return run(args)
        except HallError as error:
            print(_(error.msgid).format(**error.params), file=sys.stderr)
            return 2
        except WindowdeskError as error:
            print(str(error), file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
