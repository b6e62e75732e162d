/** Subcommands of {@code onfs}: {@code serve}, and {@code get} / {@code put} against a running server. */
@NullMarked
package dev.onfs.server.cli;

import org.jspecify.annotations.NullMarked;
