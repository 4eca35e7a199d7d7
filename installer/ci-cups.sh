#!/usr/bin/env bash
# A real print queue for the printing tests: CUPS with the cups-pdf backend, whose
# "printer" writes every job as a PDF file into one known folder.
#
#   eval "$(bash installer/ci-cups.sh)"     # then run pytest
#
# Installs Debian's cups and printer-driver-cups-pdf only when they are missing, starts
# cupsd directly (containers have no systemd), adds the queue "windowdesk-pdf" and makes
# it the default. The only line on stdout is
#   export WINDOWDESK_TEST_CUPS_OUT=<folder>
# so the caller can eval it; progress goes to stderr. Safe to run again.
set -euo pipefail

QUEUE=windowdesk-pdf
OUT_DIR=${WINDOWDESK_CUPS_OUT_DIR:-/var/spool/cups-pdf/windowdesk}
CONF=/etc/cups/cups-pdf.conf

say() { echo "ci-cups: $*" >&2; }

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

# --- packages -----------------------------------------------------------------------
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in cups printer-driver-cups-pdf; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    $sudo_cmd apt-get update -qq >&2
    # Recommends stay on: cups-pdf needs ghostscript and cups-filters (pdftops) for
    # the PDF jobs Qt sends.
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >&2
  fi
fi
for tool in cupsd lpadmin lpinfo lpstat; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
    say "$tool is not installed and this machine has no apt-get: install CUPS and cups-pdf first"
    exit 1
  }
done
export PATH="$PATH:/usr/sbin"

# --- where cups-pdf writes ----------------------------------------------------------
# One fixed folder for every user (also root and anonymous jobs), files readable by all,
# so the test finds the output without knowing which user CUPS ran the job as.
$sudo_cmd mkdir -p "$OUT_DIR"
$sudo_cmd chmod 1777 "$OUT_DIR"
if [ -f "$CONF" ]; then
  $sudo_cmd sed -i -E '/^[[:space:]]*(Out|AnonDirName|UserUMask|AnonUMask)[[:space:]]/d' "$CONF"
fi
printf 'Out %s\nAnonDirName %s\nUserUMask 0000\nAnonUMask 0000\n' "$OUT_DIR" "$OUT_DIR" \
  | $sudo_cmd tee -a "$CONF" >/dev/null

# --- the scheduler ------------------------------------------------------------------
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  say "starting cupsd"
  $sudo_cmd cupsd
fi
for _ in $(seq 1 50); do
  lpstat -r 2>/dev/null | grep -q "is running" && break
  sleep 0.2
done
lpstat -r 2>/dev/null | grep -q "is running" || { say "cupsd did not start"; exit 1; }

# --- the queue ------------------------------------------------------------------------
# The "_opt" model keeps the PDF small (optimised); any cups-pdf model would do.
models=$(lpinfo -m 2>/dev/null || true)
model=$(printf '%s\n' "$models" | awk '$1 ~ /CUPS-PDF_opt/ {print $1; exit}')
[ -n "$model" ] || model=$(printf '%s\n' "$models" | awk 'tolower($1) ~ /cups-pdf/ {print $1; exit}')
model=${model:-lsb/usr/cups-pdf/CUPS-PDF_opt.ppd}
say "queue $QUEUE with model $model"
$sudo_cmd lpadmin -p "$QUEUE" -E -v cups-pdf:/ -m "$model"
$sudo_cmd lpadmin -d "$QUEUE"
$sudo_cmd cupsenable "$QUEUE"
$sudo_cmd cupsaccept "$QUEUE"
lpstat -p "$QUEUE" >&2

echo "export WINDOWDESK_TEST_CUPS_OUT=$OUT_DIR"
