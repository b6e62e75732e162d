package dev.onfs.core.registry.file;

/** Parses one registry file into a tree of {@code Map<String, ?>}, {@code List<?>}, strings, numbers, booleans and nulls. */
@FunctionalInterface
public interface DocumentParser {
  /**
   * @param fileName the file's name, to choose a syntax by extension and to name in errors
   * @return the document root, normally a map; null for an empty file
   * @throws RuntimeException with a message naming the position when the text is malformed
   */
  Object parse(String fileName, byte[] content);
}
