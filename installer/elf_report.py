"""What the frozen bundle asks of the machine it runs on, read from its ELF files with
objdump (binutils): the newest glibc symbol version any of them needs, and the shared
libraries they need that the bundle does not carry (these become the .deb's Depends).

    python installer/elf_report.py BUNDLE_DIR          prints both
    python installer/elf_report.py BUNDLE_DIR --depends prints the Depends line
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

_GLIBC = re.compile(r"\bGLIBC_(\d+(?:\.\d+)+)\b")
_NEEDED = re.compile(r"^\s*NEEDED\s+(\S+)", re.MULTILINE)


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _objdump(flag: str, path: Path) -> str:
    return subprocess.run(["objdump", flag, str(path)], check=True, capture_output=True,
                          text=True).stdout


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def glibc_needed(bundle: Path) -> tuple[str, dict[str, str]]:
    """The highest GLIBC_ version over the bundle, and each file's own highest."""
    per_file: dict[str, str] = {}
    for path in elf_files(bundle):
        versions = _GLIBC.findall(_objdump("-T", path))
        if versions:
            per_file[str(path.relative_to(bundle))] = max(versions, key=_version_key)
    highest = max(per_file.values(), key=_version_key) if per_file else "0"
    return highest, per_file


def external_libraries(bundle: Path) -> set[str]:
    """Sonames some ELF file needs that no file in the bundle provides."""
    carried = {path.name for path in bundle.rglob("*.so*")}
    needed: set[str] = set()
    for path in elf_files(bundle):
        needed.update(_NEEDED.findall(_objdump("-p", path)))
    return needed - carried


# What PyInstaller deliberately leaves out (they must match the machine's kernel, display
# server and graphics drivers), by Debian package; the same names on UOS and Kylin.
SYSTEM_PACKAGES = {
    "libc.so.6": "libc6", "libm.so.6": "libc6", "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6", "librt.so.1": "libc6", "libresolv.so.2": "libc6",
    "libutil.so.1": "libc6", "ld-linux-x86-64.so.2": "libc6", "ld-linux-aarch64.so.1": "libc6",
    "libxcb.so.1": "libxcb1", "libwayland-client.so.0": "libwayland-client0",
    # X11 client libraries that libraries collected beside Qt's (libXi, libXrandr, libXcursor
    # on a machine that has them) link to: part of the display, like libxcb.
    "libXext.so.6": "libxext6", "libXrender.so.1": "libxrender1",
    "libwayland-cursor.so.0": "libwayland-cursor0", "libwayland-egl.so.1": "libwayland-egl1",
    "libdrm.so.2": "libdrm2", "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0", "libGLX.so.0": "libglx0",
}


def _package_of(soname: str) -> str | None:
    if soname in SYSTEM_PACKAGES:
        return SYSTEM_PACKAGES[soname]
    result = subprocess.run(["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return result.stdout.split(":", 1)[0].strip()


def depends_line(bundle: Path) -> str:
    glibc, _ = glibc_needed(bundle)
    packages = {"libc6"}
    for soname in sorted(external_libraries(bundle)):
        package = _package_of(soname)
        if package is None:
            raise SystemExit(f"no installed package provides {soname}: install it and build again")
        packages.add(package)
    packages.discard("libc6")
    return ", ".join([f"libc6 (>= {glibc})"] + sorted(packages))


def main(argv: list[str]) -> int:
    bundle = Path(argv[0])
    if argv[1:] == ["--depends"]:
        print(depends_line(bundle))
        return 0
    glibc, per_file = glibc_needed(bundle)
    print(f"highest GLIBC_ version needed: {glibc}")
    for name, version in sorted(per_file.items()):
        if version == glibc:
            print(f"  {version}  {name}")
    print("needed from the system:", " ".join(sorted(external_libraries(bundle))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
