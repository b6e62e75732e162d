package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.ErrorCode;
import dev.onfs.core.OnfsException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class GrpcStatusesTest {
  @Test
  void aQuarantinedFeatureGroupIsAFailedPreconditionBothWays() {
    OnfsException quarantined = new OnfsException(ErrorCode.QUARANTINED_FEATURE_GROUP,
        "feature group 'prices' of entity 'user' is quarantined: its registry definition is invalid: ...");
    Status status = GrpcStatuses.toStatus(quarantined);
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription()).isEqualTo(quarantined.getMessage());

    OnfsException client = GrpcStatuses.toException(status.asRuntimeException());
    assertThat(client.code()).isEqualTo(ErrorCode.QUARANTINED_FEATURE_GROUP);
    assertThat(client.isTransient()).as("retrying does not help until the registry is fixed").isFalse();
    assertThat(client).hasMessage("FAILED_PRECONDITION: " + quarantined.getMessage());
  }

  @Test
  void otherCodesKeepTheirStatus() {
    assertThat(GrpcStatuses.codeOf(ErrorCode.UNKNOWN_FEATURE_GROUP).getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(GrpcStatuses.codeOf(ErrorCode.STORE_TIMEOUT).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(GrpcStatuses.codeOf(ErrorCode.REGISTRY_UNAVAILABLE).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void everyCodeCrossesTheWireUnchangedInItsTrailer() {
    for (ErrorCode code : ErrorCode.values()) {
      OnfsException server = new OnfsException(code, "something about 'x'");
      StatusRuntimeException wire = GrpcStatuses.toStatusException(server);
      assertThat(wire.getStatus().getCode()).isEqualTo(GrpcStatuses.codeOf(code).getCode());
      OnfsException client = GrpcStatuses.toException(wire);
      assertThat(client.code()).as("%s", code).isEqualTo(code);
      assertThat(client).hasMessage(wire.getStatus().getCode() + ": something about 'x'");
    }
  }

  @Test
  void withoutATrailerOrWithOneThatDoesNotFitTheStatusTheCodeIsInferred() {
    assertThat(GrpcStatuses.toException(Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException()).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    Metadata trailers = new Metadata();
    trailers.put(GrpcStatuses.ERROR_CODE, ErrorCode.STORE_TIMEOUT.name());
    assertThat(GrpcStatuses.toException(Status.INVALID_ARGUMENT.withDescription("bad").asRuntimeException(trailers))
        .code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    trailers = new Metadata();
    trailers.put(GrpcStatuses.ERROR_CODE, "A_CODE_FROM_A_NEWER_SERVER");
    assertThat(GrpcStatuses.toException(Status.NOT_FOUND.withDescription("feature group 'g'").asRuntimeException(trailers))
        .code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE_GROUP);
  }
}
