package dev.onfs.controlplane.request;

import static java.util.Objects.requireNonNull;

/**
 * A part of the registry a request changes: a store, a reader or writer, an entity's own settings
 * (label, keys, caches), or one feature group. Its revision is the newest modification among the
 * registry keys it consists of (0 when it does not exist).
 *
 * @param type what kind of part
 * @param entity the entity label for {@link Type#ENTITY} and {@link Type#FEATURE_GROUP}, else empty
 * @param name the store id, reader or writer id, or feature-group label; empty for entities
 */
public record Target(Type type, String entity, String name) {
  /** The kinds of registry parts. */
  public enum Type {
    STORE("store"),
    READER("reader"),
    WRITER("writer"),
    ENTITY("entity"),
    FEATURE_GROUP("feature-group");

    private final String text;

    Type(String text) {
      this.text = text;
    }
  }

  public Target {
    requireNonNull(type, "type is null");
    requireNonNull(entity, "entity is null");
    requireNonNull(name, "name is null");
  }

  public static Target store(String id) {
    return new Target(Type.STORE, "", id);
  }

  public static Target reader(String id) {
    return new Target(Type.READER, "", id);
  }

  public static Target writer(String id) {
    return new Target(Type.WRITER, "", id);
  }

  public static Target entity(String label) {
    return new Target(Type.ENTITY, label, "");
  }

  public static Target featureGroup(String entity, String group) {
    return new Target(Type.FEATURE_GROUP, entity, group);
  }

  /** {@code store:1}, {@code entity:user}, {@code feature-group:user/user_stats}, ... */
  @Override
  public String toString() {
    return switch (type) {
      case ENTITY -> type.text + ":" + entity;
      case FEATURE_GROUP -> type.text + ":" + entity + "/" + name;
      default -> type.text + ":" + name;
    };
  }

  /** Parses {@link #toString()}'s form. */
  public static Target parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not a target: '" + text + "'");
    }
    String kind = text.substring(0, colon);
    String rest = text.substring(colon + 1);
    for (Type type : Type.values()) {
      if (type.text.equals(kind)) {
        return switch (type) {
          case ENTITY -> entity(rest);
          case FEATURE_GROUP -> {
            int slash = rest.indexOf('/');
            if (slash < 0) {
              throw new IllegalArgumentException("not a feature-group target: '" + text + "'");
            }
            yield featureGroup(rest.substring(0, slash), rest.substring(slash + 1));
          }
          default -> new Target(type, "", rest);
        };
      }
    }
    throw new IllegalArgumentException("not a target: '" + text + "'");
  }
}
