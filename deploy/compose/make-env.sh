#!/bin/sh
# Prints a .env for compose.yaml with a fresh secret for every token: ./make-env.sh > .env
# (Consul token secret IDs must be UUIDs.) Keep .env out of version control.
set -eu
uuid() {
  if command -v uuidgen >/dev/null 2>&1; then uuidgen | tr 'A-F' 'a-f'; else cat /proc/sys/kernel/random/uuid; fi
}
for name in CONSUL_BOOTSTRAP_TOKEN MERIDIAN_REGION_AGENT_CONSUL_TOKEN \
  MERIDIAN_CONTROLLER_CONSUL_TOKEN MERIDIAN_GATEWAY_CONSUL_TOKEN MERIDIAN_ADMIN_TOKEN; do
  echo "$name=$(uuid)"
done
