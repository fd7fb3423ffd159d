#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (no browser download): install it
# from Debian's packages when it is missing, with a Chinese font so that zh-CN pages (and their
# screenshots) show characters rather than empty boxes.
set -euo pipefail
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then packages+=(fonts-wqy-microhei); fi
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
echo "Installing from Debian's packages for the browser tests: ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
