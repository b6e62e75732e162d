package dev.onfs.controlplane.storage;

import dev.onfs.controlplane.request.Target;

/**
 * Which keys of the reference's tree ({@code /config/<app>/...}) make up each {@link Target}, and the
 * control plane's own fences.
 */
final class RegistryKeys {
  private final String base;

  RegistryKeys(String appName) {
    this.base = "/config/" + appName;
  }

  /** {@code /config/<app>/}: the registry tree. */
  String treePrefix() {
    return base + "/";
  }

  String sourcePrefix() {
    return base + "/source/";
  }

  String sourceKey(String key) {
    return sourcePrefix() + key;
  }

  boolean belongsTo(String key, Target target) {
    return switch (target.type()) {
      case STORE -> key.equals(base + "/storage/stores/" + target.name());
      case READER -> key.equals(base + "/security/reader/" + target.name());
      case WRITER -> key.equals(base + "/security/writer/" + target.name());
      case ENTITY -> {
        String prefix = base + "/entities/" + target.entity() + "/";
        yield key.startsWith(prefix) && !key.startsWith(prefix + "feature-groups/");
      }
      case FEATURE_GROUP -> key.startsWith(base + "/entities/" + target.entity() + "/feature-groups/" + target.name() + "/");
    };
  }
}
