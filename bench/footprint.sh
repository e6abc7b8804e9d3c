#!/usr/bin/env bash
# Cortex-M4 footprint of mamori.
#  1. Cross-compiles src/ with the CMake toolchain file (arm-none-eabi-gcc -Os,
#     function sections) and checks that the library is freestanding: no libc
#     calls but mem*, no symbols beyond libgcc helpers.
#  2. Prints text/data/bss per object.
#  3. Links each scenario in bench/footprint/*.c with --gc-sections and prints
#     what mamori's library contributes to the image (from the linker map:
#     the application's own glue and libc are not counted). A scenario may
#     start with a line "// config: -DNAME=VALUE ..." to build src/ with its own
#     configuration (e.g. a feature compiled out), and a line "// count: TEXT"
#     to count only the library objects whose name contains TEXT (e.g.
#     src_x509_ for the X.509 code without the crypto it calls).
# Usage: bench/footprint.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-m4}
cmake -S . -B "$out" -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
cmake --build "$out" -j"$(nproc)" >/dev/null
lib="$out/libmamori.a"

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

flags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -ffreestanding -ffunction-sections -fdata-sections -Iinclude -Isrc)
link=(-Wl,--gc-sections -nostartfiles -Wl,-e,main --specs=nano.specs)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo
echo "Linked scenarios (--gc-sections; bytes of mamori code+rodata, data, bss in the image):"
printf '%-28s %7s %6s %6s  %s\n' scenario text data bss config
for src in bench/footprint/*.c; do
    name=$(basename "$src" .c)
    config=$(sed -n '1,2s|^// config: ||p' "$src")
    count=$(sed -n '1,2s|^// count: ||p' "$src")
    mkdir -p "$tmp/$name"
    for c in $(find src -name '*.c'); do
        arm-none-eabi-gcc "${flags[@]}" $config -c "$c" -o "$tmp/$name/$(echo "$c" | tr / _).o"
    done
    arm-none-eabi-ar rcs "$tmp/libmamori_$name.a" "$tmp/$name"/*.o
    arm-none-eabi-gcc "${flags[@]}" $config "${link[@]}" -Wl,-Map,"$tmp/$name.map" "$src" \
        "$tmp/libmamori_$name.a" -o "$tmp/$name.elf"
    read -r text data bss < <(python3 bench/mapsize.py "$tmp/$name.map" "libmamori_$name.a" $count)
    printf '%-28s %7d %6d %6d  %s%s\n' "$name" "$text" "$data" "$bss" "${config:-defaults}" \
        "${count:+ (only ${count}* objects)}"
done
