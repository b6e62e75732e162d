package dev.onfs.registry.etcd;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** jetcd plumbing shared by the client and the watching registry; translates driver errors. */
final class EtcdConnections {
  private EtcdConnections() {}

  /** A key's value and the revision it was last modified at. */
  record Versioned(String value, long modRevision) {}

  /** Every key under a prefix, and the store revision the read saw. */
  record Tree(TreeMap<String, Versioned> keys, long revision) {
    TreeMap<String, String> values() {
      TreeMap<String, String> values = new TreeMap<>();
      keys.forEach((k, v) -> values.put(k, v.value()));
      return values;
    }
  }

  static Client client(EtcdRegistryConfig config) {
    ClientBuilder builder = Client.builder()
        .endpoints(config.endpoints().toArray(String[]::new))
        .connectTimeout(config.connectTimeout())
        .retryMaxDuration(config.connectTimeout());
    if (config.user() != null && config.password() != null) {
      builder.user(bytes(config.user())).password(bytes(config.password()));
    }
    return builder.build();
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  /** Reads every key under {@code <base>/}. */
  static Tree readTree(Client client, EtcdRegistryConfig config) {
    String base = config.basePath();
    // The trailing slash keeps other apps whose names start with this one out of the read.
    GetResponse response = await(client.getKVClient().get(bytes(base + "/"),
        GetOption.builder().isPrefix(true).build()), config, "read " + base);
    TreeMap<String, Versioned> keys = new TreeMap<>();
    for (KeyValue kv : response.getKvs()) {
      String key = kv.getKey().toString(StandardCharsets.UTF_8);
      if (key.startsWith(base + "/")) {
        keys.put(key, new Versioned(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision()));
      }
    }
    return new Tree(keys, response.getHeader().getRevision());
  }

  /** Waits for an etcd call; failures become REGISTRY_UNAVAILABLE (retryable). */
  static <T> T await(java.util.concurrent.CompletableFuture<T> future, EtcdRegistryConfig config, String what) {
    try {
      return future.get(config.connectTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "etcd at " + config.endpoints()
          + ": cannot " + what + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new OnfsException(ErrorCode.REGISTRY_UNAVAILABLE, "etcd at " + config.endpoints()
          + ": timed out trying to " + what, e);
    }
  }
}
