#!/bin/sh
# The browser tests drive the machine's Chromium (Debian's package); a browser is never downloaded.
# Installs it with apt-get when it is missing and this user may; otherwise says what to do.
set -e
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "the browser tests need Chromium at $CHROMIUM: apt-get install chromium (or set CHROMIUM_PATH)" >&2
exit 1
