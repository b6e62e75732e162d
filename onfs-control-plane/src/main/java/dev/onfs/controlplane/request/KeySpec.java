package dev.onfs.controlplane.request;

/**
 * One key of a new entity, in order.
 *
 * @param entityLabel the key's public name, used in API requests
 * @param columnLabel the store's primary-key column holding it
 */
public record KeySpec(String entityLabel, String columnLabel) {}
