#!/usr/bin/env bash
# Worst-case stack of each public-key operation on Cortex-M4.
#
# Compiles src/crypto/*.c and src/core/*.c with arm-none-eabi-gcc -Os (the
# flags of bench/footprint.sh) and -fcallgraph-info=su, which writes, per
# translation unit, the call graph with each function's frame size (the
# -fstack-usage figure: locals, spills and saved registers). The script then
# takes, from each entry point, the longest path through the whole call graph
# (frames summed along the chain; on ARM a call pushes nothing beyond what the
# callee's frame already counts).
#
# Not counted, and said so in the output:
#  - calls through function pointers (the application's rng callback, the
#    crypto backend hooks): their frames add on top of the figure;
#  - libc's memcpy/memset/memmove/memcmp (newlib's use no or a few words);
#  - interrupt/exception frames (the port's concern).
# A frame gcc reports as dynamic (VLA/alloca) or a recursive cycle makes the
# figure unbounded; the script says so instead of printing a number.
#
# Buffers are sized at compile time by the configuration (MAMORI_RSA_MAX_BITS,
# the largest curve compiled in), so each operation is measured in the
# configuration a device using it would have: P-256 rows with P-384 compiled
# out, RSA-N rows with MAMORI_RSA_MAX_BITS=N, Ed25519 "base-point table" rows
# with MAMORI_ED25519_TABLE=1 (off by default on Cortex-M); the defaults are
# shown as well.
#
# Usage: bench/stack_usage.sh [--md] [work-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
md=0
if [ "${1:-}" = "--md" ]; then
    md=1
    shift
fi
work=${1:-$(mktemp -d)}
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

flags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -ffreestanding -ffunction-sections
       -fdata-sections -std=c11 -Iinclude -Isrc -fcallgraph-info=su)

# config name -> extra flags
declare -A configs=(
    [p256]="-DMAMORI_P384=0"
    [default]=""
    [rsa2048]="-DMAMORI_RSA_MAX_BITS=2048"
    [rsa3072]="-DMAMORI_RSA_MAX_BITS=3072"
    [edtable]="-DMAMORI_ED25519_TABLE=1"
)
for name in "${!configs[@]}"; do
    mkdir -p "$work/$name"
    for c in src/core/*.c src/crypto/*.c; do
        obj="$work/$name/$(echo "$c" | tr / _ | sed 's/\.c$//')"
        # shellcheck disable=SC2086
        arm-none-eabi-gcc "${flags[@]}" ${configs[$name]} -c "$c" -o "$obj.o"
    done
done

python3 - "$work" "$md" <<'EOF'
import glob, os, re, sys

work, md = sys.argv[1], sys.argv[2] == "1"
node_re = re.compile(r'^node: \{ title: "([^"]*)" label: "([^"]*)"')
edge_re = re.compile(r'^edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"')
frame_re = re.compile(r'\\n(\d+) bytes \(([a-z,]+)\)')
EXTERNAL_OK = {"memcpy", "memset", "memmove", "memcmp"}


def load(cfg):
    frames, kind, edges = {}, {}, {}
    for ci in glob.glob(os.path.join(work, cfg, "*.ci")):
        local_titles, raw_edges = set(), []
        with open(ci) as f:
            for line in f:
                m = node_re.match(line)
                if m:
                    fm = frame_re.search(m.group(2))
                    if fm:
                        frames[m.group(1)] = int(fm.group(1))
                        kind[m.group(1)] = fm.group(2)
                        local_titles.add(m.group(1))
                    continue
                m = edge_re.match(line)
                if m:
                    raw_edges.append((m.group(1), m.group(2)))
        for src, dst in raw_edges:
            edges.setdefault(src, set()).add(dst)
    return frames, kind, edges


def worst(cfg_graph, entry):
    frames, kind, edges = cfg_graph
    memo, notes = {}, set()

    def go(fn, stack):
        if fn == "__indirect_call":
            notes.add("indirect call")
            return 0, []
        if fn not in frames:
            if fn not in EXTERNAL_OK:
                notes.add("external " + fn)
            return 0, []
        if fn in stack:
            raise RuntimeError("recursion through " + fn)
        if fn in memo:
            return memo[fn]
        if kind[fn] != "static":
            notes.add("%s frame of %s" % (kind[fn], fn))
        best, chain = 0, []
        for callee in sorted(edges.get(fn, ())):
            d, c = go(callee, stack | {fn})
            if d > best:
                best, chain = d, c
        memo[fn] = (frames[fn] + best, [fn] + chain)
        return memo[fn]

    if entry not in frames:
        return None, [], {"not compiled"}
    total, chain = go(entry, frozenset())
    return total, chain, notes


def short(fn):
    return fn.rsplit(":", 1)[-1]


ops = [
    ("X25519 shared secret", "mamori_x25519", "default"),
    ("X25519 public key", "mamori_x25519_public", "default"),
    ("Ed25519 sign", "mamori_ed25519_sign", "default"),
    ("Ed25519 sign, expanded key", "mamori_ed25519_sign_key", "default"),
    ("Ed25519 verify", "mamori_ed25519_verify", "default"),
    ("Ed25519 sign, base-point table", "mamori_ed25519_sign", "edtable"),
    ("Ed25519 verify, base-point table", "mamori_ed25519_verify", "edtable"),
    ("ECDH P-256", "mamori_ecdh", "p256"),
    ("EC key generation P-256", "mamori_ec_keygen", "p256"),
    ("ECDSA sign P-256", "mamori_ecdsa_sign", "p256"),
    ("ECDSA verify P-256", "mamori_ecdsa_verify", "p256"),
    ("Prepare a public key P-256", "mamori_ec_prepare", "p256"),
    ("ECDSA verify P-256, prepared key", "mamori_ecdsa_verify_prepared", "p256"),
    ("ECDH P-256, prepared peer key", "mamori_ecdh_prepared", "p256"),
    ("ECDH P-384 (or P-256 with P-384 built in)", "mamori_ecdh", "default"),
    ("EC key generation P-384", "mamori_ec_keygen", "default"),
    ("ECDSA sign P-384", "mamori_ecdsa_sign", "default"),
    ("ECDSA verify P-384", "mamori_ecdsa_verify", "default"),
    ("Prepare a public key P-384", "mamori_ec_prepare", "default"),
    ("ECDSA verify P-384, prepared key", "mamori_ecdsa_verify_prepared", "default"),
    ("ECDH P-384, prepared peer key", "mamori_ecdh_prepared", "default"),
    ("RSA-2048 verify PKCS#1 v1.5", "mamori_rsa_pkcs1_verify", "rsa2048"),
    ("RSA-2048 verify PSS", "mamori_rsa_pss_verify", "rsa2048"),
    ("RSA-2048 PSS sign", "mamori_rsa_pss_sign", "rsa2048"),
    ("RSA-3072 PSS sign", "mamori_rsa_pss_sign", "rsa3072"),
    ("RSA verify PSS, default max 4096 bits", "mamori_rsa_pss_verify", "default"),
    ("RSA verify PKCS#1 v1.5, default max 4096 bits", "mamori_rsa_pkcs1_verify", "default"),
    ("RSA PSS sign, default max 4096 bits", "mamori_rsa_pss_sign", "default"),
]
cfg_flags = {"p256": "MAMORI_P384=0", "default": "defaults", "edtable": "MAMORI_ED25519_TABLE=1",
             "rsa2048": "MAMORI_RSA_MAX_BITS=2048", "rsa3072": "MAMORI_RSA_MAX_BITS=3072"}
graphs = {}
if md:
    print("| operation | entry point | configuration | worst-case stack (B) | < 2 KB | deepest chain (frame bytes) |")
    print("| --- | --- | --- | ---: | --- | --- |")
else:
    print("Worst-case stack, arm-none-eabi-gcc -Os -mcpu=cortex-m4 (callgraph-info=su, frames summed along the deepest chain)")
    print("%-44s %-26s %6s  %s" % ("operation", "configuration", "bytes", "deepest chain (frame bytes)"))
all_notes = set()
for label, entry, cfg in ops:
    g = graphs.setdefault(cfg, load(cfg))
    try:
        total, chain, notes = worst(g, entry)
    except RuntimeError as e:
        total, chain, notes = None, [], {str(e)}
    unbounded = any(n.startswith(("dynamic", "recursion")) for n in notes)
    chain_s = " > ".join("%s %d" % (short(f), g[0][f]) for f in chain)
    value = "unbounded" if unbounded else ("n/a" if total is None else str(total))
    for n in notes:
        all_notes.add("%s: %s" % (entry, n))
    if md:
        ok = "n/a" if total is None or unbounded else ("yes" if total < 2048 else "**no**")
        print("| %s | `%s` | %s | %s | %s | %s |" % (label, entry, cfg_flags[cfg], value, ok, chain_s))
    else:
        print("%-44s %-26s %6s  %s" % (label, cfg_flags[cfg], value, chain_s))
print()
print("Not included: " + ("; ".join(sorted(all_notes)) if all_notes else "nothing"))
EOF
