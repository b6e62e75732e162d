/**
 * Change requests: who asked for what, when, and what became of it. A {@link
 * dev.onfs.controlplane.request.ChangeRequest} carries a typed {@link
 * dev.onfs.controlplane.request.Payload} (one record per kind of change), its {@link
 * dev.onfs.controlplane.request.RequestStatus}, the reviewer and reason, and the registry revision
 * of each {@link dev.onfs.controlplane.request.Target} it changes as they were when it was
 * submitted, so an approval can tell that the registry moved underneath it.
 *
 * <p>Payload records hold the input as given; they are checked (with the offending field named)
 * when the request is planned, not when the record is built.
 */
@NullMarked
package dev.onfs.controlplane.request;

import org.jspecify.annotations.NullMarked;
