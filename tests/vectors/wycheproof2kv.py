#!/usr/bin/env python3
"""Flattens a Wycheproof JSON file into blocks of key=value lines.

One block per test case, blocks separated by a blank line. Group fields are
prefixed with "group." and nested objects are joined with dots, e.g.
"group.publicKey.uncompressed=04...". List fields (flags) are comma-joined.
The C tests read this with tests/common/kv.c, so they need no JSON parser.
"""
import json
import sys


def flatten(prefix, obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(f"{prefix}{k}." if isinstance(v, dict) else f"{prefix}{k}", v, out)
    elif isinstance(obj, list):
        out.append((prefix.rstrip("."), ",".join(str(x) for x in obj)))
    elif isinstance(obj, bool):
        out.append((prefix.rstrip("."), "1" if obj else "0"))
    else:
        out.append((prefix.rstrip("."), str(obj)))


def escape(value):
    """Keeps one value on one line (PEM fields hold newlines)."""
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        doc = json.load(f)
    lines = []
    for group in doc["testGroups"]:
        gflat = []
        for k, v in group.items():
            if k != "tests":
                flatten(f"group.{k}" + ("." if isinstance(v, dict) else ""), v, gflat)
        for test in group["tests"]:
            for k, v in gflat:
                lines.append(f"{k}={escape(v)}")
            for k, v in test.items():
                tflat = []
                flatten(k + ("." if isinstance(v, dict) else ""), v, tflat)
                for kk, vv in tflat:
                    lines.append(f"{kk}={escape(vv)}")
            lines.append("")
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
