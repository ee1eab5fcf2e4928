#!/bin/sh
# The browser tests drive the machine's Chromium (Debian's package); a browser is never downloaded.
# Installs it, and a Chinese font for the console's screenshots, with apt-get when either is
# missing and this user may; otherwise says what to do.
set -e
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
FONT=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
[ -x "$CHROMIUM" ] && [ -f "$FONT" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium and fonts-wqy-zenhei for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  exit 0
fi
[ -x "$CHROMIUM" ] || {
  echo "the browser tests need Chromium at $CHROMIUM: apt-get install chromium (or set CHROMIUM_PATH)" >&2
  exit 1
}
echo "without fonts-wqy-zenhei the console's screenshots show boxes for Chinese: apt-get install fonts-wqy-zenhei" >&2
