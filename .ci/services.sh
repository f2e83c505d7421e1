#!/usr/bin/env bash
# Starts the loopback servers the generated projects' tests use, if one has stopped.
set -euo pipefail

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
fi
if command -v mariadbd >/dev/null && ! mariadb-admin -h 127.0.0.1 -u root status >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 30); do mariadb-admin -h 127.0.0.1 -u root status >/dev/null 2>&1 && break; sleep 1; done
fi
# Memcached is not part of the machine image: install it once, then start it like the others.
if ! command -v memcached >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq memcached >/dev/null
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/11211) 2>/dev/null; then
  memcached -d -u "$(id -un)" -l 127.0.0.1 -p 11211 -m 64
  for _ in $(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/11211) 2>/dev/null && break; sleep 0.25; done
fi
