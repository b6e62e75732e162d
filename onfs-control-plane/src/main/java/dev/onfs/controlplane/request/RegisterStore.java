package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Registers a store; its id is allotted on approval (the highest numeric id + 1).
 *
 * @param dbType the store type, which must match the connection configured for {@code confId}
 * @param confId the connection configured on the servers
 * @param table the table blocks go to (unique across stores)
 * @param primaryKeys the table's primary-key columns in order (may be empty for key-value stores)
 * @param tableTtlSeconds the table's default TTL, 0 = none
 */
public record RegisterStore(String dbType, int confId, String table, List<String> primaryKeys, long tableTtlSeconds)
    implements Payload {
  public RegisterStore {
    primaryKeys = Specs.copy(primaryKeys);
  }

  @Override
  public RequestKind kind() {
    return RequestKind.REGISTER_STORE;
  }

  @Override
  public List<Target> targets() {
    return List.of();
  }
}
