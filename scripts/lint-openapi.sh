#!/bin/sh
# Lints the OpenAPI document the api serves: built from the sources on their own (dist/ is left
# alone), written without connecting to anything, checked by Spectral with .spectral.mjs.
set -e
cd "$(dirname "$0")/.."
out=.openapi-build
npx nest build --path tsconfig.openapi.json > "$out.log" 2>&1 || { cat "$out.log"; rm -f "$out.log"; exit 1; }
rm -f "$out.log"
node "$out/openapi/openapi-export.js" "$out/openapi.json"
npx spectral lint "$out/openapi.json" --ruleset .spectral.mjs --fail-severity=warn
