#!/usr/bin/env bash
# The browser tests drive Debian's chromium (/usr/bin/chromium) and the catalogue test extracts
# strings with GNU gettext (xgettext); install what is missing.
set -eu
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium fonts-dejavu-core)
command -v xgettext >/dev/null || packages+=(gettext)
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
echo "Installing Debian packages for the tests: ${packages[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null || { [ -n "$sudo" ] && ! command -v sudo >/dev/null; }; then
  echo "ERROR: ${packages[*]} missing and cannot be installed here (needs apt-get as root)."
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
