#!/usr/bin/env bash
# Installs the Debian 12 packages chatd needs, only those that are missing.
# Run as root (or with sudo available). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  libcaf-dev librestinio-dev libasio-dev libfmt-dev libhttp-parser-dev
  nlohmann-json3-dev libsoci-dev libsqlite3-dev sqlite3
  libcurl4-openssl-dev catch2 libsodium-dev libspdlog-dev
  chromium nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from the machine image rather than Debian's packages.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
