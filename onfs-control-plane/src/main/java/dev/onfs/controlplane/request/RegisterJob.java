package dev.onfs.controlplane.request;

import java.util.List;

/**
 * Registers a writer (an ingestion job). Its token is generated on approval and shown once.
 *
 * @param jobId the job id
 */
public record RegisterJob(String jobId) implements Payload {
  @Override
  public RequestKind kind() {
    return RequestKind.REGISTER_JOB;
  }

  @Override
  public List<Target> targets() {
    return List.of(Target.writer(jobId));
  }
}
