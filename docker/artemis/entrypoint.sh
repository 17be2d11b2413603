#!/usr/bin/env bash
# Creates this node's Artemis instance on first start with Artemis' own generator (`artemis create`), then runs it.
# The pair replicates: the primary serves, the backup copies its journal and takes over when the primary is lost.
#   ARTEMIS_ROLE        primary | backup (default: from a StatefulSet ordinal: name-0 primary, name-1 backup)
#   ARTEMIS_HOST        the name the other node and the brokers reach this node by (default: hostname -f)
#   ARTEMIS_PEER        the other node's name
#   ARTEMIS_PORT / ARTEMIS_PEER_PORT   this node's and the other's core port (default 61616 both)
#   ARTEMIS_SERVICE     in a StatefulSet: its headless service's domain (e.g. artemis.ns.svc.cluster.local); then
#                       ARTEMIS_HOST and ARTEMIS_PEER default to <name>-<ordinal>.<service> and the other ordinal's
#   ARTEMIS_PING        optional: addresses to ping (comma-separated); a node that reaches none stops serving,
#                       which with a single pair is the guard against a split brain (no third node to vote)
#   ARTEMIS_USER / ARTEMIS_PASSWORD                  what the record-broker instances log in with (required)
#   ARTEMIS_CLUSTER_USER / ARTEMIS_CLUSTER_PASSWORD  what the two nodes log in to each other with (required)
set -euo pipefail
: "${ARTEMIS_USER:?ARTEMIS_USER is required}" "${ARTEMIS_PASSWORD:?ARTEMIS_PASSWORD is required}"
: "${ARTEMIS_CLUSTER_USER:?ARTEMIS_CLUSTER_USER is required}" "${ARTEMIS_CLUSTER_PASSWORD:?ARTEMIS_CLUSTER_PASSWORD is required}"
role="${ARTEMIS_ROLE:-}"
name="$(hostname)"
if [ -z "$role" ]; then
  case "$name" in
    *-0) role=primary ;;
    *-1) role=backup ;;
    *) echo "ARTEMIS_ROLE is not set and $name is no StatefulSet ordinal 0 or 1" >&2; exit 64 ;;
  esac
fi
if [ -n "${ARTEMIS_SERVICE:-}" ]; then
  other="${name%-*}-$([ "$role" = primary ] && echo 1 || echo 0)"
  ARTEMIS_HOST="${ARTEMIS_HOST:-$name.$ARTEMIS_SERVICE}"
  ARTEMIS_PEER="${ARTEMIS_PEER:-$other.$ARTEMIS_SERVICE}"
fi
: "${ARTEMIS_PEER:?ARTEMIS_PEER is required (the other node of the pair)}"
host="${ARTEMIS_HOST:-$(hostname -f)}"
instance="${ARTEMIS_INSTANCE:-/var/lib/artemis/instance}"
if [ ! -f "$instance/etc/broker.xml" ]; then
  backup=()
  [ "$role" = backup ] && backup=(--backup)
  "${ARTEMIS_HOME:-/opt/artemis}/bin/artemis" create "$instance" --silent --no-web --require-login --aio --no-autotune \
    --user "$ARTEMIS_USER" --password "$ARTEMIS_PASSWORD" \
    --replicated --clustered "${backup[@]}" --failover-on-shutdown \
    --cluster-user "$ARTEMIS_CLUSTER_USER" --cluster-password "$ARTEMIS_CLUSTER_PASSWORD" \
    --host "$host" --default-port "${ARTEMIS_PORT:-61616}" \
    --staticCluster "tcp://${ARTEMIS_PEER}:${ARTEMIS_PEER_PORT:-61616}" \
    --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    ${ARTEMIS_PING:+--ping "$ARTEMIS_PING"}
  # A restarted primary first looks for an active backup and takes its place back only after syncing from it
  # (check-for-active-server / allow-failback): never two active nodes with diverging journals. `artemis create`
  # has no option for these two elements of the replication policy, so they are added to what it generated.
  if [ "$role" = primary ]; then
    # and a primary that loses its backup keeps serving: with one pair there is no third node to vote it alive
    sed -i -e 's|<primary>|<primary><check-for-active-server>true</check-for-active-server>|' \
      -e 's|<vote-on-replication-failure>true<|<vote-on-replication-failure>false<|' "$instance/etc/broker.xml"
  else
    sed -i 's|<backup/>|<backup><allow-failback>true</allow-failback></backup>|' "$instance/etc/broker.xml"
  fi
  grep -q -e '<check-for-active-server>true' -e '<allow-failback>true' "$instance/etc/broker.xml" \
    || { echo "the generated broker.xml has no replication policy to complete" >&2; exit 70; }
  # The record-broker's queues (as IngestQueues.declareAddressSettings / legacyIngestAddressSettings configure the
  # embedded broker; docs/ingest.md says why): a hub's queue redelivers at once and never dead-letters by delivery
  # count (the consumer decides and pauses that hub's consumers itself); dead letters go to rb.hl7.ingest.dlq, which
  # the ops endpoints list and replay. Without these, Artemis' catch-all would dead-letter a message into DLQ after
  # 10 rollbacks, e.g. a hub down for a minute.
  settings='<address-setting match="rb.hl7.declare.#"><dead-letter-address>rb.hl7.ingest.dlq</dead-letter-address><max-delivery-attempts>-1</max-delivery-attempts><redelivery-delay>0</redelivery-delay></address-setting>'
  settings+='<address-setting match="rb.hl7.ingest"><dead-letter-address>rb.hl7.ingest.dlq</dead-letter-address><max-delivery-attempts>50</max-delivery-attempts><redelivery-delay>1000</redelivery-delay><redelivery-delay-multiplier>2.0</redelivery-delay-multiplier><max-redelivery-delay>60000</max-redelivery-delay></address-setting>'
  sed -i "s|</address-settings>|${settings}</address-settings>|" "$instance/etc/broker.xml"
  grep -q 'match="rb.hl7.declare.#"' "$instance/etc/broker.xml" \
    || { echo "the generated broker.xml has no address-settings to complete" >&2; exit 70; }
fi
# ARTEMIS_CREATE_ONLY=true: create the instance and stop (the tests check what this script generates)
[ "${ARTEMIS_CREATE_ONLY:-false}" = true ] && exit 0
exec "$instance/bin/artemis" run
