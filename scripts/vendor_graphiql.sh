#!/usr/bin/env bash
# Refresh the pinned GraphiQL assets in yiwang/static/graphiql from the npm registry.
#
# Only `npm pack` is used (no install, no package scripts run, no node_modules left behind);
# npm checks each tarball against the registry's integrity hash. The files are copied
# byte for byte and SHA256SUMS is rewritten, so a refresh shows up as a reviewable diff.
#
#   scripts/vendor_graphiql.sh                      # the pinned versions below
#   GRAPHIQL_VERSION=3.8.3 REACT_VERSION=18.3.1 scripts/vendor_graphiql.sh
#
# GraphiQL 3 needs React 16.8–18 as UMD globals; React 19 ships no UMD build, so stay on 18.
set -euo pipefail

GRAPHIQL_VERSION="${GRAPHIQL_VERSION:-3.8.3}"
REACT_VERSION="${REACT_VERSION:-18.3.1}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/yiwang/static/graphiql"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent \
    "graphiql@${GRAPHIQL_VERSION}" \
    "react@${REACT_VERSION}" \
    "react-dom@${REACT_VERSION}" >/dev/null

unpack() {  # unpack <package> <version>
    mkdir "$1"
    tar -xzf "$1-$2.tgz" -C "$1" --strip-components=1
}
unpack graphiql "$GRAPHIQL_VERSION"
unpack react "$REACT_VERSION"
unpack react-dom "$REACT_VERSION"

mkdir -p "$dest"
find "$dest" -maxdepth 1 -type f ! -name README.md -delete

install -m 0644 graphiql/graphiql.min.js "$dest/graphiql.min.js"
install -m 0644 graphiql/graphiql.min.css "$dest/graphiql.min.css"
install -m 0644 graphiql/LICENSE "$dest/LICENSE-graphiql"
install -m 0644 react/umd/react.production.min.js "$dest/react.production.min.js"
install -m 0644 react/LICENSE "$dest/LICENSE-react"
install -m 0644 react-dom/umd/react-dom.production.min.js "$dest/react-dom.production.min.js"
install -m 0644 react-dom/LICENSE "$dest/LICENSE-react-dom"

cat >"$dest/VERSIONS" <<EOF
graphiql ${GRAPHIQL_VERSION}
react ${REACT_VERSION}
react-dom ${REACT_VERSION}
EOF

cd "$dest"
sha256sum graphiql.min.js graphiql.min.css react.production.min.js \
    react-dom.production.min.js LICENSE-graphiql LICENSE-react LICENSE-react-dom >SHA256SUMS

echo "graphiql ${GRAPHIQL_VERSION}, react ${REACT_VERSION} -> ${dest}"
du -ch graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js | tail -n 1
echo "If the versions changed, update yiwang/static/graphiql/README.md."
