#!/usr/bin/env bash
# Makes certificates for trying TCP + mutual TLS on one machine: a local CA, a server
# certificate for localhost / 127.0.0.1, and a client certificate for an example agency.
# For development and tests only: a real deployment gets its certificates from the city's CA.
#
#   scripts/dev-certs.sh [--force] [OUT_DIR]      (OUT_DIR defaults to var/certs in the repo)
#
# Idempotent: an existing CA is kept (and certificates it signed are kept), unless --force.
# Private keys are EC P-256, written 0600. Needs the openssl command (scripts/install-deps.sh).
set -euo pipefail

force=0
out=""
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "dev-certs.sh: unknown option $arg (use --force or OUT_DIR)" >&2; exit 2 ;;
    *) out="$arg" ;;
  esac
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${out:-$repo/var/certs}"
command -v openssl >/dev/null || { echo "dev-certs.sh: openssl not found; run scripts/install-deps.sh" >&2; exit 1; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Keys are born owner-only; nothing else here is secret, but nothing needs to be shared either.
umask 077

made=()
new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }
serial() { echo "0x$(openssl rand -hex 16)"; }

# Our own minimal config, so the result does not depend on the system's openssl.cnf.
# string_mask utf8only + -utf8 keep Chinese organisation names as UTF8String.
cat >"$work/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
string_mask = utf8only
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# --- The CA -------------------------------------------------------------------------------
if [ "$force" -eq 1 ] || [ ! -s "$out/ca.pem" ] || [ ! -s "$out/ca.key" ]; then
  new_key "$out/ca.key"
  openssl req -config "$work/openssl.cnf" -x509 -new -utf8 -sha256 -days 3650 -key "$out/ca.key" \
    -subj "/CN=Xinyu development CA/O=Xinyu (development only)" -set_serial "$(serial)" \
    -extensions ca -out "$out/ca.pem"
  chmod 644 "$out/ca.pem"
  made+=("ca.pem ca.key (new CA)")
  force=1 # certificates signed by an earlier CA are useless now
fi

# issue NAME SUBJECT EXTENSIONS: NAME.pem/NAME.key signed by the CA, unless a valid one exists.
issue() {
  local name="$1" subject="$2" extensions="$3"
  if [ "$force" -eq 0 ] && [ -s "$out/$name.pem" ] && [ -s "$out/$name.key" ] \
    && openssl verify -CAfile "$out/ca.pem" "$out/$name.pem" >/dev/null 2>&1; then
    return
  fi
  new_key "$out/$name.key"
  openssl req -config "$work/openssl.cnf" -new -utf8 -key "$out/$name.key" -subj "$subject" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -set_serial "$(serial)" \
    -sha256 -days 825 -extfile "$work/openssl.cnf" -extensions "$extensions" -out "$out/$name.pem" 2>/dev/null
  chmod 644 "$out/$name.pem"
  made+=("$name.pem $name.key")
}

issue server "/CN=localhost/O=Xinyu (development only)" server
issue client-kangning "/CN=kangning/O=宁波市康宁医院/OU=hospital" client

if [ ${#made[@]} -eq 0 ]; then
  echo "Certificates in $out are already there and valid; nothing made (use --force to remake them)."
else
  echo "Made in $out:"
  for m in "${made[@]}"; do echo "  $m"; done
fi
cat <<TXT

Host side: add to Config/xinyu.toml, then restart the host:
  [tcp]
  listen = "127.0.0.1:7443"
  certificate = "$out/server.pem"
  private_key = "$out/server.key"
  client_ca = "$out/ca.pem"
  client_certificates = "optional"   # or "required": every TCP client shows a certificate

Register the example agency (宁波市康宁医院, CN=kangning) once:
  xinyu admin principals create agency:kangning --kind agency --name 宁波市康宁医院 \\
    --agency-kind hospital --role agency_hospital --scope agency:kangning --certificate-cn kangning

Call as the agency over mutual TLS:
  xinyu health --socket 127.0.0.1:7443 --tls-ca "$out/ca.pem" \\
    --tls-cert "$out/client-kangning.pem" --tls-key "$out/client-kangning.key"

Check a certificate:  openssl x509 -in "$out/client-kangning.pem" -noout -subject -nameopt utf8 -fingerprint -sha256
TXT
