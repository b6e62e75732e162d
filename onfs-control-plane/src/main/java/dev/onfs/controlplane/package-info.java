/**
 * The control plane: governs changes to the registry. Editors submit change requests (new entities,
 * feature groups, features, stores, writer jobs and reader clients); each is checked against the
 * published registry and classified as additive, compatible or breaking (breaking changes to a
 * published version are refused); an admin other than the requester approves it, and the approval
 * publishes the change in one atomic transaction together with the request's new status and an audit
 * entry. {@link dev.onfs.controlplane.ControlPlane} is the facade; every operation checks the
 * caller's role.
 */
@NullMarked
package dev.onfs.controlplane;

import org.jspecify.annotations.NullMarked;
