#!/usr/bin/env bash
# Cortex-M4 footprint of mamori: cross-compiles src/ with arm-none-eabi-gcc
# -Os -ffunction-sections -fdata-sections, checks that the library is
# freestanding (no libc calls but mem*), prints text/data/bss per module and
# links each scenario in bench/footprint/ with --gc-sections to show what an
# application really pays. Usage: bench/footprint.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-m4}
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" -j2 >/dev/null
lib="$out/libmamori.a"

# Freestanding check: every undefined symbol is ours, mem*, or a libgcc helper.
undefined=$(arm-none-eabi-nm -u "$lib" | awk '/ U /{print $2}' | sort -u)
defined=$(arm-none-eabi-nm --defined-only "$lib" | awk 'NF==3{print $3}' | sort -u)
foreign=$(comm -23 <(echo "$undefined") <(echo "$defined") | grep -Ev '^(memcpy|memmove|memset|memcmp|__aeabi_.*|__gnu_.*)$' || true)
if [ -n "$foreign" ]; then
    echo "error: src/ calls outside the freestanding set:" >&2
    echo "$foreign" >&2
    exit 1
fi

echo "Per object (arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb, before --gc-sections):"
printf '%-28s %7s %6s %6s\n' object text data bss
arm-none-eabi-size "$lib" | awk 'NR>1 && $1+$2+$3>0 {split($6,a,"."); printf "%-28s %7d %6d %6d\n", a[1], $1, $2, $3; t+=$1; d+=$2; b+=$3} END {printf "%-28s %7d %6d %6d\n", "TOTAL", t, d, b}'

# Linked scenarios: size of (scenario) minus size of an empty program with
# the same start-up and libc, i.e. what mamori adds to a firmware image.
common=(-mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections -Wl,--gc-sections
        -nostartfiles -Wl,-e,main --specs=nano.specs -Iinclude)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The baseline uses the mem* functions too: every firmware has them already.
cat > "$tmp/empty.c" <<'C'
#include <string.h>
volatile unsigned char a[8], b[8];
int main(void) { memcpy((void *)a, (void *)b, 8); memmove((void *)a, (void *)b, 8); memset((void *)a, 0, 8); return memcmp((void *)a, (void *)b, 8); }
C
arm-none-eabi-gcc "${common[@]}" "$tmp/empty.c" -o "$tmp/empty.elf"
base=$(arm-none-eabi-size "$tmp/empty.elf" | awk 'NR==2{print $1}')
echo
echo "Linked scenarios (--gc-sections; text incl. rodata, minus an empty program):"
printf '%-28s %7s %6s %6s\n' scenario text data bss
for src in bench/footprint/*.c; do
    name=$(basename "$src" .c)
    arm-none-eabi-gcc "${common[@]}" "$src" "$lib" -o "$tmp/$name.elf"
    arm-none-eabi-size "$tmp/$name.elf" | awk -v n="$name" -v b="$base" 'NR==2{printf "%-28s %7d %6d %6d\n", n, $1-b, $2, $3}'
done
