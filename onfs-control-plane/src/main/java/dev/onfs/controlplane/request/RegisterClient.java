package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Registers a reader (a serving client). Its token is generated on approval and shown once.
 *
 * @param clientId the caller id it presents
 */
public record RegisterClient(String clientId) implements Payload {
  @Override
  public RequestKind kind() {
    return RequestKind.REGISTER_CLIENT;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.reader(clientId));
  }
}
