package dev.onfs.server.health;

import static java.util.Objects.requireNonNull;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sets the gRPC health service's status from {@link Readiness} on one daemon thread, periodically:
 * {@code NOT_SERVING} while a store is unreachable or the registry is not loaded, {@code SERVING} again
 * once they are back. Covers the server as a whole ({@code ""}) and each named service.
 */
public final class GrpcHealthFollower implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GrpcHealthFollower.class.getName());

  private final Readiness readiness;
  private final HealthStatusManager health;
  private final List<String> names;
  private final ScheduledExecutorService timer;

  private GrpcHealthFollower(Readiness readiness, HealthStatusManager health, List<String> services) {
    this.readiness = readiness;
    this.health = health;
    this.names = new ArrayList<>();
    names.add(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
    names.addAll(services);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "onfs-grpc-health");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Sets the statuses now, then every {@code period}.
   *
   * @param services full gRPC service names, e.g. {@code retrieve.FeatureService}
   */
  public static GrpcHealthFollower start(Readiness readiness, HealthStatusManager health, List<String> services,
      Duration period) {
    requireNonNull(readiness, "readiness is null");
    requireNonNull(health, "health is null");
    requireNonNull(services, "services is null");
    requireNonNull(period, "period is null");
    GrpcHealthFollower follower = new GrpcHealthFollower(readiness, health, services);
    follower.update();
    follower.timer.scheduleWithFixedDelay(follower::update, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return follower;
  }

  private void update() {
    ServingStatus status;
    try {
      status = readiness.check().ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    } catch (RuntimeException e) {
      // Keep the thread alive: a failing check is an unready server, not a reason to stop following.
      LOG.log(Level.WARNING, "readiness check failed", e);
      status = ServingStatus.NOT_SERVING;
    }
    for (String name : names) {
      health.setStatus(name, status);
    }
  }

  /** Stops following; the statuses stay as last set. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
