package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's keys in etcd: a transaction is one etcd {@code Txn} whose compares are the
 * conditions' mod revisions (0 for an absent key, as etcd compares missing keys) and whose success
 * branch holds the writes.
 */
public final class EtcdKeyValueStore implements KeyValueStore {
  /** etcd's default limit of compares, and of operations, per transaction ({@code --max-txn-ops}). */
  public static final int MAX_TXN_OPS = 128;

  private final Client client;
  private final List<String> endpoints;
  private final Duration timeout;

  private EtcdKeyValueStore(Client client, List<String> endpoints, Duration timeout) {
    this.client = client;
    this.endpoints = endpoints;
    this.timeout = timeout;
  }

  /** Connects with the registry's connection settings (endpoints, credentials, timeout). */
  public static EtcdKeyValueStore connect(EtcdRegistryConfig config) {
    requireNonNull(config, "config is null");
    ClientBuilder builder = Client.builder()
        .endpoints(config.endpoints().toArray(String[]::new))
        .connectTimeout(config.connectTimeout())
        .retryMaxDuration(config.connectTimeout());
    if (config.user() != null && config.password() != null) {
      builder.user(bytes(config.user())).password(bytes(config.password()));
    }
    return new EtcdKeyValueStore(builder.build(), config.endpoints(), config.connectTimeout());
  }

  @Override
  public Range range(String prefix) {
    GetResponse response = await(client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()),
        "read " + prefix);
    TreeMap<String, Entry> entries = new TreeMap<>();
    for (KeyValue kv : response.getKvs()) {
      Entry entry = entry(kv);
      entries.put(entry.key(), entry);
    }
    return new Range(entries, response.getHeader().getRevision());
  }

  @Override
  public @Nullable Entry get(String key) {
    GetResponse response = await(client.getKVClient().get(bytes(key)), "read " + key);
    return response.getKvs().isEmpty() ? null : entry(response.getKvs().get(0));
  }

  @Override
  public long commit(List<Condition> conditions, List<Write> writes) {
    if (conditions.size() > MAX_TXN_OPS || writes.size() > MAX_TXN_OPS) {
      throw ControlPlaneException.invalid(null, "the change needs " + writes.size() + " writes and "
          + conditions.size() + " checks in one transaction, more than etcd's limit of " + MAX_TXN_OPS);
    }
    List<Cmp> compares = new ArrayList<>();
    for (Condition condition : conditions) {
      compares.add(new Cmp(bytes(condition.key()), Cmp.Op.EQUAL, CmpTarget.modRevision(condition.modRevision())));
    }
    List<Op> ops = new ArrayList<>();
    for (Write write : writes) {
      if (write instanceof Write.Put put) {
        ops.add(Op.put(bytes(put.key()), bytes(put.value()), PutOption.DEFAULT));
      } else {
        ops.add(Op.delete(bytes(write.key()), DeleteOption.DEFAULT));
      }
    }
    TxnResponse response = await(client.getKVClient().txn()
        .If(compares.toArray(Cmp[]::new))
        .Then(ops.toArray(Op[]::new))
        .commit(), "write " + writes.size() + " keys");
    return response.isSucceeded() ? response.getHeader().getRevision() : -1;
  }

  @Override
  public void close() {
    client.close();
  }

  private static Entry entry(KeyValue kv) {
    return new Entry(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8),
        kv.getCreateRevision(), kv.getModRevision());
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlPlaneException(Reason.UNAVAILABLE, null, "interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ControlPlaneException(Reason.UNAVAILABLE, null, "etcd at " + endpoints + ": cannot " + what + ": "
          + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ControlPlaneException(Reason.UNAVAILABLE, null, "etcd at " + endpoints + ": timed out trying to " + what, e);
    }
  }
}
