#!/bin/bash
# brickctl/haproxy entrypoint: defaults for the variables /etc/haproxy/haproxy.cfg reads, a check
# of the configuration, then haproxy in the foreground (master-worker; workers run as haproxy).
#   HAPROXY_BACKEND_SERVICE  Swarm service to balance over (tasks.SERVICE)   default wordpress
#   HAPROXY_BACKEND_PORT     its port                                         default 80
#   HAPROXY_SLOTS            server slots (most tasks it can use)            default 10
#   HAPROXY_CHECK_PATH       HTTP health check path on the backends          default /wp-includes/images/blank.gif
#   HAPROXY_COOKIE_KEY       key of the sticky-session cookie (the same on every haproxy replica);
#                            default: random per container
#   HAPROXY_BIND / HAPROXY_STATS_BIND                                         default :80 / :8404
set -Eeuo pipefail
export HAPROXY_BACKEND_SERVICE=${HAPROXY_BACKEND_SERVICE:-wordpress}
export HAPROXY_BACKEND_PORT=${HAPROXY_BACKEND_PORT:-80}
export HAPROXY_SLOTS=${HAPROXY_SLOTS:-10}
export HAPROXY_CHECK_PATH=${HAPROXY_CHECK_PATH:-/wp-includes/images/blank.gif}
export HAPROXY_BIND=${HAPROXY_BIND:-:80}
export HAPROXY_STATS_BIND=${HAPROXY_STATS_BIND:-:8404}
export HAPROXY_SERVER_PREFIX=${HAPROXY_SERVER_PREFIX:-${HAPROXY_BACKEND_SERVICE//[^a-zA-Z0-9]/}}
if [ -z "${HAPROXY_COOKIE_KEY:-}" ]; then
  HAPROXY_COOKIE_KEY=$(head -c 18 /dev/urandom | base64 -w0)
  echo "brickctl/haproxy: HAPROXY_COOKIE_KEY not set: a random key (set one when running several haproxy replicas)" >&2
fi
export HAPROXY_COOKIE_KEY
[[ $HAPROXY_SLOTS =~ ^[0-9]+$ ]] || { echo "brickctl/haproxy: HAPROXY_SLOTS must be a number" >&2; exit 1; }
export HAPROXY_SLOTS="1-$HAPROXY_SLOTS"

if [ "${1:-}" = haproxy ]; then
  shift
  haproxy -c -q -f /etc/haproxy/haproxy.cfg
  exec haproxy -W -db -f /etc/haproxy/haproxy.cfg "$@"
fi
exec "$@"
