package dev.onfs.registry.etcd;

import static dev.onfs.registry.etcd.EtcdConnections.await;
import static dev.onfs.registry.etcd.EtcdConnections.bytes;
import static java.util.Objects.requireNonNull;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.StoreConfig;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the registry tree once and writes snapshots into it.
 *
 * <p>Writes are upserts: keys are added or changed, never deleted (the reference keeps old
 * versions and columns forever, and servers need old versions to decode old blocks). Before
 * writing, the resulting tree (what is there now plus the change) is validated: a write that would
 * make any definition invalid is refused, while definitions that were already invalid (which
 * servers quarantine) do not block writes to others. Each
 * feature group is written in one etcd transaction that also checks that none of its keys changed
 * since they were read, so a group's change lands completely or not at all, and a concurrent writer
 * is detected (the write is then recomputed from a fresh read, up to three times).
 */
public final class EtcdRegistryClient implements AutoCloseable {
  /** etcd's default limit on operations per transaction ({@code --max-txn-ops}). */
  static final int MAX_TXN_OPS = 128;

  private static final int ATTEMPTS = 3;

  private final EtcdRegistryConfig config;
  private final Client client;

  private EtcdRegistryClient(EtcdRegistryConfig config) {
    this.config = requireNonNull(config, "config is null");
    this.client = EtcdConnections.client(config);
  }

  public static EtcdRegistryClient connect(EtcdRegistryConfig config) {
    return new EtcdRegistryClient(config);
  }

  /** What a write did. */
  public record ApplyResult(int keysWritten, int transactions, long revision) {}

  /** Reads and validates the whole tree. */
  public RegistrySnapshot read() {
    EtcdConnections.Tree tree = EtcdConnections.readTree(client, config);
    return EtcdKeyTree.read(config.appName(), tree.values(), tree.revision());
  }

  /** Every key and value under {@code /config/<app>}, as stored. */
  public SortedMap<String, String> readKeys() {
    return EtcdConnections.readTree(client, config).values();
  }

  /** Writes every store, token, entity and feature group of the snapshot. */
  public ApplyResult apply(RegistrySnapshot snapshot) {
    requireNonNull(snapshot, "snapshot is null");
    String app = config.appName();
    List<Map<String, String>> units = new ArrayList<>();
    SortedMap<String, String> shared = new TreeMap<>();
    for (StoreConfig store : snapshot.stores().values()) {
      shared.putAll(EtcdKeyTree.storeKeys(app, store));
    }
    shared.putAll(EtcdKeyTree.securityKeys(app, snapshot));
    units.add(shared);
    for (Entity entity : snapshot.entities().values()) {
      units.add(EtcdKeyTree.entityKeys(app, entity));
      for (FeatureGroup group : entity.featureGroups().values()) {
        units.add(EtcdKeyTree.featureGroupKeys(app, entity.label(), group));
      }
    }
    return write(units);
  }

  /** Writes one entity's own keys (label, keys, caches) and all of its feature groups. */
  public ApplyResult apply(Entity entity) {
    requireNonNull(entity, "entity is null");
    List<Map<String, String>> units = new ArrayList<>();
    units.add(EtcdKeyTree.entityKeys(config.appName(), entity));
    for (FeatureGroup group : entity.featureGroups().values()) {
      units.add(EtcdKeyTree.featureGroupKeys(config.appName(), entity.label(), group));
    }
    return write(units);
  }

  /**
   * Refuses a change that would make a definition invalid (e.g. a clashing group id), naming it; a
   * feature group or entity already invalid before the change does not block it.
   */
  private void refuseNewProblems(EtcdConnections.Tree current, Map<String, String> merged) {
    RegistrySnapshot after = EtcdKeyTree.readQuarantining(config.appName(), merged, current.revision());
    RegistrySnapshot before;
    try {
      before = EtcdKeyTree.readQuarantining(config.appName(), current.values(), current.revision());
    } catch (OnfsException invalidAsAWhole) {
      before = RegistrySnapshot.empty();
    }
    for (Map.Entry<String, String> e : after.quarantinedEntities().entrySet()) {
      if (!e.getValue().equals(before.quarantinedEntities().get(e.getKey()))) {
        throw new OnfsException(ErrorCode.INVALID_REGISTRY, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : after.quarantined().entrySet()) {
      if (!e.getValue().equals(before.quarantined().get(e.getKey()))) {
        throw new OnfsException(ErrorCode.INVALID_REGISTRY, e.getValue());
      }
    }
  }

  /** Writes one feature group of an existing entity in one transaction. */
  public ApplyResult apply(String entityLabel, FeatureGroup group) {
    requireNonNull(entityLabel, "entityLabel is null");
    requireNonNull(group, "group is null");
    return write(List.of(EtcdKeyTree.featureGroupKeys(config.appName(), entityLabel, group)));
  }

  /**
   * Writes one reader or writer entry ({@code security/reader/<id>} or {@code security/writer/<id>})
   * in one transaction, leaving every other key as it is.
   */
  public ApplyResult apply(boolean writer, Caller caller) {
    requireNonNull(caller, "caller is null");
    return write(List.of(Map.of(EtcdKeyTree.securityKey(config.appName(), writer, caller.id()),
        EtcdKeyTree.securityJson(caller))));
  }

  private ApplyResult write(List<Map<String, String>> units) {
    for (int attempt = 1; ; attempt++) {
      EtcdConnections.Tree current = EtcdConnections.readTree(client, config);
      TreeMap<String, String> merged = current.values();
      units.forEach(merged::putAll);
      refuseNewProblems(current, merged);
      int written = 0;
      int transactions = 0;
      long revision = current.revision();
      boolean conflict = false;
      for (Map<String, String> unit : units) {
        Map<String, String> changed = new LinkedHashMap<>();
        unit.forEach((key, value) -> {
          EtcdConnections.Versioned now = current.keys().get(key);
          if (now == null || !now.value().equals(value)) {
            changed.put(key, value);
          }
        });
        if (changed.isEmpty()) {
          continue;
        }
        for (Map<String, String> chunk : chunks(changed)) {
          TxnResponse response = commit(chunk, current);
          transactions++;
          if (!response.isSucceeded()) {
            conflict = true;
            break;
          }
          written += chunk.size();
          revision = response.getHeader().getRevision();
        }
        if (conflict) {
          break;
        }
      }
      if (!conflict) {
        return new ApplyResult(written, transactions, revision);
      }
      if (attempt == ATTEMPTS) {
        throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "etcd keys under " + config.basePath()
            + " kept changing while writing; gave up after " + ATTEMPTS + " attempts");
      }
    }
  }

  /**
   * Splits a unit that exceeds etcd's transaction limit: keys of versions other than the one the
   * unit activates go first (inert until activated), the rest last in one transaction.
   */
  static List<Map<String, String>> chunks(Map<String, String> changed) {
    if (changed.size() <= MAX_TXN_OPS) {
      return List.of(changed);
    }
    String active = null;
    for (Map.Entry<String, String> e : changed.entrySet()) {
      if (e.getKey().endsWith("/active-version")) {
        active = e.getValue();
      }
    }
    List<Map<String, String>> chunks = new ArrayList<>();
    if (active == null) {
      // Stores, tokens and entity keys are independent of each other: any split is safe.
      Map<String, String> chunk = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : changed.entrySet()) {
        chunk.put(e.getKey(), e.getValue());
        if (chunk.size() == MAX_TXN_OPS) {
          chunks.add(chunk);
          chunk = new LinkedHashMap<>();
        }
      }
      if (!chunk.isEmpty()) {
        chunks.add(chunk);
      }
      return chunks;
    }
    Map<String, String> inert = new LinkedHashMap<>();
    Map<String, String> last = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : changed.entrySet()) {
      String key = e.getKey();
      boolean otherVersion = key.contains("/features/") && !key.contains("/features/" + active + "/");
      (otherVersion ? inert : last).put(key, e.getValue());
      if (inert.size() == MAX_TXN_OPS) {
        chunks.add(inert);
        inert = new LinkedHashMap<>();
      }
    }
    if (!inert.isEmpty()) {
      chunks.add(inert);
    }
    if (last.size() > MAX_TXN_OPS) {
      throw new OnfsException(ErrorCode.INVALID_REGISTRY, "a single change needs " + last.size()
          + " keys in one transaction, more than etcd's default limit of " + MAX_TXN_OPS);
    }
    chunks.add(last);
    return chunks;
  }

  TxnResponse commit(Map<String, String> chunk, EtcdConnections.Tree current) {
    List<Cmp> compares = new ArrayList<>();
    List<Op> puts = new ArrayList<>();
    for (Map.Entry<String, String> e : chunk.entrySet()) {
      EtcdConnections.Versioned now = current.keys().get(e.getKey());
      // A key absent when read has mod revision 0 for etcd's compare.
      compares.add(new Cmp(bytes(e.getKey()), Cmp.Op.EQUAL, CmpTarget.modRevision(now == null ? 0 : now.modRevision())));
      puts.add(Op.put(bytes(e.getKey()), bytes(e.getValue()), PutOption.DEFAULT));
    }
    return await(client.getKVClient().txn()
        .If(compares.toArray(Cmp[]::new))
        .Then(puts.toArray(Op[]::new))
        .commit(), config, "write " + chunk.size() + " keys");
  }

  @Override
  public void close() {
    client.close();
  }
}
