package dev.onfs.controlplane.storage;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.ControlPlaneException;
import dev.onfs.controlplane.ControlPlaneException.Reason;
import dev.onfs.controlplane.audit.AuditEntry;
import dev.onfs.controlplane.compat.SourceChange;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.request.Target;
import dev.onfs.controlplane.storage.KeyValueStore.Condition;
import dev.onfs.controlplane.storage.KeyValueStore.Entry;
import dev.onfs.controlplane.storage.KeyValueStore.Write;
import dev.onfs.controlplane.users.SessionRecord;
import dev.onfs.controlplane.users.User;
import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.registry.etcd.EtcdKeyTree;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's records over a {@link KeyValueStore}. Layout, with {@code P} =
 * {@code /onfs-control-plane/<app>}:
 *
 * <pre>
 * P/requests/&lt;id&gt;           a change request (JSON)
 * P/request-seq              the last request id allotted
 * P/users/&lt;name&gt;            a user (JSON, with the password hash)
 * P/bootstrapped             present once the first admin exists
 * P/sessions/&lt;keyed hash&gt;   a login session (JSON)
 * P/audit/&lt;millis&gt;-&lt;random&gt;-&lt;i&gt;  an audit entry (JSON); its sequence number is the key's create
 *                            revision (shared by the entries of one transaction, ordered by i)
 * P/fences/entities/&lt;e&gt;     the last request approved for entity e (serializes approvals per entity)
 * /config/&lt;app&gt;/...         the published registry, in the reference's tree
 * </pre>
 *
 * <p>Every change of a record is one transaction together with its audit entries, conditioned on the
 * record being unchanged since it was read. Audit keys are only ever created (conditioned on being
 * absent), never changed or deleted.
 */
public final class ControlPlaneStore implements AutoCloseable {
  private static final int ALLOT_ATTEMPTS = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyValueStore kv;
  private final String appName;
  private final String prefix;
  private final RegistryKeys layout;
  /** The last parsed tree: parsing a large registry costs far more than reading it (see {@link #registry()}). */
  private volatile @Nullable ParsedTree parsed;

  /**
   * A parsed registry and what identifies its tree: the number of keys and their newest modification
   * revision. Any put raises the newest revision and a delete alone lowers the count, so a tree with
   * the same pair holds the same keys and values.
   */
  private record ParsedTree(int keys, long newestRevision, long revision, RegistrySnapshot snapshot) {}

  public ControlPlaneStore(KeyValueStore kv, String appName) {
    this.kv = requireNonNull(kv, "kv is null");
    this.appName = requireNonNull(appName, "appName is null");
    this.prefix = "/onfs-control-plane/" + appName + "/";
    this.layout = new RegistryKeys(appName);
  }

  public String appName() {
    return appName;
  }

  // ---- registry ------------------------------------------------------------------------------

  /** Reads the published registry (and the approval fences) now. */
  public RegistryView registry() {
    // Fences first: every approval writes its fence and its keys in one commit, so a tree read after
    // the fences is at least as new as they are, and an approval that lands in between changes a fence
    // that publish() then finds changed. Read the other way round, a stale tree could pass with new fences.
    Map<String, Entry> fences = new HashMap<>(kv.range(prefix + "fences/").entries());
    KeyValueStore.Range tree = kv.range(layout.treePrefix());
    long newest = 0;
    for (Entry e : tree.entries().values()) {
      newest = Math.max(newest, e.modRevision());
    }
    ParsedTree last = parsed;
    if (last == null || last.keys() != tree.entries().size() || last.newestRevision() != newest) {
      Map<String, String> values = new TreeMap<>();
      tree.entries().forEach((k, e) -> values.put(k, e.value()));
      try {
        last = new ParsedTree(tree.entries().size(), newest, tree.revision(),
            EtcdKeyTree.read(appName, values, tree.revision()));
      } catch (OnfsException e) {
        throw new ControlPlaneException(Reason.INVALID_STATE, null, "the published registry under /config/" + appName
            + " is invalid, so nothing can be planned against it: " + e.getMessage(), e);
      }
      parsed = last;
    }
    return new RegistryView(last.snapshot(), tree.entries(), fences, layout);
  }

  /**
   * Publishes an approval in one transaction: the request becomes {@code approved} and the
   * publication's keys are written, only if the request is still at {@code expected}'s revision, no
   * written key changed since {@code view} was read, and no other approval touched the same entities.
   *
   * @return the transaction's revision, or -1 when a condition failed (nothing written)
   * @throws ControlPlaneException INVALID when the resulting registry would be invalid (nothing written)
   */
  public long publish(Versioned<ChangeRequest> expected, ChangeRequest approved, RegistryView view, Publication publication,
      List<AuditEntry> audit) {
    SortedMap<String, Entry> current = view.keys();
    Map<String, String> wanted = new LinkedHashMap<>();
    Set<String> fencedEntities = new LinkedHashSet<>();
    RegistrySnapshot after = publication.after();
    for (Target target : publication.targets()) {
      switch (target.type()) {
        case STORE -> wanted.putAll(EtcdKeyTree.storeKeys(appName, required(after.store(target.name()), target)));
        case READER -> wanted.putAll(EtcdKeyTree.securityKeys(appName, RegistrySnapshot.builder()
            .reader(required(after.reader(target.name()), target)).build()));
        case WRITER -> wanted.putAll(EtcdKeyTree.securityKeys(appName, RegistrySnapshot.builder()
            .writer(required(after.writer(target.name()), target)).build()));
        case ENTITY -> {
          wanted.putAll(EtcdKeyTree.entityKeys(appName, required(after.entity(target.entity()), target)));
          fencedEntities.add(target.entity());
        }
        case FEATURE_GROUP -> {
          wanted.putAll(EtcdKeyTree.featureGroupKeys(appName, target.entity(),
              required(after.featureGroup(target.entity(), target.name()), target)));
          fencedEntities.add(target.entity());
        }
      }
    }
    Map<String, @Nullable String> changes = new LinkedHashMap<>();
    wanted.forEach((key, value) -> {
      Entry now = current.get(key);
      if (now == null || !now.value().equals(value)) {
        changes.put(key, value);
      }
    });
    for (SourceChange source : publication.sourceChanges()) {
      String key = layout.sourceKey(source.key());
      Entry now = current.get(key);
      if (source.value() == null ? now != null : now == null || !now.value().equals(source.value())) {
        changes.put(key, source.value());
      }
    }
    // The tree as it will be, validated whole before anything is written.
    Map<String, String> merged = new TreeMap<>();
    current.forEach((k, e) -> merged.put(k, e.value()));
    changes.forEach((k, v) -> {
      if (v == null) {
        merged.remove(k);
      } else {
        merged.put(k, v);
      }
    });
    try {
      EtcdKeyTree.read(appName, merged, 0);
    } catch (OnfsException e) {
      throw new ControlPlaneException(Reason.INVALID, null, "the approval would publish an invalid registry: "
          + e.getMessage(), e);
    }
    List<Condition> conditions = new ArrayList<>();
    List<Write> writes = new ArrayList<>();
    conditions.add(new Condition(requestKey(approved.id()), expected.modRevision()));
    writes.add(new Write.Put(requestKey(approved.id()), Records.write(approved)));
    changes.forEach((key, value) -> {
      Entry now = current.get(key);
      conditions.add(new Condition(key, now == null ? 0 : now.modRevision()));
      writes.add(value == null ? new Write.Delete(key) : new Write.Put(key, value));
    });
    for (String entity : fencedEntities) {
      String key = prefix + "fences/entities/" + entity;
      Entry fence = view.fences().get(key);
      conditions.add(new Condition(key, fence == null ? 0 : fence.modRevision()));
      writes.add(new Write.Put(key, Long.toString(approved.id())));
    }
    addAudit(audit, conditions, writes);
    return kv.commit(conditions, writes);
  }

  private static <T> T required(@Nullable T value, Target target) {
    if (value == null) {
      throw new IllegalArgumentException("publication lacks " + target);
    }
    return value;
  }

  // ---- requests ------------------------------------------------------------------------------

  /** Stores a new pending request under the next id, with its audit entry (made from the id). */
  public ChangeRequest submit(ChangeRequest request, LongFunction<AuditEntry> audit) {
    String seqKey = prefix + "request-seq";
    for (int attempt = 0; attempt < ALLOT_ATTEMPTS; attempt++) {
      Entry seq = kv.get(seqKey);
      long id = seq == null ? 1 : Long.parseLong(seq.value()) + 1;
      ChangeRequest stored = request.withId(id);
      List<Condition> conditions = new ArrayList<>();
      List<Write> writes = new ArrayList<>();
      conditions.add(new Condition(seqKey, seq == null ? 0 : seq.modRevision()));
      conditions.add(Condition.absent(requestKey(id)));
      writes.add(new Write.Put(seqKey, Long.toString(id)));
      writes.add(new Write.Put(requestKey(id), Records.write(stored)));
      addAudit(List.of(audit.apply(id)), conditions, writes);
      if (kv.commit(conditions, writes) > 0) {
        return stored;
      }
    }
    throw new ControlPlaneException(Reason.CONFLICT, null, "could not allot a request id: too many concurrent submissions");
  }

  public @Nullable Versioned<ChangeRequest> request(long id) {
    Entry entry = kv.get(requestKey(id));
    return entry == null ? null : new Versioned<>(Records.readRequest(entry.value()), entry.modRevision());
  }

  /** Every request, by id. */
  public List<ChangeRequest> requests() {
    List<ChangeRequest> result = new ArrayList<>();
    for (Entry entry : kv.range(prefix + "requests/").entries().values()) {
      result.add(Records.readRequest(entry.value()));
    }
    result.sort(Comparator.comparingLong(ChangeRequest::id));
    return result;
  }

  /**
   * Replaces a request (reject, withdraw) if it is still at {@code expected}'s revision.
   *
   * @return false when it changed meanwhile (nothing written)
   */
  public boolean decide(Versioned<ChangeRequest> expected, ChangeRequest decided, AuditEntry audit) {
    List<Condition> conditions = new ArrayList<>();
    List<Write> writes = new ArrayList<>();
    conditions.add(new Condition(requestKey(decided.id()), expected.modRevision()));
    writes.add(new Write.Put(requestKey(decided.id()), Records.write(decided)));
    addAudit(List.of(audit), conditions, writes);
    return kv.commit(conditions, writes) > 0;
  }

  private String requestKey(long id) {
    return prefix + "requests/" + id;
  }

  // ---- users ---------------------------------------------------------------------------------

  public @Nullable Versioned<User> user(String name) {
    Entry entry = kv.get(userKey(name));
    return entry == null ? null : new Versioned<>(Records.readUser(entry.value()), entry.modRevision());
  }

  public List<User> users() {
    List<User> result = new ArrayList<>();
    for (Entry entry : kv.range(prefix + "users/").entries().values()) {
      result.add(Records.readUser(entry.value()));
    }
    return result;
  }

  /** Creates a user unless the name is taken; false when it is. */
  public boolean createUser(User user, AuditEntry audit) {
    List<Condition> conditions = new ArrayList<>(List.of(Condition.absent(userKey(user.name()))));
    List<Write> writes = new ArrayList<>(List.of(new Write.Put(userKey(user.name()), Records.write(user))));
    addAudit(List.of(audit), conditions, writes);
    return kv.commit(conditions, writes) > 0;
  }

  /** Creates the first admin; false when the control plane was bootstrapped before. */
  public boolean bootstrapAdmin(User admin, AuditEntry audit) {
    String marker = prefix + "bootstrapped";
    List<Condition> conditions = new ArrayList<>(List.of(Condition.absent(marker), Condition.absent(userKey(admin.name()))));
    List<Write> writes = new ArrayList<>(List.of(new Write.Put(marker, admin.name()),
        new Write.Put(userKey(admin.name()), Records.write(admin))));
    addAudit(List.of(audit), conditions, writes);
    return kv.commit(conditions, writes) > 0;
  }

  /** Whether a first admin was created. */
  public boolean isBootstrapped() {
    return kv.get(prefix + "bootstrapped") != null;
  }

  /** Replaces a user if unchanged since read; false when it changed meanwhile. */
  public boolean updateUser(Versioned<User> expected, User updated, AuditEntry audit) {
    List<Condition> conditions = new ArrayList<>(List.of(new Condition(userKey(updated.name()), expected.modRevision())));
    List<Write> writes = new ArrayList<>(List.of(new Write.Put(userKey(updated.name()), Records.write(updated))));
    addAudit(List.of(audit), conditions, writes);
    return kv.commit(conditions, writes) > 0;
  }

  private String userKey(String name) {
    return prefix + "users/" + name;
  }

  // ---- sessions ------------------------------------------------------------------------------

  /** Stores a session with the audit entry of its login. */
  public void putSession(String id, SessionRecord session, AuditEntry audit) {
    List<Condition> conditions = new ArrayList<>(List.of(Condition.absent(sessionKey(id))));
    List<Write> writes = new ArrayList<>(List.of(new Write.Put(sessionKey(id), Records.write(session))));
    addAudit(List.of(audit), conditions, writes);
    if (kv.commit(conditions, writes) < 0) {
      throw new ControlPlaneException(Reason.CONFLICT, null, "session id collision; log in again");
    }
  }

  public @Nullable SessionRecord session(String id) {
    Entry entry = kv.get(sessionKey(id));
    return entry == null ? null : Records.readSession(entry.value());
  }

  /** Deletes a session, with an audit entry when given (logout). */
  public void deleteSession(String id, @Nullable AuditEntry audit) {
    List<Condition> conditions = new ArrayList<>();
    List<Write> writes = new ArrayList<>(List.of(new Write.Delete(sessionKey(id))));
    if (audit != null) {
      addAudit(List.of(audit), conditions, writes);
    }
    kv.commit(conditions, writes);
  }

  /** Deletes sessions that expired before {@code now}; returns how many. */
  public int deleteExpiredSessions(Instant now) {
    int deleted = 0;
    for (Entry entry : kv.range(prefix + "sessions/").entries().values()) {
      SessionRecord session = Records.readSession(entry.value());
      if (session.expiresAt().isBefore(now)
          && kv.commit(List.of(new Condition(entry.key(), entry.modRevision())), List.of(new Write.Delete(entry.key()))) > 0) {
        deleted++;
      }
    }
    return deleted;
  }

  private String sessionKey(String id) {
    return prefix + "sessions/" + id;
  }

  // ---- audit ---------------------------------------------------------------------------------

  /** Appends one entry on its own. */
  public void append(AuditEntry entry) {
    List<Condition> conditions = new ArrayList<>();
    List<Write> writes = new ArrayList<>();
    addAudit(List.of(entry), conditions, writes);
    if (kv.commit(conditions, writes) < 0) {
      throw new ControlPlaneException(Reason.CONFLICT, null, "audit key collision");
    }
  }

  /** Entries with a sequence number above {@code afterSeq}, oldest first, at most {@code limit}. */
  public List<AuditEntry> audit(long afterSeq, int limit) {
    List<AuditEntry> result = new ArrayList<>();
    for (Entry entry : kv.range(prefix + "audit/").entries().values()) {
      if (entry.createRevision() > afterSeq) {
        result.add(Records.readAudit(entry.value(), entry.createRevision()));
      }
    }
    // Keys within one transaction share the revision; their index suffix keeps their order.
    result.sort(Comparator.comparingLong(AuditEntry::seq));
    return result.size() > limit ? List.copyOf(result.subList(0, limit)) : result;
  }

  private void addAudit(List<AuditEntry> entries, List<Condition> conditions, List<Write> writes) {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    for (int i = 0; i < entries.size(); i++) {
      AuditEntry entry = entries.get(i);
      // Time first for readable listings; the random part keeps concurrent writers apart; the index
      // orders the entries of one transaction (which share a sequence number).
      String key = prefix + "audit/" + String.format("%013d", entry.at().toEpochMilli()) + "-"
          + HexFormat.of().formatHex(random) + "-" + String.format("%02d", i);
      conditions.add(Condition.absent(key));
      writes.add(new Write.Put(key, Records.write(entry)));
    }
  }

  @Override
  public void close() {
    kv.close();
  }
}
