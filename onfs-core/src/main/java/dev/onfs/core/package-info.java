/** Entry points of the embeddable feature store and its error model. */
@NullMarked
package dev.onfs.core;

import org.jspecify.annotations.NullMarked;
