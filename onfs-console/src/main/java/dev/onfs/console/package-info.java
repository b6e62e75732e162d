/** The web console: its HTTP handler, pages and the views the templates render. */
@NullMarked
package dev.onfs.console;

import org.jspecify.annotations.NullMarked;
