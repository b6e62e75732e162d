package dev.onfs.controlplane;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.approval.ApprovalResult;
import dev.onfs.controlplane.approval.ApprovalWorkflow;
import dev.onfs.controlplane.audit.AuditAction;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.compat.Plan;
import dev.onfs.controlplane.compat.Planner;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.Payload;
import dev.onfs.controlplane.request.RequestKind;
import dev.onfs.controlplane.request.RequestStatus;
import dev.onfs.controlplane.request.Target;
import dev.onfs.controlplane.storage.ControlPlaneStore;
import dev.onfs.controlplane.storage.DirectoryKeyValueStore;
import dev.onfs.controlplane.storage.EtcdKeyValueStore;
import dev.onfs.controlplane.storage.KeyValueStore;
import dev.onfs.controlplane.storage.RegistryFilePublisher;
import dev.onfs.controlplane.storage.RegistryView;
import dev.onfs.controlplane.storage.Versioned;
import dev.onfs.controlplane.tokens.Pbkdf2TokenHasher;
import dev.onfs.controlplane.tokens.TokenHasher;
import dev.onfs.controlplane.users.AccessPolicy;
import dev.onfs.controlplane.users.LoginLimiter;
import dev.onfs.controlplane.users.Operation;
import dev.onfs.controlplane.users.PasswordHasher;
import dev.onfs.controlplane.users.PasswordPolicy;
import dev.onfs.controlplane.users.Principal;
import dev.onfs.controlplane.users.Role;
import dev.onfs.controlplane.users.User;
import dev.onfs.controlplane.users.UserInfo;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.registry.etcd.EtcdRegistryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's operations. Every operation but login and bootstrap takes a session token,
 * looks the session up (so a logout, deactivation or role change takes effect at once) and checks the
 * caller's role against {@link AccessPolicy} before doing anything. Thread-safe.
 *
 * <pre>{@code
 * try (ControlPlane cp = ControlPlane.builder()
 *     .etcd(EtcdRegistryConfig.builder("http://127.0.0.1:2379").appName("onfs").build())
 *     .storeConnection(StoreConnection.withoutSchema(1, "redis_failover"))
 *     .sessionSecret(secretFromConfiguration)
 *     .build()) {
 *   Session s = cp.login("alice", password, "10.0.0.7");
 *   ChangeRequest r = cp.submit(s.token(), new AddFeatures("user", "user_stats", List.of(FeatureSpec.of("aov", "1"))));
 *   ...
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ControlPlaneStore store;
  private final boolean ownsStore;
  private final Planner planner;
  private final ApprovalWorkflow approvals;
  private final Sessions sessions;
  private final PasswordHasher passwords;
  private final LoginLimiter limiter;
  private final Clock clock;
  private final boolean demoMode;
  private final String dummyHash;
  private final TokenHasher tokenHasher;

  private ControlPlane(Builder b, ControlPlaneStore store, boolean ownsStore, byte[] secret) {
    this.store = store;
    this.ownsStore = ownsStore;
    this.clock = b.clock;
    this.planner = new Planner(b.connections);
    this.approvals = new ApprovalWorkflow(store, planner, b.connections, b.tokenHasher, b.clock, b.singleAdminMode);
    this.sessions = new Sessions(store, secret, b.sessionTtl, b.clock);
    this.passwords = b.passwordHasher;
    this.limiter = new LoginLimiter(b.loginsPerUser, b.loginsPerAddress, b.loginWindow, b.ticker);
    this.demoMode = b.demoMode;
    this.tokenHasher = b.tokenHasher;
    // Verified against when a login names no user, so that a missing user costs as much as a wrong password.
    this.dummyHash = passwords.hash("not a password of anyone".toCharArray());
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---- login -----------------------------------------------------------------------------------

  /**
   * Logs in. Failed attempts are counted per user name and per remote address; past the limit,
   * logins are refused ({@code RATE_LIMITED}) before the password is checked.
   *
   * @throws ControlPlaneException UNAUTHENTICATED for a wrong name or password or an inactive user
   */
  public Session login(String name, char[] password, @Nullable String remoteAddress) {
    requireNonNull(password, "password is null");
    String user = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    limiter.check(user, remoteAddress);
    Versioned<User> stored = user.isEmpty() ? null : store.user(user);
    boolean matches = passwords.verify(password, stored == null ? dummyHash : stored.value().passwordHash());
    if (stored == null || !matches) {
      limiter.failed(user, remoteAddress);
      store.append(AuditEntry.of(clock.instant(), user, AuditAction.LOGIN_FAILED, "user " + user,
          stored == null ? "no such user" : "wrong password", remoteAddress));
      throw new ControlPlaneException(Reason.UNAUTHENTICATED, null, "wrong user name or password");
    }
    if (!stored.value().active()) {
      store.append(AuditEntry.of(clock.instant(), user, AuditAction.LOGIN_FAILED, "user " + user, "inactive",
          remoteAddress));
      throw new ControlPlaneException(Reason.UNAUTHENTICATED, null, "user '" + user
          + "' is inactive: an admin must activate it");
    }
    limiter.succeeded(user);
    store.deleteExpiredSessions(clock.instant());
    return sessions.create(stored.value(), remoteAddress);
  }

  /** Ends a session. */
  public void logout(String session, @Nullable String remoteAddress) {
    sessions.end(session, remoteAddress);
  }

  /** The session's user and current role. */
  public Principal whoAmI(@Nullable String session) {
    return sessions.resolve(session);
  }

  // ---- bootstrap ---------------------------------------------------------------------------------

  /**
   * Creates the first admin, for a setup command that reads the password from stdin or the
   * environment. Works once: refused when the control plane already has its first admin.
   */
  public void bootstrapAdmin(String name, char[] password) {
    String user = PasswordPolicy.name(name, "name");
    PasswordPolicy.password(password, user, "password");
    Instant now = clock.instant();
    User admin = new User(user, Role.ADMIN, true, passwords.hash(password), 0, now, now);
    if (!store.bootstrapAdmin(admin, AuditEntry.of(now, user, AuditAction.BOOTSTRAP_ADMIN, "user " + user,
        "first admin", null))) {
      throw new ControlPlaneException(Reason.INVALID_STATE, null, "the control plane already has its first admin;"
          + " further users are created by an admin");
    }
  }

  /**
   * Demo mode only: creates the first admin with a random password and returns the password, for the
   * demo to print once. Refused when the control plane already has its first admin.
   */
  public String bootstrapDemoAdmin(String name) {
    if (!demoMode) {
      throw new ControlPlaneException(Reason.FORBIDDEN, null, "random admin passwords exist in demo mode only;"
          + " use bootstrapAdmin with a chosen password");
    }
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    bootstrapAdmin(name, password.toCharArray());
    return password;
  }

  /** Whether the first admin exists. */
  public boolean isBootstrapped() {
    return store.isBootstrapped();
  }

  // ---- registry and requests ---------------------------------------------------------------------

  /**
   * The published registry. Reader and writer ids are listed; their token hashes are not (each token
   * reads as empty).
   */
  public RegistrySnapshot registry(String session) {
    authorize(session, Operation.VIEW_REGISTRY);
    RegistrySnapshot snapshot = store.registry().snapshot();
    RegistrySnapshot.Builder shown = RegistrySnapshot.builder().revision(snapshot.revision());
    snapshot.stores().values().forEach(shown::store);
    snapshot.entities().values().forEach(shown::entity);
    snapshot.readers().values().forEach(caller -> shown.reader(caller.withTokens("", null)));
    snapshot.writers().values().forEach(caller -> shown.writer(caller.withTokens("", null)));
    return shown.build();
  }

  /** The published registry with its source mappings, for catalog and lineage reads; tokens are not shown. */
  public RegistryView registryView(String session) {
    authorize(session, Operation.VIEW_REGISTRY);
    return store.registry();
  }

  /**
   * The published registry for a writer job that authenticates with its own token instead of a session
   * (the reference's {@code get-source-mapping}, which push jobs call). A hashed token is verified;
   * a token stored in clear (imported from the reference) is compared in constant time.
   *
   * @throws ControlPlaneException UNAUTHENTICATED for an unknown job or a wrong token
   */
  public RegistryView writerView(String jobId, String jobToken) {
    requireNonNull(jobId, "jobId is null");
    requireNonNull(jobToken, "jobToken is null");
    RegistryView view = store.registry();
    dev.onfs.core.registry.Caller writer = view.snapshot().writer(jobId);
    boolean matches = false;
    if (writer != null && !jobToken.isEmpty()) {
      // Either token of a rotation counts, as on the data plane.
      for (String stored : writer.tokens()) {
        matches |= stored.startsWith("$")
            ? tokenHasher.matches(jobToken, stored)
            : MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), jobToken.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!matches) {
      throw new ControlPlaneException(Reason.UNAUTHENTICATED, "jobToken", "unknown job or wrong token for job '"
          + jobId + "'");
    }
    return view;
  }

  /**
   * Allows a read of stored feature values of one key of a published feature group (the console's
   * sample read), and records it in the audit log. The caller then reads through the serving path.
   *
   * @throws ControlPlaneException FORBIDDEN below role editor, NOT_FOUND for a group that is not published
   */
  public Principal authorizeFeatureRead(String session, String entity, String group, List<String> keyValues,
      @Nullable String remoteAddress) {
    Principal principal = authorize(session, Operation.READ_FEATURES);
    if (store.registry().snapshot().featureGroup(entity, group) == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "group", "entity '" + entity + "' has no feature group '"
          + group + "'");
    }
    store.append(AuditEntry.of(clock.instant(), principal.name(), AuditAction.FEATURES_READ,
        "feature-group " + entity + "/" + group, "key " + String.join(",", keyValues), remoteAddress));
    return principal;
  }

  /** Checks a change without submitting it; a breaking change comes back as a breaking plan. */
  public Plan plan(String session, Payload payload) {
    authorize(session, Operation.PLAN);
    requireNonNull(payload, "payload is null");
    RegistryView view = store.registry();
    return planner.plan(view.snapshot(), view.sources(), payload);
  }

  /**
   * Submits a change request: it is planned now (invalid input and breaking changes are refused with
   * the field or change named) and stored as pending with its targets' current revisions.
   */
  public ChangeRequest submit(String session, Payload payload) {
    requireNonNull(payload, "payload is null");
    Principal principal = authorize(session, submitOperation(payload.kind()));
    RegistryView view = store.registry();
    Plan plan = planner.plan(view.snapshot(), view.sources(), payload).requireAcceptable();
    Map<String, Long> revisions = new LinkedHashMap<>();
    for (Target target : payload.targets()) {
      revisions.put(target.toString(), view.revision(target));
    }
    Instant now = clock.instant();
    ChangeRequest pending = ChangeRequest.pending(0, principal.name(), now, payload, revisions);
    return store.submit(pending, id -> AuditEntry.of(now, principal.name(), AuditAction.SUBMIT, "request " + id,
        payload.kind().text() + ": " + plan.outcome(), null));
  }

  /** Approves another user's pending request, publishing it atomically; see {@link ApprovalWorkflow#approve}. */
  public ApprovalResult approve(String session, long requestId, @Nullable String comment) {
    return approvals.approve(authorize(session, Operation.APPROVE), requestId, comment);
  }

  /** Rejects a pending request with a reason. */
  public ChangeRequest reject(String session, long requestId, String reason) {
    return approvals.reject(authorize(session, Operation.REJECT), requestId, reason);
  }

  /** Withdraws one's own pending request. */
  public ChangeRequest withdraw(String session, long requestId, @Nullable String reason) {
    return approvals.withdraw(authorize(session, Operation.WITHDRAW), requestId, reason);
  }

  /** Requests by id, all of them or those with {@code status}. */
  public List<ChangeRequest> requests(String session, @Nullable RequestStatus status) {
    authorize(session, Operation.VIEW_REQUESTS);
    List<ChangeRequest> result = new ArrayList<>();
    for (ChangeRequest request : store.requests()) {
      if (status == null || request.status() == status) {
        result.add(request);
      }
    }
    return result;
  }

  public ChangeRequest request(String session, long requestId) {
    authorize(session, Operation.VIEW_REQUESTS);
    Versioned<ChangeRequest> request = store.request(requestId);
    if (request == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "request-id", "request " + requestId + " does not exist");
    }
    return request.value();
  }

  // ---- users -------------------------------------------------------------------------------------

  public List<UserInfo> users(String session) {
    authorize(session, Operation.VIEW_USERS);
    List<UserInfo> result = new ArrayList<>();
    store.users().forEach(u -> result.add(UserInfo.of(u)));
    return result;
  }

  /** Creates an active user. */
  public UserInfo createUser(String session, String name, Role role, char[] password) {
    Principal admin = authorize(session, Operation.MANAGE_USERS);
    String user = PasswordPolicy.name(name, "name");
    requireNonNull(role, "role is null");
    PasswordPolicy.password(password, user, "password");
    Instant now = clock.instant();
    User created = new User(user, role, true, passwords.hash(password), 0, now, now);
    if (!store.createUser(created, AuditEntry.of(now, admin.name(), AuditAction.USER_CREATED, "user " + user,
        "role " + role.text(), null))) {
      throw new ControlPlaneException(Reason.ALREADY_EXISTS, "name", "user '" + user + "' already exists");
    }
    return UserInfo.of(created);
  }

  /** Changes a user's role; the user's sessions end. */
  public UserInfo setRole(String session, String name, Role role) {
    Principal admin = authorize(session, Operation.MANAGE_USERS);
    requireNonNull(role, "role is null");
    return changeUser(admin, name, u -> {
      if (u.role() == role) {
        throw new ControlPlaneException(Reason.NO_CHANGE, "role", "user '" + u.name() + "' already has role " + role.text());
      }
      return u.changed(role, u.active(), u.passwordHash(), clock.instant());
    }, u -> AuditEntry.of(clock.instant(), admin.name(), AuditAction.ROLE_CHANGED, "user " + u.name(),
        "role -> " + role.text(), null));
  }

  /** Activates or deactivates a user; a deactivated user's sessions end at once. */
  public UserInfo setActive(String session, String name, boolean active) {
    Principal admin = authorize(session, Operation.MANAGE_USERS);
    return changeUser(admin, name, u -> {
      if (u.active() == active) {
        throw new ControlPlaneException(Reason.NO_CHANGE, "active", "user '" + u.name() + "' is already "
            + (active ? "active" : "inactive"));
      }
      return u.changed(u.role(), active, u.passwordHash(), clock.instant());
    }, u -> AuditEntry.of(clock.instant(), admin.name(), active ? AuditAction.USER_ACTIVATED : AuditAction.USER_DEACTIVATED,
        "user " + u.name(), "", null));
  }

  /** Sets another user's password (admin); the user's sessions end. */
  public void resetPassword(String session, String name, char[] password) {
    Principal admin = authorize(session, Operation.MANAGE_USERS);
    String user = PasswordPolicy.name(name, "name");
    PasswordPolicy.password(password, user, "password");
    changeUser(admin, user, u -> u.changed(u.role(), u.active(), passwords.hash(password), clock.instant()),
        u -> AuditEntry.of(clock.instant(), admin.name(), AuditAction.PASSWORD_CHANGED, "user " + u.name(),
            "reset by an admin", null));
  }

  /** Changes one's own password after checking the current one; every session of the user ends. */
  public void changePassword(String session, char[] current, char[] password) {
    Principal self = authorize(session, Operation.CHANGE_OWN_PASSWORD);
    PasswordPolicy.password(password, self.name(), "password");
    changeUser(self, self.name(), u -> {
      if (!passwords.verify(current, u.passwordHash())) {
        throw new ControlPlaneException(Reason.UNAUTHENTICATED, "current-password", "the current password is wrong");
      }
      return u.changed(u.role(), u.active(), passwords.hash(password), clock.instant());
    }, u -> AuditEntry.of(clock.instant(), self.name(), AuditAction.PASSWORD_CHANGED, "user " + u.name(),
        "changed by the user", null));
  }

  private UserInfo changeUser(Principal actor, String name, UnaryOperator<User> change,
      Function<User, AuditEntry> audit) {
    String user = PasswordPolicy.name(name, "name");
    Versioned<User> current = store.user(user);
    if (current == null) {
      throw new ControlPlaneException(Reason.NOT_FOUND, "name", "user '" + user + "' does not exist");
    }
    User changed = change.apply(current.value());
    keepAnAdmin(current.value(), changed);
    if (!store.updateUser(current, changed, audit.apply(changed))) {
      throw new ControlPlaneException(Reason.CONFLICT, "name", "user '" + user + "' changed meanwhile; try again");
    }
    return UserInfo.of(changed);
  }

  /** Refuses a change that would leave no active admin. */
  private void keepAnAdmin(User before, User after) {
    boolean wasAdmin = before.role() == Role.ADMIN && before.active();
    boolean isAdmin = after.role() == Role.ADMIN && after.active();
    if (wasAdmin && !isAdmin && store.users().stream()
        .noneMatch(u -> u.active() && u.role() == Role.ADMIN && !u.name().equals(before.name()))) {
      throw new ControlPlaneException(Reason.INVALID_STATE, "name", "user '" + before.name()
          + "' is the last active admin; make another user admin first");
    }
  }

  // ---- audit -------------------------------------------------------------------------------------

  /** Audit entries after {@code afterSeq} (0 for the start), oldest first, at most {@code limit}. */
  public List<AuditEntry> audit(String session, long afterSeq, int limit) {
    authorize(session, Operation.VIEW_AUDIT);
    if (limit <= 0) {
      throw ControlPlaneException.invalid("limit", "limit must be positive, was " + limit);
    }
    return store.audit(afterSeq, limit);
  }

  // ---- authorization -----------------------------------------------------------------------------

  /** The operation a submission of {@code kind} needs: registrations are admin work. */
  static Operation submitOperation(RequestKind kind) {
    return switch (kind) {
      case REGISTER_STORE, REGISTER_JOB, REGISTER_CLIENT -> Operation.SUBMIT_REGISTRATION;
      default -> Operation.SUBMIT_SCHEMA_CHANGE;
    };
  }

  private Principal authorize(String session, Operation operation) {
    Principal principal = sessions.resolve(session);
    AccessPolicy.check(principal, operation);
    return principal;
  }

  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }

  /** Configures a {@link ControlPlane}; the storage and (outside demo mode) the session secret are required. */
  public static final class Builder {
    private @Nullable EtcdRegistryConfig etcd;
    private @Nullable Path directory;
    private @Nullable Path registryFile;
    private @Nullable KeyValueStore keyValueStore;
    private String appName = EtcdRegistryConfig.DEFAULT_APP_NAME;
    private final Map<Integer, StoreConnection> connections = new TreeMap<>();
    private byte @Nullable [] sessionSecret;
    private Duration sessionTtl = Duration.ofHours(12);
    private boolean singleAdminMode;
    private boolean demoMode;
    private TokenHasher tokenHasher = new Pbkdf2TokenHasher();
    private PasswordHasher passwordHasher = new PasswordHasher();
    private int loginsPerUser = 5;
    private int loginsPerAddress = 20;
    private Duration loginWindow = Duration.ofMinutes(15);
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.systemTicker();

    private Builder() {}

    /** Production storage: etcd, with the registry in the reference's tree of {@code config.appName()}. */
    public Builder etcd(EtcdRegistryConfig config) {
      this.etcd = requireNonNull(config, "config is null");
      this.appName = config.appName();
      return this;
    }

    /**
     * Demo storage: the state in {@code directory} and the registry published as YAML to {@code
     * registryFile} (imported from it on first start).
     */
    public Builder directory(Path directory, Path registryFile) {
      this.directory = requireNonNull(directory, "directory is null");
      this.registryFile = requireNonNull(registryFile, "registryFile is null");
      return this;
    }

    /** Any key-value store (the caller keeps ownership and closes it). */
    public Builder keyValueStore(KeyValueStore store) {
      this.keyValueStore = requireNonNull(store, "store is null");
      return this;
    }

    /** The app name of the registry tree {@code /config/<app>} for directory and custom storage (default {@code onfs}). */
    public Builder appName(String appName) {
      this.appName = requireNonNull(appName, "appName is null");
      return this;
    }

    /** A store connection stores may be registered on; stores on a connection with a schema manager get DDL. */
    public Builder storeConnection(StoreConnection connection) {
      requireNonNull(connection, "connection is null");
      connections.put(connection.confId(), connection);
      return this;
    }

    /** The key session tokens are hashed with: at least 32 bytes from configuration, never a constant. */
    public Builder sessionSecret(byte[] secret) {
      requireNonNull(secret, "secret is null");
      if (secret.length < 32) {
        throw new IllegalArgumentException("the session secret must have at least 32 bytes, has " + secret.length);
      }
      this.sessionSecret = secret.clone();
      return this;
    }

    public Builder sessionTtl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("session TTL must be positive: " + ttl);
      }
      this.sessionTtl = ttl;
      return this;
    }

    /** Lets an admin approve their own requests: for a demo or a team of one. Off by default. */
    public Builder singleAdminMode(boolean enabled) {
      this.singleAdminMode = enabled;
      return this;
    }

    /**
     * Demo mode: a random session secret when none is given (sessions end on restart) and {@link
     * #bootstrapDemoAdmin}. Does not imply single-admin mode.
     */
    public Builder demoMode(boolean enabled) {
      this.demoMode = enabled;
      return this;
    }

    public Builder tokenHasher(TokenHasher hasher) {
      this.tokenHasher = requireNonNull(hasher, "hasher is null");
      return this;
    }

    public Builder passwordHasher(PasswordHasher hasher) {
      this.passwordHasher = requireNonNull(hasher, "hasher is null");
      return this;
    }

    /** Failed logins allowed per user name and per remote address within {@code window} (default 5, 20, 15 min). */
    public Builder loginLimits(int perUser, int perAddress, Duration window) {
      this.loginsPerUser = perUser;
      this.loginsPerAddress = perAddress;
      this.loginWindow = requireNonNull(window, "window is null");
      return this;
    }

    /** The clock for request, session and audit times, and the ticker for the login window (tests). */
    public Builder clock(Clock clock, Ticker ticker) {
      this.clock = requireNonNull(clock, "clock is null");
      this.ticker = requireNonNull(ticker, "ticker is null");
      return this;
    }

    public ControlPlane build() {
      int storages = (etcd == null ? 0 : 1) + (directory == null ? 0 : 1) + (keyValueStore == null ? 0 : 1);
      if (storages != 1) {
        throw new IllegalStateException("configure exactly one storage: etcd(...), directory(...) or keyValueStore(...)");
      }
      byte[] secret = sessionSecret;
      if (secret == null) {
        if (!demoMode) {
          throw new IllegalStateException("sessionSecret(...) is required outside demo mode");
        }
        secret = new byte[32];
        RANDOM.nextBytes(secret);
      }
      KeyValueStore kv;
      boolean owns = true;
      if (etcd != null) {
        kv = EtcdKeyValueStore.connect(etcd);
      } else if (directory != null) {
        DirectoryKeyValueStore dir = DirectoryKeyValueStore.open(directory);
        try {
          RegistryFilePublisher.attach(dir, appName, requireNonNull(registryFile));
        } catch (RuntimeException e) {
          dir.close();
          throw e;
        }
        kv = dir;
      } else {
        kv = requireNonNull(keyValueStore);
        owns = false;
      }
      return new ControlPlane(this, new ControlPlaneStore(kv, appName), owns, secret);
    }
  }
}
