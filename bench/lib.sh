# shellcheck shell=bash
# Shell functions of the side-by-side benchmark scripts (bench_crypto.sh,
# bench_tls.sh); sourced, not run.

# Installs the Debian packages named, if any, through apt-get (with sudo
# when not root); an out-of-date package index is refreshed once.
bench_install() {
    (($#)) || return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "installing $*" >&2
    $sudo apt-get install -y "$@" >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y "$@" >&2; }
}

# The conditions of the run, printed before it: date, machine, load.
bench_conditions() {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
