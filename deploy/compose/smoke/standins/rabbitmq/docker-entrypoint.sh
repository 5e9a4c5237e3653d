#!/bin/sh
# The part of the official rabbitmq image's contract that docker-compose.yml relies on: the user
# RABBITMQ_DEFAULT_USER with RABBITMQ_DEFAULT_PASS (taken when the node's database is first made),
# listeners on 5672 and the management API on 15672 for every address, extra settings from
# /etc/rabbitmq/conf.d/*.conf read after the image's own 10-defaults.conf, the server run as the
# "rabbitmq" user.
set -eu

if [ "$1" = rabbitmq-server ]; then
  {
    echo "loopback_users.guest = false"
    echo "listeners.tcp.default = 5672"
    echo "management.tcp.port = 15672"
    if [ -n "${RABBITMQ_DEFAULT_USER:-}" ]; then echo "default_user = $RABBITMQ_DEFAULT_USER"; fi
    if [ -n "${RABBITMQ_DEFAULT_PASS:-}" ]; then echo "default_pass = $RABBITMQ_DEFAULT_PASS"; fi
  } > /etc/rabbitmq/conf.d/10-defaults.conf
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
fi

exec "$@"
