package dev.meridian.registry;

/**
 * A value read from Consul with the read's metadata, as blocking queries need it.
 *
 * @param value the value read
 * @param index the {@code X-Consul-Index} of the read, 0 when the server sent none
 * @param knownLeader whether the answering server knew a cluster leader
 * @param lastContactMillis how stale the answering server may be ({@code X-Consul-Lastcontact})
 */
public record Versioned<T>(T value, long index, boolean knownLeader, long lastContactMillis) {}
