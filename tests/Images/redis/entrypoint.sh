#!/bin/sh
# As the official image does: arguments that start with "-" are the server's options, and a server started without
# a configuration file answers on every interface (the container's network is the boundary).
set -eu
[ "${1#-}" != "$1" ] && set -- redis-server "$@"
if [ "$1" = redis-server ]; then
  shift
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server --bind '* -::*' --protected-mode no "$@"
fi
exec "$@"
