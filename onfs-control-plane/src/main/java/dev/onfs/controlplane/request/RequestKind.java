package dev.onfs.controlplane.request;

/** The kinds of change request, one per {@link Payload} record. */
public enum RequestKind {
  CREATE_ENTITY("create-entity", CreateEntity.class),
  EDIT_ENTITY("edit-entity", EditEntity.class),
  CREATE_FEATURE_GROUP("create-feature-group", CreateFeatureGroup.class),
  EDIT_FEATURE_GROUP("edit-feature-group", EditFeatureGroup.class),
  ADD_FEATURES("add-features", AddFeatures.class),
  EDIT_FEATURES("edit-features", EditFeatures.class),
  DELETE_FEATURES("delete-features", DeleteFeatures.class),
  REGISTER_STORE("register-store", RegisterStore.class),
  REGISTER_JOB("register-job", RegisterJob.class),
  REGISTER_CLIENT("register-client", RegisterClient.class);

  private final String text;
  private final Class<? extends Payload> payloadType;

  RequestKind(String text, Class<? extends Payload> payloadType) {
    this.text = text;
    this.payloadType = payloadType;
  }

  /** The stored name, e.g. {@code add-features}. */
  public String text() {
    return text;
  }

  /** The payload record of this kind. */
  public Class<? extends Payload> payloadType() {
    return payloadType;
  }

  /** The kind with this stored name. */
  public static RequestKind fromText(String text) {
    for (RequestKind kind : values()) {
      if (kind.text.equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown request kind '" + text + "'");
  }
}
