/** OnFS embedded in a program, with the in-memory store. */
@NullMarked
package dev.onfs.examples.embedded;

import org.jspecify.annotations.NullMarked;
