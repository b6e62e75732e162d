package dev.onfs.controlplane.approval;

import static java.util.Objects.requireNonNull;

import dev.onfs.controlplane.compat.Plan;
import dev.onfs.controlplane.request.ChangeRequest;
import dev.onfs.controlplane.tokens.IssuedToken;
import org.jspecify.annotations.Nullable;

/**
 * What an approval did.
 *
 * @param request the request, now approved
 * @param plan what was published
 * @param token the new reader or writer token, shown this once (null for other requests)
 * @param revision the store revision of the publishing transaction
 */
public record ApprovalResult(ChangeRequest request, Plan plan, @Nullable IssuedToken token, long revision) {
  public ApprovalResult {
    requireNonNull(request, "request is null");
    requireNonNull(plan, "plan is null");
  }
}
