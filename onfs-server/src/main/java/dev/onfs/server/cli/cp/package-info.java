/** {@code onfs cp}: the control plane's REST API from the command line. */
@NullMarked
package dev.onfs.server.cli.cp;

import org.jspecify.annotations.NullMarked;
