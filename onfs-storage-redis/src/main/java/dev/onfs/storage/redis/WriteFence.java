package dev.onfs.storage.redis;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;

/**
 * Fences a write connection that was given up on, so that none of its commands can run afterwards.
 *
 * <p>A pipelined write that times out on the client is not cancelled on the server: the rest of the
 * pipeline still sits in the server's query buffer or in the socket and runs later, possibly after a
 * retry or a newer write on another connection, storing an older value last. Before such a failure is
 * reported, {@link #fence} kills the connection's server-side client by its {@code CLIENT ID} from a
 * fresh connection to the same node: the server frees the client and drops its unprocessed input.
 * {@code CLIENT KILL} is not a write command, so it also runs while the server holds writes back
 * ({@code CLIENT PAUSE WRITE}, a slow replica ack).
 */
final class WriteFence {
  private static final byte[] ID = {'I', 'D'};
  private static final byte[] KILL = {'K', 'I', 'L', 'L'};

  private final JedisClientConfig fenceClient;
  // One CLIENT ID round trip per pooled connection, on its first write; weak so the pool owns lifetimes.
  private final Map<Connection, Long> ids = Collections.synchronizedMap(new WeakHashMap<>());

  WriteFence(JedisClientConfig fenceClient) {
    this.fenceClient = fenceClient;
  }

  /** The server's id of the client behind {@code connection}; asked once per connection. */
  long clientId(Connection connection) {
    Long id = ids.get(connection);
    if (id == null) {
      id = connection.executeCommand(new CommandObject<>(
          new CommandArguments(Protocol.Command.CLIENT).add(ID), BuilderFactory.LONG));
      ids.put(connection, id);
    }
    return id;
  }

  /**
   * Kills client {@code clientId} on the node of {@code abandoned} and marks the connection broken, so
   * the pool discards it when it is closed. Returns once the server has confirmed (the client is gone,
   * whether killed now or already closed); throws STORE_UNAVAILABLE when the node cannot be reached to
   * confirm, because then the abandoned commands may still run.
   */
  void fence(Connection abandoned, long clientId, String what, RuntimeException failure) {
    abandoned.setBroken();
    ids.remove(abandoned);
    HostAndPort node = abandoned.getHostAndPort();
    try (Connection admin = new Connection(node, fenceClient)) {
      // New-style filter form: replies with the number of clients killed (0 when already gone), no error.
      admin.executeCommand(new CommandObject<>(
          new CommandArguments(Protocol.Command.CLIENT).add(KILL).add(ID).add(clientId), BuilderFactory.LONG));
    } catch (RuntimeException e) {
      OnfsException unavailable = new OnfsException(ErrorCode.STORE_UNAVAILABLE,
          "redis " + what + " failed (" + failure.getMessage() + ") and its connection could not be fenced on "
              + node + " (CLIENT KILL ID " + clientId + ": " + e.getMessage()
              + "); commands already sent may still be applied later", failure);
      unavailable.addSuppressed(e);
      throw unavailable;
    }
  }
}
