#!/usr/bin/env bash
# Installs windowdesk into ./.venv on a fresh Debian/Ubuntu machine (or any machine that
# already has Qt's system libraries), then compiles the translations.
#   bash installer/install.sh         the app
#   bash installer/install.sh --dev   the app and everything its tests need
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

# The system libraries Qt's widgets need (offscreen and on X11/Wayland desktops).
debian_packages=(libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  # The hall display: Qt's sound (QtMultimedia needs libpulse) and its Mandarin voice, made offline.
  libpulse0 espeak-ng)
# The tests build a stand-in ID card reader library from C (tests/devices/sdtapi_standin.c).
[ "${1:-}" = "--dev" ] && debian_packages+=(gcc libc6-dev)
# The packaging tests (tests/packaging): objdump, dpkg-deb's tools, lintian, and
# the display-server libraries the frozen client's .deb depends on (installed by dpkg -i).
[ "${1:-}" = "--dev" ] && debian_packages+=(binutils dpkg-dev fakeroot lintian
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libdrm2 libxcb1 libxext6 libxrender1)
# The Windows installer's script is compiled here too (tests/packaging/test_windows_installer.py).
[ "${1:-}" = "--dev" ] && debian_packages+=(nsis)
# The frozen window keeps its key in the Secret Service on UOS and Kylin: tested against
# GNOME Keyring in a D-Bus session of its own (tests/packaging/test_frozen_bundle.py).
[ "${1:-}" = "--dev" ] && debian_packages+=(gnome-keyring dbus)
# The hub's web pages (console, public pages) are tested in a real headless Chromium,
# driven by Playwright's Python client (tests/web/browser.py); Debian's browser, not a download.
[ "${1:-}" = "--dev" ] && debian_packages+=(chromium fonts-droid-fallback)
# Scanning at the window goes through SANE's scanimage; the tests scan from SANE's own
# "test" device (libsane1 holds the backends, sane-utils the scanimage program).
[ "${1:-}" = "--dev" ] && debian_packages+=(sane-utils libsane1)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${debian_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
.venv/bin/python installer/compile_translations.py translations
