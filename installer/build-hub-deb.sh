#!/usr/bin/env bash
# Packages the hub (windowdesk-hub) and the hall's queue service (windowdesk-hall) as one
# .deb for a Debian 12 server (or UOS/Kylin server editions with Python 3.11), without Qt:
#   /opt/windowdesk-hub/                  a virtualenv on the system's python3.11 holding
#                                         windowdesk (without its client dependencies) and the
#                                         hub and hall extras of pyproject.toml only
#   /opt/windowdesk-hub/share/windowdesk/ the translations, the demo catalog, the calendar
#   /usr/bin/windowdesk-hub, windowdesk-hall   links to its programs
#   /lib/systemd/system/                  installer/hub/*.service, *.timer
#   /etc/default/windowdesk-hub, -hall    the administrator's settings (conffiles)
# Its maintainer scripts (installer/hub/deb/) add the users windowdesk-hub and
# windowdesk-hall with private data folders, migrate the hub's database on an upgrade and
# start nothing. One name as the client's: Package cn.windowdesk.hub, the file
# cn.windowdesk.hub_<four-part version>_<arch>.deb.
#
#   bash installer/build-hub-deb.sh [--build N] [--out DIR]
#     --build N   the fourth part of the version (default 0): 0.9.0 + N -> 0.9.0.N
#     --out DIR   where the .deb goes (default dist/)
# Needs: /usr/bin/python3.11 (the server's Python), pip (the project's venv, or PIP_PYTHON)
# and the network or a pip cache/wheelhouse (PIP_FIND_LINKS, PIP_NO_INDEX), dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

APPID=cn.windowdesk.hub
PREFIX=/opt/windowdesk-hub
# The Python of the server the package installs on (Debian 12's), not the build's own.
target_python=${TARGET_PYTHON:-/usr/bin/python3.11}
# Runs pip (which installs into the target with --python) and the build's Python steps.
python=${PYTHON:-$root/.venv/bin/python}
build=0
out="$root/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$build" in (*[!0-9]*|"") echo "--build takes a number" >&2; exit 2 ;; esac

base_version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' src/windowdesk/__init__.py)
version="$base_version.$build"
[ "$(tr -cd . <<<"$version" | wc -c)" -eq 3 ] || { echo "version $version is not four-part" >&2; exit 2; }
arch=$(dpkg --print-architecture)
py_version=$("$target_python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
venv="$stage$PREFIX"

# The venv is made where it is staged, then moved to $PREFIX by rewriting the paths it
# records (the programs' #! lines, pyvenv.cfg): a venv is found through its own path.
"$target_python" -m venv --without-pip "$venv"
pip=("$python" -m pip --python "$venv/bin/python" --disable-pip-version-check --no-input -q)
# Only what the hub and the hall import: pyproject.toml's hub and hall extras; then
# windowdesk without its own dependencies (the client's: Qt, reportlab, keyring...).
mapfile -t requirements < <("$python" - "$root/pyproject.toml" <<'PY'
import re, sys, tomllib
with open(sys.argv[1], "rb") as handle:
    extras = tomllib.load(handle)["project"]["optional-dependencies"]
for requirement in dict.fromkeys(extras["hub"] + extras["hall"]):
    if not re.match(r"windowdesk\b", requirement):
        print(requirement)
PY
)
"${pip[@]}" install --no-compile "${requirements[@]}"
"${pip[@]}" install --no-deps --no-compile "$root"
if [ -e "$venv/lib/python$py_version/site-packages/PySide6" ]; then
  echo "Qt got into the hub's package: a hub or hall dependency pulls PySide6" >&2
  exit 1
fi
# The client's programs would start without Qt: not in the server's package.
rm -f "$venv/bin/windowdesk" "$venv/bin/python-escpos" "$venv/bin/python-barcode"
rm -f "$venv"/bin/activate* "$venv"/bin/Activate.ps1
for script in "$venv"/bin/*; do
  [ -L "$script" ] || [ ! -f "$script" ] || sed -i "1s|^#!$venv/|#!$PREFIX/|" "$script"
done
sed -i "s|$stage||g" "$venv/pyvenv.cfg"
if grep -rIl --exclude=RECORD --exclude=direct_url.json "$stage" "$venv" >/dev/null; then
  echo "paths of the build are left in the package:" >&2
  grep -rIl --exclude=RECORD --exclude=direct_url.json "$stage" "$venv" >&2
  exit 1
fi
# Byte-code compiled now, named by its final path: the service's user cannot write under /opt.
"$target_python" -m compileall -q -j 0 -s "$stage" -p / "$venv/lib" >/dev/null

# The shipped data the installed windowdesk finds in <prefix>/share/windowdesk (paths.py).
share="$venv/share/windowdesk"
"$python" installer/compile_translations.py translations
for mo in translations/*/LC_MESSAGES/windowdesk.mo; do
  install -D -m 0644 "$mo" "$share/$mo"
done
[ -e "$share/translations/zh_CN/LC_MESSAGES/windowdesk.mo" ] || { echo "no compiled translations" >&2; exit 1; }
mkdir -p "$share/resources/calendar"
cp -a resources/catalog "$share/resources/catalog"
cp resources/calendar/cn_working_calendar.json "$share/resources/calendar/"

mkdir -p "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/default" "$stage/DEBIAN"
ln -s "$PREFIX/bin/windowdesk-hub" "$stage/usr/bin/windowdesk-hub"
ln -s "$PREFIX/bin/windowdesk-hall" "$stage/usr/bin/windowdesk-hall"
install -m 0644 installer/hub/*.service installer/hub/*.timer "$stage/lib/systemd/system/"
install -m 0644 installer/hub/deb/windowdesk-hub.default "$stage/etc/default/windowdesk-hub"
install -m 0644 installer/hub/deb/windowdesk-hall.default "$stage/etc/default/windowdesk-hall"
install -m 0755 installer/hub/deb/postinst installer/hub/deb/prerm installer/hub/deb/postrm "$stage/DEBIAN/"
printf '%s\n' /etc/default/windowdesk-hub /etc/default/windowdesk-hall > "$stage/DEBIAN/conffiles"
# Owner and group root, nothing writable by others, whatever the build machine's umask.
chmod -R u+rwX,go+rX,go-w "$stage/opt" "$stage/usr" "$stage/lib" "$stage/etc"

installed_size=$(du -sk --apparent-size "$stage/opt" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: $APPID
Version: $version
Architecture: $arch
Maintainer: windowdesk <dev@windowdesk.invalid>
Installed-Size: $installed_size
Depends: python$py_version, libc6 (>= 2.28), passwd, util-linux
Section: net
Priority: optional
Homepage: https://windowdesk.invalid/
Description: hub and hall queue service of windowdesk (servers, no Qt)
 The windowdesk hub is the city's server every counter workstation syncs
 with; the hall's queue service issues and calls the tickets of one
 service center. Both run as systemd services under their own users,
 from /opt/windowdesk-hub, and start only once the administrator has set
 them up.
CONTROL

mkdir -p "$out"
deb="$out/${APPID}_${version}_${arch}.deb"
dpkg-deb --root-owner-group "-Z${DEB_COMPRESSION:-xz}" --build "$stage" "$deb" >/dev/null
echo "$deb"
