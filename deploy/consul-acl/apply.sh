#!/bin/sh
# Creates (or updates) one Consul ACL policy per Meridian role from the JSON files beside this
# script, and a token for each role whose secret ID is given in the environment, so that the
# roles' own environment can carry the same value. Idempotent: run it again after editing a
# policy. Run it against the primary datacenter; policies and tokens are global.
#
#   CONSUL_HTTP_ADDR=http://127.0.0.1:8500 CONSUL_HTTP_TOKEN=<management token> \
#   MERIDIAN_REGION_AGENT_CONSUL_TOKEN=<uuid> MERIDIAN_CONTROLLER_CONSUL_TOKEN=<uuid> \
#   MERIDIAN_GATEWAY_CONSUL_TOKEN=<uuid> [MERIDIAN_CONSUL_CLIENT_TOKEN=<uuid>] \
#   deploy/consul-acl/apply.sh
#
# Needs the consul CLI (the hashicorp/consul image has it) and a management token.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
: "${CONSUL_HTTP_ADDR:?set CONSUL_HTTP_ADDR to the primary datacenter's Consul}"
: "${CONSUL_HTTP_TOKEN:?set CONSUL_HTTP_TOKEN to a management token}"

policy() { # name file description
  id="$(consul acl policy read -name "$1" -format=json 2>/dev/null \
    | sed -n 's/^ *"ID": *"\([^"]*\)".*/\1/p' | head -n 1)"
  if [ -n "$id" ]; then
    consul acl policy update -id "$id" -description "$3" -rules "@$2" >/dev/null
    echo "policy $1: updated"
  else
    consul acl policy create -name "$1" -description "$3" -rules "@$2" >/dev/null
    echo "policy $1: created"
  fi
}

token() { # secret policy description
  if CONSUL_HTTP_TOKEN="$1" consul acl token read -self >/dev/null 2>&1; then
    echo "token for $2: exists"
  else
    consul acl token create -secret "$1" -policy-name "$2" -description "$3" >/dev/null
    echo "token for $2: created"
  fi
}

policy meridian-region-agent "$here/region-agent.json" \
  "Meridian region agent: registers its replicas and reports their TTL checks"
policy meridian-failover-controller "$here/failover-controller.json" \
  "Meridian failover controller: reads replica health, writes routing tables, holds the leader lock"
policy meridian-gateway "$here/gateway.json" \
  "Meridian gateway: reads replica health and routing tables"
policy meridian-consul-client "$here/consul-client-agent.json" \
  "Consul client agents beside Meridian pods: their own node, service discovery reads"

token "${MERIDIAN_REGION_AGENT_CONSUL_TOKEN:?}" meridian-region-agent "Meridian region agents"
token "${MERIDIAN_CONTROLLER_CONSUL_TOKEN:?}" meridian-failover-controller "Meridian failover controllers"
token "${MERIDIAN_GATEWAY_CONSUL_TOKEN:?}" meridian-gateway "Meridian gateways"
if [ -n "${MERIDIAN_CONSUL_CLIENT_TOKEN:-}" ]; then
  token "$MERIDIAN_CONSUL_CLIENT_TOKEN" meridian-consul-client "Consul client agents of Meridian pods"
fi
