#!/usr/bin/env bash
# Freezes the windowdesk client (PyInstaller, installer/windowdesk.spec) and packages it as
# a .deb in the 统信UOS app store layout, which 银河麒麟 (Kylin) installs as it is:
#   /opt/apps/<appid>/info                         JSON: appid, name, version, arch, permissions
#   /opt/apps/<appid>/entries/applications/<appid>.desktop
#   /opt/apps/<appid>/entries/icons/hicolor/...    the icon, PNG sizes and SVG
#   /opt/apps/<appid>/files/                       the frozen one-folder bundle
# No maintainer scripts, nothing outside /opt/apps/<appid>, nothing that needs root to run.
#
#   bash installer/build-deb.sh [--build N] [--bundle DIR] [--out DIR]
#     --build N     the fourth part of the version (default 0): 0.9.0 + N -> 0.9.0.N
#     --bundle DIR  package this already frozen folder instead of freezing again
#     --out DIR     where the .deb goes (default dist/)
# Needs: a venv with the app and the dev extra (installer/install.sh --dev), the compiled
# translations, binutils (objdump) and dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# One appid everywhere (info, control's Package, the .desktop name, the file name).
APPID=cn.windowdesk.client
python=${PYTHON:-$root/.venv/bin/python}
build=0
bundle=""
out="$root/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$build" in (*[!0-9]*|"") echo "--build takes a number" >&2; exit 2 ;; esac

# The version's one place is windowdesk.__version__ (pyproject.toml reads it from there).
base_version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' src/windowdesk/__init__.py)
version="$base_version.$build"
[ "$(tr -cd . <<<"$version" | wc -c)" -eq 3 ] || { echo "version $version is not four-part" >&2; exit 2; }
arch=$(dpkg --print-architecture)

if [ -z "$bundle" ]; then
  "$python" installer/compile_translations.py translations
  "$python" -m PyInstaller --noconfirm --log-level WARN --distpath build/pyinstaller/dist \
    --workpath build/pyinstaller/work installer/windowdesk.spec
  bundle=build/pyinstaller/dist/windowdesk
fi
[ -x "$bundle/windowdesk" ] || { echo "$bundle holds no frozen windowdesk" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
app="$stage/opt/apps/$APPID"
mkdir -p "$app/entries/applications" "$app/entries/icons/hicolor/scalable/apps" "$stage/DEBIAN"
cp -a "$bundle" "$app/files"
# Owner and group root, nothing writable by others, whatever the build machine's umask.
chmod -R u+rwX,go+rX,go-w "$app/files"

"$python" installer/icons/render_icons.py "$app/entries/icons/hicolor" "$APPID"
cp installer/icons/windowdesk.svg "$app/entries/icons/hicolor/scalable/apps/$APPID.svg"

sed -e "s|^Exec=.*|Exec=/opt/apps/$APPID/files/windowdesk|" \
    -e "/^Categories=/i Icon=$APPID" installer/windowdesk.desktop \
    > "$app/entries/applications/$APPID.desktop"

# The UOS app store's info file. Permissions: the counter needs none of the optional ones
# (no autostart, tray, camera, microphone, notifications through the store's broker);
# the ID card reader and printers go through the ordinary device and CUPS access.
"$python" - "$app/info" "$APPID" "$version" "$arch" <<'PY'
import json, sys
path, appid, version, arch = sys.argv[1:]
info = {
    "appid": appid,
    "name": "windowdesk",
    "version": version,
    "arch": [arch],
    "permissions": {
        "autostart": False, "notification": False, "trayicon": False, "clipboard": True,
        "account": False, "bluetooth": False, "camera": False, "audio_record": False,
        "installed_apps": False,
    },
}
with open(path, "w", encoding="utf-8") as handle:
    json.dump(info, handle, ensure_ascii=False, indent=2)
    handle.write("\n")
PY

depends=$("$python" installer/elf_report.py "$app/files" --depends)
installed_size=$(du -sk --apparent-size "$stage/opt" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: $APPID
Version: $version
Architecture: $arch
Maintainer: windowdesk <dev@windowdesk.invalid>
Installed-Size: $installed_size
Depends: $depends
Section: misc
Priority: optional
Homepage: https://windowdesk.invalid/
Description: counter client for government service halls (windowdesk)
 windowdesk is the offline-first counter client of a government service
 hall and its street service centers: intake, one-time notices, deadlines,
 fees, receipts and reports, synchronised with the hall's hub.
 .
 Installed in the UOS app store layout under /opt/apps/$APPID;
 Kylin installs the same package.
CONTROL

mkdir -p "$out"
deb="$out/${APPID}_${version}_${arch}.deb"
# xz (what UOS 20's and Kylin V10's dpkg read) for the release; the tests set
# DEB_COMPRESSION=gzip because xz over 250 MB takes minutes on a 2-core machine.
dpkg-deb --root-owner-group "-Z${DEB_COMPRESSION:-xz}" --build "$stage" "$deb" >/dev/null
echo "$deb"
