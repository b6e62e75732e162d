package dev.onfs.console;

import java.util.List;
import java.util.Map;

/**
 * Reads one key's stored features of a feature group through the serving path, for the console's
 * sample read. The server implements it with its feature store; the console calls it only after the
 * control plane allowed the signed-in user the read.
 */
@FunctionalInterface
public interface SampleReads {
  /**
   * The active features of {@code group} for the key, as text in the reference's rendering, by feature
   * label in feature order; a key with nothing stored reads as the defaults.
   *
   * @param keyValues the entity's key values in key order
   * @throws dev.onfs.core.OnfsException for a key the entity does not accept or a store that fails
   */
  Map<String, String> read(String entity, String group, List<String> keyValues);
}
