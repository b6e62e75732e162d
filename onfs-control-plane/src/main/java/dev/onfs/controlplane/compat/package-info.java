/**
 * Planning a change request against the published registry: validation of every input field, the
 * compatibility class of each change (additive, compatible, breaking), and the registry that
 * approval would publish, including new versions, feature-group ids, store ids and storage columns
 * computed as the reference's control plane computes them. Published versions are immutable:
 * a change that would alter one is breaking and refused, or becomes a new version where that is
 * what the change means.
 */
@NullMarked
package dev.onfs.controlplane.compat;

import org.jspecify.annotations.NullMarked;
