package dev.onfs.controlplane.request;

/** Where a request is in its life: pending until approved, rejected or withdrawn, then final. */
public enum RequestStatus {
  PENDING,
  APPROVED,
  REJECTED,
  WITHDRAWN;

  /** True for every status but {@link #PENDING}: nothing changes a final request again. */
  public boolean isFinal() {
    return this != PENDING;
  }
}
