package dev.onfs.controlplane.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.onfs.controlplane.ControlPlaneException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Counts failed logins per user name and per remote address in a window; past the limit, logins for
 * that name or from that address are refused without checking the password until the window since
 * the first counted failure has passed. Both maps are bounded (least recently used names and
 * addresses are forgotten first), so a flood of made-up names cannot exhaust memory.
 */
public final class LoginLimiter {
  /** Most names and addresses remembered, each. */
  static final int MAX_TRACKED = 10_000;

  private final int perUser;
  private final int perAddress;
  private final Duration window;
  private final Cache<String, AtomicInteger> users;
  private final Cache<String, AtomicInteger> addresses;

  public LoginLimiter(int perUser, int perAddress, Duration window, Ticker ticker) {
    if (perUser < 1 || perAddress < 1) {
      throw new IllegalArgumentException("limits must be positive: " + perUser + ", " + perAddress);
    }
    this.perUser = perUser;
    this.perAddress = perAddress;
    this.window = window;
    this.users = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterWrite(window).ticker(ticker).build();
    this.addresses = Caffeine.newBuilder().maximumSize(MAX_TRACKED).expireAfterWrite(window).ticker(ticker).build();
  }

  /** Throws {@link ControlPlaneException.Reason#RATE_LIMITED} when the name or address is over its limit. */
  public void check(String user, @Nullable String address) {
    AtomicInteger byUser = users.getIfPresent(user);
    if (byUser != null && byUser.get() >= perUser) {
      throw limited("user '" + user + "'");
    }
    if (address != null) {
      AtomicInteger byAddress = addresses.getIfPresent(address);
      if (byAddress != null && byAddress.get() >= perAddress) {
        throw limited("address " + address);
      }
    }
  }

  /** Counts a failed login. */
  public void failed(String user, @Nullable String address) {
    users.get(user, k -> new AtomicInteger()).incrementAndGet();
    if (address != null) {
      addresses.get(address, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  /** Forgets the user's failures after a successful login (the address keeps its count). */
  public void succeeded(String user) {
    users.invalidate(user);
  }

  private ControlPlaneException limited(String who) {
    return new ControlPlaneException(ControlPlaneException.Reason.RATE_LIMITED, null, "too many failed logins for "
        + who + "; try again in " + window.toMinutes() + " minutes");
  }
}
