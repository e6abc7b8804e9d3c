#!/bin/sh
# Regenerates the fixed RSA test keys (PKCS#1 DER) and the known-answer file
# kat.txt with the openssl CLI. Signatures in kat.txt are deterministic:
# RSASSA-PKCS1-v1_5, and RSASSA-PSS with an empty salt.
set -eu
umask 022
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: > kat.txt
printf 'mamori rsa known-answer message' > "$tmp/msg"
for spec in 2048:sha256 3072:sha384 4096:sha512; do
    bits=${spec%%:*}
    md=${spec##*:}
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$bits" -out "$tmp/k.pem" 2>/dev/null
    openssl rsa -in "$tmp/k.pem" -traditional -outform DER -out "rsa$bits.der" 2>/dev/null
    openssl dgst -"$md" -sign "$tmp/k.pem" -out "$tmp/pkcs1" "$tmp/msg"
    openssl dgst -"$md" -sign "$tmp/k.pem" -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:0 -out "$tmp/pss0" "$tmp/msg"
    {
        echo "key=rsa$bits.der"
        echo "hash=$md"
        echo "msg=$(od -An -v -tx1 "$tmp/msg" | tr -d ' \n')"
        echo "pkcs1=$(od -An -v -tx1 "$tmp/pkcs1" | tr -d ' \n')"
        echo "pss0=$(od -An -v -tx1 "$tmp/pss0" | tr -d ' \n')"
        echo
    } >> kat.txt
done
