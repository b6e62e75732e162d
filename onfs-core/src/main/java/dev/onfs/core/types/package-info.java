/** The feature data types of the PSDB block format and exact conversions between their encodings. */
@NullMarked
package dev.onfs.core.types;

import org.jspecify.annotations.NullMarked;
