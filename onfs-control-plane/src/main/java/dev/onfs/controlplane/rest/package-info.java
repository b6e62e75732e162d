/**
 * The control plane's REST API: {@link dev.onfs.controlplane.rest.ControlPlaneApi} maps HTTP requests
 * ({@link dev.onfs.controlplane.rest.ApiRequest}) to the {@link dev.onfs.controlplane.ControlPlane}
 * facade and answers JSON or {@code application/problem+json}. It knows no HTTP server: the server
 * that hosts it passes requests under {@code /api/} in, so this module never depends on the server.
 */
@NullMarked
package dev.onfs.controlplane.rest;

import org.jspecify.annotations.NullMarked;
