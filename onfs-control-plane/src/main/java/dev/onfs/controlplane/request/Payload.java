package dev.onfs.controlplane.request;

import java.util.List;

/**
 * What a request asks for. One record per kind; each names the registry parts it changes.
 */
public sealed interface Payload
    permits CreateEntity, EditEntity, CreateFeatureGroup, EditFeatureGroup, AddFeatures, EditFeatures,
        DeleteFeatures, RegisterStore, RegisterJob, RegisterClient {

  RequestKind kind();

  /**
   * The registry parts this request changes whose revision is recorded at submit time. A new store's
   * id is only allotted on approval, so a store registration has none.
   */
  List<Target> targets();
}
