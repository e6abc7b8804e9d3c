#!/usr/bin/env bash
# Regenerates the X.509 test corpus with the openssl CLI (3.x): DER
# certificates here, their keys in keys/ (reused when present, so a rerun
# keeps the keys and only the signatures change). Validity is 2025-2045
# unless a case needs otherwise; tests check at a fixed time (2030-01-01).
# The cases and their expected verdicts are in cases.txt.
# Usage: tests/vectors/x509/make.sh
set -euo pipefail
cd "$(dirname "$0")"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
START=20250101000000Z
END=20450101000000Z
mkdir -p keys "$W/new"
touch "$W/index.txt"
echo 1000 > "$W/serial"

cat > "$W/ca.cnf" <<'EOF'
[ca]
default_ca = CA_default
[CA_default]
database = $ENV::W/index.txt
new_certs_dir = $ENV::W/new
serial = $ENV::W/serial
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = optional
[root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_pl0]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
[ca_noca]
basicConstraints = critical,CA:false
keyUsage = critical,keyCertSign,cRLSign
[ca_noku]
basicConstraints = critical,CA:true
keyUsage = critical,digitalSignature
[ca_eku]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = clientAuth
[ca_nc]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;DNS:example.com,permitted;IP:192.0.2.0/255.255.255.0,excluded;DNS:bad.example.com
[leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = $ENV::SAN
[leaf_client]
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = $ENV::SAN
[leaf_ke]
keyUsage = critical,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = $ENV::SAN
[leaf_nosan]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
[leaf_crit]
keyUsage = critical,digitalSignature
subjectAltName = $ENV::SAN
1.3.6.1.4.1.55555.1 = critical,DER:05:00
[leaf_noncrit]
keyUsage = critical,digitalSignature
subjectAltName = $ENV::SAN
1.3.6.1.4.1.55555.1 = DER:05:00
1.3.6.1.4.1.55555.2 = DER:05:00
EOF
export W

key() { # name type
    [ -f "keys/$1.key" ] && return
    case $2 in
    rsa*) openssl genpkey -algorithm rsa -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "keys/$1.key" ;;
    p256) openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out "keys/$1.key" ;;
    p384) openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-384 -out "keys/$1.key" ;;
    ed25519) openssl genpkey -algorithm ed25519 -out "keys/$1.key" ;;
    esac 2>/dev/null
}

# cert NAME KEY ISSUER(self|name) SECTION [SAN] [START] [END] [extra ca args...]
# (the subject is /O=mamori test/CN=NAME unless SUBJ is set)
cert() {
    local name=$1 k=$2 issuer=$3 ext=$4 san=${5:-DNS:www.example.com,IP:192.0.2.10}
    local start=${6:-$START} end=${7:-$END} ikey md
    shift $(($# < 7 ? $# : 7))
    openssl req -new -key "keys/$k.key" -subj "${SUBJ:-/O=mamori test/CN=$name}" -out "$W/$name.csr"
    if [ "$issuer" = self ]; then
        ikey=keys/$k.key
        set -- -selfsign "$@"
    else
        ikey=keys/$(cat "$W/$issuer.keyname").key
        set -- -cert "$W/$issuer.pem" "$@"
    fi
    case $(openssl pkey -in "$ikey" -noout -text 2>/dev/null | head -1) in
    *ED25519*) md=default ;;
    *384*) md=sha384 ;;
    *) md=sha256 ;;
    esac
    SAN=$san openssl ca -config "$W/ca.cnf" -batch -notext -keyfile "$ikey" -in "$W/$name.csr" \
        -out "$W/$name.pem" -startdate "$start" -enddate "$end" -extensions "$ext" -preserveDN \
        -md "$md" "$@" 2>/dev/null
    echo "$k" > "$W/$name.keyname"
    openssl x509 -in "$W/$name.pem" -outform DER -out "$name.der"
}

# Four hierarchies of depth 1-4: root -> i1 -> i2 -> i3, and a leaf under each.
for a in rsa p256 p384 ed25519; do
    case $a in
    rsa) key rsa-root rsa4096; key rsa-i1 rsa3072; t=rsa2048 ;;
    *) key $a-root $a; key $a-i1 $a; t=$a ;;
    esac
    for k in i2 i3 l1 l2 l3 l4; do key $a-$k $t; done
    cert $a-root $a-root self root
    cert $a-i1 $a-i1 $a-root int
    cert $a-i2 $a-i2 $a-i1 int
    cert $a-i3 $a-i3 $a-i2 int
    cert $a-l1 $a-l1 $a-root leaf
    cert $a-l2 $a-l2 $a-i1 leaf
    cert $a-l3 $a-l3 $a-i2 leaf
    cert $a-l4 $a-l4 $a-i3 leaf
done
for a in rsa p256 p384 ed25519; do openssl x509 -inform DER -in $a-root.der; done > roots.pem

# RSASSA-PSS (SHA-256, salt 32) leaf under the RSA root.
key pss-leaf rsa2048
cert pss-leaf pss-leaf rsa-root leaf "" "" "" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -sigopt rsa_mgf1_md:sha256

# The same P-256 intermediate key and name, cross-signed by the RSA root.
SUBJ="/O=mamori test/CN=p256-i1" cert xsign-i1 p256-i1 rsa-root int

# Validity.
key exp-leaf p256; cert exp-leaf exp-leaf p256-i1 leaf "" 20250101000000Z 20260101000000Z
key nyv-leaf p256; cert nyv-leaf nyv-leaf p256-i1 leaf "" 20400101000000Z "$END"
key exp-int p256; cert exp-int exp-int p256-root int "" 20250101000000Z 20260101000000Z
key exp-int-leaf p256; cert exp-int-leaf exp-int-leaf exp-int leaf

# Purpose.
key eku-client p256; cert eku-client eku-client p256-i1 leaf_client
key ku-ke rsa2048; cert ku-ke ku-ke p256-i1 leaf_ke
key eku-int p256; cert eku-int eku-int p256-root ca_eku
key eku-int-leaf p256; cert eku-int-leaf eku-int-leaf eku-int leaf

# Issuer constraints.
key noca-int p256; cert noca-int noca-int p256-root ca_noca
key noca-leaf p256; cert noca-leaf noca-leaf noca-int leaf
key noku-int p256; cert noku-int noku-int p256-root ca_noku
key noku-leaf p256; cert noku-leaf noku-leaf noku-int leaf
key pl0-int p256; cert pl0-int pl0-int p256-root ca_pl0
key pl0-sub p256; cert pl0-sub pl0-sub pl0-int int
key pl0-leaf p256; cert pl0-leaf pl0-leaf pl0-sub leaf
key pl0-ok p256; cert pl0-ok pl0-ok pl0-int leaf

# Name constraints: permitted example.com and 192.0.2.0/24, excluded bad.example.com.
key nc-int p256; cert nc-int nc-int p256-root ca_nc
for n in nc-ok nc-dns nc-excl nc-ip; do key $n p256; done
cert nc-ok nc-ok nc-int leaf "DNS:www.example.com,DNS:example.com,IP:192.0.2.10"
cert nc-dns nc-dns nc-int leaf "DNS:www.example.com,DNS:www.example.org"
cert nc-excl nc-excl nc-int leaf "DNS:www.bad.example.com"
cert nc-ip nc-ip nc-int leaf "DNS:www.example.com,IP:198.51.100.1"

# Host names and addresses.
for n in wild wild-tld wild-partial wild-idn ip-only nosan; do key $n p256; done
cert wild wild p256-i1 leaf "DNS:*.example.com"
cert wild-tld wild-tld p256-i1 leaf "DNS:*.com"
cert wild-partial wild-partial p256-i1 leaf "DNS:w*.example.com"
cert wild-idn wild-idn p256-i1 leaf "DNS:xn--*.example.com,DNS:*.xn--bcher-kva.example"
cert ip-only ip-only p256-i1 leaf "IP:192.0.2.10,IP:2001:db8::1"
openssl req -new -key keys/nosan.key -subj "/CN=www.example.com" -out "$W/nosan.csr"
SAN=x openssl ca -config "$W/ca.cnf" -batch -notext -keyfile keys/p256-i1.key -cert "$W/p256-i1.pem" \
    -in "$W/nosan.csr" -out "$W/nosan.pem" -startdate $START -enddate $END -extensions leaf_nosan \
    -preserveDN -md sha256 2>/dev/null
openssl x509 -in "$W/nosan.pem" -outform DER -out nosan.der

# Extensions.
key crit p256; cert crit crit p256-i1 leaf_crit
key noncrit p256; cert noncrit noncrit p256-i1 leaf_noncrit

# Trusted directly, and an unknown root.
key self p256; cert self self self leaf
key other-root p256; cert other-root other-root self root
key other-leaf p256; cert other-leaf other-leaf other-root leaf
