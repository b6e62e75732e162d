package dev.onfs.core.registry;

import static java.util.Objects.requireNonNull;

import dev.onfs.core.registry.internal.RegistryChecks;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a caller may read or write: the entities, and the feature groups as {@code entity:group}.
 * A null list places no limit of its kind, so a caller registered without scopes (every caller of a
 * reference registry) may use everything. A feature group is allowed when its entity passes the
 * entity list and the group passes the feature-group list.
 *
 * @param entities entity labels, or null for every entity
 * @param featureGroups {@code entity:group} pairs, or null for every feature group
 */
public record CallerScopes(@Nullable Set<String> entities, @Nullable Set<String> featureGroups) {
  /** No limits. */
  public static final CallerScopes ALL = new CallerScopes(null, null);

  /** The scope name for {@link #entities()}, as it appears in the registry and in denials. */
  public static final String ENTITIES = "entities";
  /** The scope name for {@link #featureGroups()}, as it appears in the registry and in denials. */
  public static final String FEATURE_GROUPS = "feature-groups";

  public CallerScopes {
    entities = entities == null ? null : sorted(entities, "scopes.entities", false);
    featureGroups = featureGroups == null ? null : sorted(featureGroups, "scopes.feature-groups", true);
  }

  private static Set<String> sorted(Collection<String> values, String what, boolean pairs) {
    Set<String> out = new TreeSet<>();
    for (String value : values) {
      requireNonNull(value, what + " holds null");
      if (pairs) {
        int colon = value.indexOf(':');
        if (colon < 0 || value.indexOf(':', colon + 1) >= 0) {
          throw RegistryChecks.invalid(what + " entry '" + value + "' must be <entity>:<feature group>");
        }
        RegistryChecks.label(value.substring(0, colon), what + " entity");
        RegistryChecks.label(value.substring(colon + 1), what + " feature group");
      } else {
        RegistryChecks.label(value, what + " entry");
      }
      out.add(value);
    }
    return Collections.unmodifiableSet(out);
  }

  /** Whether there are no limits at all. */
  public boolean isAll() {
    return entities == null && featureGroups == null;
  }

  /**
   * The scope that keeps this caller from {@code group} of {@code entity}: {@link #ENTITIES}, {@link
   * #FEATURE_GROUPS}, or null when it is allowed.
   */
  public @Nullable String denies(String entity, String group) {
    if (entities != null && !entities.contains(entity)) {
      return ENTITIES;
    }
    if (featureGroups != null && !featureGroups.contains(entity + ":" + group)) {
      return FEATURE_GROUPS;
    }
    return null;
  }

  /** The scope that keeps this caller from {@code entity} as a whole, or null. */
  public @Nullable String deniesEntity(String entity) {
    return entities != null && !entities.contains(entity) ? ENTITIES : null;
  }
}
