package dev.meridian.agent.replica;

/**
 * Who a replica is: the region it runs in and its replica ID, which is also its service ID in the
 * registry.
 *
 * @param region the region (Consul datacenter), for example {@code eu-west}
 * @param replicaId unique across the fleet, for example {@code eu-west-fraud-score-0}
 */
public record ReplicaIdentity(String region, String replicaId) {}
