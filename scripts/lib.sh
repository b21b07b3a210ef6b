# Shared by run.sh, test.sh and bench: installs what the project needs and runs local servers.
# Sourced, not executed.

# Debian packages the project uses; installed only when a binary is missing, so a second run costs nothing.
install_prerequisites() {
  local missing=()
  [ -x "$(pg_bindir)/initdb" ] || missing+=(postgresql-15)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v jq >/dev/null || missing+=(jq)   # the README's walk-through reads JSON with it
  if [ "${1:-}" = "--with-browser" ]; then
    command -v chromium >/dev/null || missing+=(chromium)
  fi
  [ ${#missing[@]} -eq 0 ] || install_debian_packages "${missing[@]}"
  dotnet tool restore >/dev/null
}

# install_debian_packages [--no-install-recommends] PACKAGE...: apt-get install, as root or through sudo.
install_debian_packages() {
  local names=("$@")
  [ "${names[0]}" != --no-install-recommends ] || names=("${names[@]:1}")
  echo "Installing ${names[*]} (Debian packages)..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  echo /usr/lib/postgresql/15/bin
}

# PostgreSQL refuses to run as root; as root, run its tools as the postgres user the package creates.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# start_postgres DIR PORT [SERVER OPTIONS]: a PostgreSQL cluster in DIR (made on first use) on 127.0.0.1:PORT.
start_postgres() {
  local data="$1" port="$2" options="${3:-}" bin
  bin="$(pg_bindir)"
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
  chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$data" -U postgres -A trust --encoding=UTF8 --no-locale >/dev/null
  fi
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -k $data $options" start >/dev/null
}

# create_app_database PORT NAME: the service's role (no superuser, cannot bypass row-level security) and a
# database it owns, if they do not exist yet.
create_app_database() {
  local port="$1" name="$2"
  psql_as_postgres "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'polling_app'" | grep -q 1 \
    || psql_as_postgres "$port" -qc "CREATE ROLE polling_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
  psql_as_postgres "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || psql_as_postgres "$port" -qc "CREATE DATABASE $name OWNER polling_app"
}

psql_as_postgres() {
  local port="$1"; shift
  as_postgres "$(pg_bindir)/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

stop_postgres() {
  as_postgres "$(pg_bindir)/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
}

# start_redis DIR PORT: a Redis on 127.0.0.1:PORT keeping its files in DIR.
start_redis() {
  mkdir -p "$1"
  redis-server --bind 127.0.0.1 --port "$2" --dir "$1" --daemonize yes --pidfile "$1/redis.pid" --logfile "$1/redis.log" --save "" >/dev/null
}

stop_redis() {
  [ -f "$1/redis.pid" ] && kill "$(cat "$1/redis.pid")" 2>/dev/null || true
}

# The Host's Release build, and the processes started from it by start_host (stop_hosts ends them).
HOST_BUILD="src/Host/bin/Release/net10.0"
HOST_PIDS=()

# build_host: builds the Host in Release, quietly (from the repository root).
build_host() {
  dotnet build src/Host/Host.csproj -c Release -nologo -v quiet >/dev/null
}

# start_host LOG NAME=VALUE...: the Release Host in the background with these settings on top of the environment,
# its output to LOG ('-' leaves it on this terminal). Its pid is added to HOST_PIDS and left in HOST_PID.
start_host() {
  local log="$1"; shift
  if [ "$log" = "-" ]; then
    (cd "$HOST_BUILD" && exec env "$@" dotnet Host.dll) &
  else
    (cd "$HOST_BUILD" && exec env "$@" dotnet Host.dll) > "$log" 2>&1 &
  fi
  HOST_PID=$!
  HOST_PIDS+=("$HOST_PID")
}

# wait_ready URL: waits up to 60 s for URL/health/ready to answer 2xx; fails, saying so, if it never does.
wait_ready() {
  for _ in $(seq 1 120); do
    curl -fs "$1/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "$1 was not ready within 60 s" >&2
  return 1
}

# stop_hosts: sends TERM to every Host start_host started and waits for them to end.
stop_hosts() {
  local pid
  for pid in "${HOST_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${HOST_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  HOST_PIDS=()
}
