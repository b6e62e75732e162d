package dev.onfs.core.registry.quarantine;

import dev.onfs.core.OnfsException;
import dev.onfs.core.registry.Entity;
import dev.onfs.core.registry.FeatureGroup;
import dev.onfs.core.registry.RegistrySnapshot;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quarantine across registry changes, shared by the file and etcd registries: which definitions
 * keep serving when their source turns invalid, and what to log when the quarantine changes.
 */
public final class Quarantines {
  /** Appended to the reason of a quarantined feature group that keeps its last good definition. */
  public static final String SERVING_LAST_GOOD = " (its last good definition keeps serving)";

  private Quarantines() {}

  /**
   * The snapshot to serve after a change: {@code next} as read from the source, except that a
   * quarantined feature group (or entity) that {@code previous} served keeps its definition from
   * {@code previous}. A change written one key at a time (as the reference's control plane writes)
   * passes through invalid states; this keeps the group serving through them instead of dropping it.
   * A group that never had a good definition stays out.
   */
  public static RegistrySnapshot keepLastGood(RegistrySnapshot next, RegistrySnapshot previous) {
    if ((next.quarantined().isEmpty() && next.quarantinedEntities().isEmpty()) || previous.entities().isEmpty()) {
      return next;
    }
    RegistrySnapshot.Builder result = next.toBuilder();
    boolean changed = false;
    for (Entity before : previous.entities().values()) {
      String label = before.label();
      Entity now = next.entity(label);
      String entityReason = next.quarantineReason(label);
      if (now == null && entityReason != null) {
        // The entity itself broke: keep all of it as it was.
        result.entity(before);
        result.quarantineEntity(label, List.of(), entityReason + SERVING_LAST_GOOD);
        for (FeatureGroup group : before.featureGroups().values()) {
          String reason = next.quarantineReason(label, group.label());
          if (reason != null) {
            result.quarantineFeatureGroup(label, group.label(), reason + SERVING_LAST_GOOD);
          }
        }
        changed = true;
        continue;
      }
      if (now == null) {
        continue;
      }
      Entity.Builder kept = null;
      for (FeatureGroup group : before.featureGroups().values()) {
        String reason = next.quarantineReason(label, group.label());
        if (reason == null || now.featureGroup(group.label()) != null) {
          continue;
        }
        Entity.Builder candidate = (kept == null ? now.toBuilder() : kept).featureGroup(group);
        try {
          candidate.build();
        } catch (OnfsException e) {
          // Its id is now taken by another group: it cannot come back, leave it out.
          candidate.removeFeatureGroup(group.label());
          continue;
        }
        kept = candidate;
        result.quarantineFeatureGroup(label, group.label(), reason + SERVING_LAST_GOOD);
      }
      if (kept != null) {
        result.entity(kept.build());
        changed = true;
      }
    }
    // A kept group is checked against the new stores again: a group whose store is gone stays out.
    return changed ? result.buildQuarantining() : next;
  }

  /**
   * Feature groups among {@code groups} that share their id with another, each with a reason naming
   * both; every group of a clash is listed, since the registry cannot tell which one is meant.
   */
  public static Map<String, String> idClashes(String entityLabel, Collection<FeatureGroup> groups) {
    Map<Integer, FeatureGroup> first = new TreeMap<>();
    Map<String, String> clashes = new LinkedHashMap<>();
    for (FeatureGroup group : groups) {
      FeatureGroup other = first.putIfAbsent(group.id(), group);
      if (other != null) {
        String reason = "entity '" + entityLabel + "' feature groups '" + other.label() + "' and '" + group.label()
            + "' have the same id " + group.id() + " (ids must be unique per entity)";
        clashes.putIfAbsent(other.label(), reason);
        clashes.put(group.label(), reason);
      }
    }
    return clashes;
  }

  /**
   * Logs how the quarantine changed from {@code previous} to {@code next}: each newly quarantined
   * feature group or entity, or one whose reason changed, once as a warning with the reason; each one
   * no longer quarantined once as information.
   *
   * @param source names the registry in the messages, e.g. the file path or the etcd prefix
   */
  public static void logChanges(System.Logger log, String source, RegistrySnapshot previous, RegistrySnapshot next) {
    logChanges(log, source, "entity ", previous.quarantinedEntities(), next.quarantinedEntities());
    logChanges(log, source, "feature group ", previous.quarantined(), next.quarantined());
  }

  private static void logChanges(System.Logger log, String source, String kind, Map<String, String> before,
      Map<String, String> after) {
    if (before.equals(after)) {
      return;
    }
    for (Map.Entry<String, String> e : after.entrySet()) {
      if (!e.getValue().equals(before.get(e.getKey()))) {
        log.log(System.Logger.Level.WARNING, "registry " + source + ": " + kind + e.getKey() + " quarantined: "
            + e.getValue());
      }
    }
    for (String name : before.keySet()) {
      if (!after.containsKey(name)) {
        log.log(System.Logger.Level.INFO, "registry " + source + ": " + kind + name + " is no longer quarantined");
      }
    }
  }
}
