/**
 * Configuration options declared once: {@link dev.onfs.core.config.Option} names an option, its
 * type, default, meaning and whether it holds a secret; {@link dev.onfs.core.config.OptionSet}
 * resolves a command's or adapter's options from layered sources (file, environment, flags), fails
 * naming the option and where its value came from, masks secrets, and is what the option reference
 * in the docs is generated from. JDK only, so that every adapter can declare its settings here.
 */
@NullMarked
package dev.onfs.core.config;

import org.jspecify.annotations.NullMarked;
