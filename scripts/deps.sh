#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the test suite need, if any
# are missing; with arguments, only those packages. Needs root (or sudo) only
# when something must be installed.
set -euo pipefail
packages=(
    cmake make gcc clang libclang-rt-14-dev python3          # build, sanitizers, libFuzzer
    gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi  # Cortex-M4 build
    libssl-dev openssl valgrind                              # differential and constant-time tests
    iproute2 iputils-ping socat tshark nmap hping3           # interop on TAP in namespaces
    dnsmasq-base chrony                                      # DHCP, DNS and NTP peers for interop
    gnutls-bin curl                                          # TLS peers for interop
)
[ $# -eq 0 ] || packages=("$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
