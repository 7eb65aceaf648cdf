package dev.meridian.registry;

import java.util.Optional;

/**
 * One key in Consul KV.
 *
 * @param key the key
 * @param value the value, decoded as UTF-8; empty when the key holds no value
 * @param createIndex the index at which the key was created
 * @param modifyIndex the index of its last change: the check-and-set token for the next write
 * @param lockIndex how many times a session has acquired it: the lock epoch
 * @param session the session holding its lock, if any
 */
public record KvEntry(
    String key,
    String value,
    long createIndex,
    long modifyIndex,
    long lockIndex,
    Optional<String> session) {}
