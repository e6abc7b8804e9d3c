#!/usr/bin/env python3
"""Generates the P-256/P-384 constants (Montgomery form, R = 2^bits) and the
fixed-base tables used by src/crypto/p256.c, p384.c, ec_p256_table.c and
ec_p384_table.c. Usage: gen_ec_consts.py p256|p384 consts|table
(consts: the curve constants to paste into p256.c/p384.c; table: the whole
table file, e.g. > src/crypto/ec_p256_table.c)"""
import sys

CURVES = {
    "p256": dict(
        name="P-256", bits=256,
        p=2**256 - 2**224 + 2**192 + 2**96 - 1,
        n=0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551,
        b=0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
        gx=0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296,
        gy=0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5),
    "p384": dict(
        name="P-384", bits=384,
        p=2**384 - 2**128 - 2**96 + 2**32 - 1,
        n=0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973,
        b=0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef,
        gx=0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7,
        gy=0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f),
}


def words(v, bits):
    out = []
    for i in range(bits // 64):
        c = (v >> (64 * i)) & (2**64 - 1)
        out.append("EC_W(0x%08x, 0x%08x)" % (c >> 32, c & 0xffffffff))
    return out


def arr(v, bits, indent="    "):
    w = words(v, bits)
    lines, cur = [], indent
    for x in w:
        if len(cur) + len(x) + 2 > 100:
            lines.append(cur.rstrip())
            cur = indent
        cur += x + ", "
    lines.append(cur.rstrip().rstrip(","))
    return "{\n" + "\n".join(lines) + "\n}"


def mod_consts(name, m, bits, special=False):
    r = 2**bits
    m0inv = (-pow(m, -1, 2**64)) % 2**64
    print(f"/* {name} */")
    flag = " .p256 = 1," if special else ""
    print(".n = EC_LIMBS(%d),%s .m0inv = (ec_limb_t)0x%016xu," % (bits, flag, m0inv))
    print(".m = " + arr(m, bits) + ",")
    print(".rr = " + arr(r * r % m, bits) + ",")


def consts(c):
    bits, p = c["bits"], c["p"]
    r = 2**bits
    mod_consts("p", p, bits, special=bits == 256)
    mod_consts("n", c["n"], bits)
    for k in ("b", "gx", "gy"):
        print(f".{k} = " + arr(c[k] * r % p, bits) + ",")


def affine_add(c, a, b):
    p = c["p"]
    if a is None:
        return b
    if a[0] == b[0]:
        if (a[1] + b[1]) % p == 0:
            return None
        l = 3 * (a[0] ** 2 - 1) * pow(2 * a[1], -1, p) % p
    else:
        l = (b[1] - a[1]) * pow(b[0] - a[0], -1, p) % p
    x = (l * l - a[0] - b[0]) % p
    return (x, (l * (a[0] - x) - a[1]) % p)


def affine_mul(c, k):
    res, q = None, (c["gx"], c["gy"])
    while k:
        if k & 1:
            res = affine_add(c, res, q)
        q = affine_add(c, q, q)
        k >>= 1
    return res


def table_rows(c, w):
    """Row q: j * 2^(4 w q) * G for j = 1..2^(w-1), as in ec_point.h."""
    bits, p = c["bits"], c["p"]
    r = 2**bits
    digits = (bits + w - 1) // w + 1
    rows = (digits + 3) // 4
    for q in range(rows):
        base = affine_mul(c, 2 ** (4 * w * q))
        e = base
        for j in range(1, 2 ** (w - 1) + 1):
            print("    /* %d * 2^%d * G */" % (j, 4 * w * q))
            for v in e:
                print("    " + ", ".join(words(v * r % p, bits)) + ",")
            e = affine_add(c, e, base)


def table(c):
    name, bits = c["name"], c["bits"]
    print("""/*
 * Fixed-base table for %s: row r holds j * 2^(4 w r) * G for j = 1..2^(w-1)
 * as affine (x, y) in Montgomery form, w = EC_COMB_WINDOW (6 with 64-bit
 * limbs, 4 with 32-bit limbs, see ec_point.h). Public constants. Generated
 * by scripts/gen_ec_consts.py; tests/unit/test_ecc.c recomputes every entry.
 */
#include "crypto/ec_point.h"

#if MAMORI_%s && MAMORI_EC_GTABLE

const ec_limb_t ec_%s_gtable[EC_GTABLE_ROWS(%d) * EC_COMB_ENTRIES * 2 * EC_LIMBS(%d)] = {
#if EC_COMB_WINDOW == 6""" % (name, name.replace("-", ""), name.replace("-", "").lower(), bits, bits))
    table_rows(c, 6)
    print("#elif EC_COMB_WINDOW == 4")
    table_rows(c, 4)
    print("""#else
#error "no table for this EC_COMB_WINDOW"
#endif
};

#endif""")


if __name__ == "__main__":
    c = CURVES[sys.argv[1]]
    (consts if sys.argv[2] == "consts" else table)(c)
