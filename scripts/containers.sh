# Sourced by test.sh: a Docker engine for the integration tests' containers, and the images they run.
# Not executed on its own.

CONTAINERS_STATE="${CONTAINERS_STATE:-$PWD/.local/docker}"
# Every container the fixtures start carries this label, so a run can remove what an earlier one left behind.
TEST_CONTAINER_LABEL="polling-platform.tests"
started_engine=""

# ensure_container_engine: the engine `docker info` finds (DOCKER_HOST, or the default socket), else one of our own
# from Debian's docker.io, its data and socket under $CONTAINERS_STATE, stopped by stop_container_engine.
ensure_container_engine() {
  docker info >/dev/null 2>&1 && return
  export DOCKER_HOST="unix://$CONTAINERS_STATE/docker.sock"
  docker info >/dev/null 2>&1 && return
  command -v dockerd >/dev/null || install_debian_packages --no-install-recommends docker.io
  mkdir -p "$CONTAINERS_STATE"
  # No iptables: this machine's network is not ours to change. Published ports still work (docker-proxy), and
  # builds use the host's network.
  dockerd --host "$DOCKER_HOST" --data-root "$CONTAINERS_STATE/data" --exec-root "$CONTAINERS_STATE/exec" \
    --pidfile "$CONTAINERS_STATE/dockerd.pid" --storage-driver overlay2 --iptables=false --ip-masq=false \
    > "$CONTAINERS_STATE/dockerd.log" 2>&1 &
  started_engine=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "The Docker engine did not start; see $CONTAINERS_STATE/dockerd.log" >&2
  return 1
}

# stop_container_engine: removes the test containers left on the engine, and stops the engine if this run started it.
stop_container_engine() {
  local left
  left="$(docker ps -aq --filter "label=$TEST_CONTAINER_LABEL" 2>/dev/null || true)"
  [ -z "$left" ] || docker rm -f $left >/dev/null 2>&1 || true
  if [ -n "$started_engine" ]; then
    kill "$started_engine" 2>/dev/null || true
    wait "$started_engine" 2>/dev/null || true
    # The engine leaves its default network namespace mounted, which would keep the checkout from being deleted.
    umount "$CONTAINERS_STATE/exec/netns/default" 2>/dev/null || true
  fi
}

# ensure_test_images: the images the fixtures run, in TEST_POSTGRES_IMAGE and TEST_REDIS_IMAGE; the official
# ones when the engine has them or can pull them, else stand-ins built here from Debian's packages.
ensure_test_images() {
  TEST_POSTGRES_IMAGE="$(test_image postgres:15 postgres)"
  TEST_REDIS_IMAGE="$(test_image redis:7 redis)"
  export TEST_POSTGRES_IMAGE TEST_REDIS_IMAGE
  echo "Test images: $TEST_POSTGRES_IMAGE, $TEST_REDIS_IMAGE"
}

# Settings Testcontainers needs here: no reaper (its image cannot be pulled without a registry; the fixtures and
# stop_container_engine remove the containers), the engine's own API version (it asks for a newer one than Debian's
# engine speaks), and the loopback address for published ports (this machine looks like a container to it).
export_testcontainers_settings() {
  export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
  export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
  export TEST_CONTAINER_LABEL
  local api
  api="$(docker version --format '{{.Server.APIVersion}}')"
  if [ "$(printf '%s\n' "$api" 1.44 | sort -V | head -1)" != 1.44 ]; then
    export DOCKER_API_VERSION="${DOCKER_API_VERSION:-$api}"
  fi
}

# test_image OFFICIAL NAME: OFFICIAL if present or pullable, else local/NAME tagged by the hash of
# tests/Images/NAME, built once and reused while it exists (a change to its files makes a new tag).
test_image() {
  local official="$1" name="$2" context="tests/Images/$2" tag
  if docker image inspect "$official" >/dev/null 2>&1 || timeout 60 docker pull -q "$official" >/dev/null 2>&1; then
    echo "$official"
    return
  fi
  tag="local/$name:$(cat "$context"/* | sha256sum | cut -c1-12)"
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    ensure_base_image >&2
    echo "Building $tag from Debian's packages (no registry answered for $official)..." >&2
    mkdir -p "$CONTAINERS_STATE"
    # The legacy builder (BuildKit is not in Debian's engine) warns that it is deprecated: keep its words in a log.
    DOCKER_BUILDKIT=0 docker build -q --network host -t "$tag" "$context" > "$CONTAINERS_STATE/build-$name.log" 2>&1 \
      || { cat "$CONTAINERS_STATE/build-$name.log" >&2; return 1; }
  fi
  echo "$tag"
}

# ensure_base_image: local/debian:bookworm, a minimal Debian made with debootstrap from the mirror apt uses.
ensure_base_image() {
  docker image inspect local/debian:bookworm >/dev/null 2>&1 && return
  command -v debootstrap >/dev/null || install_debian_packages --no-install-recommends debootstrap
  local root
  root="$(mktemp -d)"
  echo "Making local/debian:bookworm with debootstrap..."
  debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >/dev/null
  tar -C "$root" -c . | docker import - local/debian:bookworm >/dev/null
  rm -rf "$root"
}

debian_mirror() {
  local uri
  uri="$(grep -hs -m1 '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | head -1)"
  [ -n "$uri" ] || uri="$(grep -hs -m1 '^deb ' /etc/apt/sources.list | awk '{print $2}' | head -1)"
  echo "${uri:-http://deb.debian.org/debian}"
}
