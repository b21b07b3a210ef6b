#!/bin/sh
# The official image's contract, as far as the tests use it: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB make
# the cluster on first start (password logins over TCP); arguments that start with "-" are the server's options.
set -eu
[ "${1#-}" != "$1" ] && set -- postgres "$@"
[ "$1" = postgres ] || exec "$@"
shift
bin=/usr/lib/postgresql/15/bin
user="${POSTGRES_USER:-postgres}"
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres: "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" > /tmp/pwfile
  chown postgres /tmp/pwfile
  # The data is thrown away with the container, so initdb need not wait for the disk.
  as_postgres "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --no-locale --no-sync >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\"" | as_postgres "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
