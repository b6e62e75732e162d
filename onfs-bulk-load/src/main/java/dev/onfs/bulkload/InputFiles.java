package dev.onfs.bulkload;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Expands the command line's inputs (files, directories, globs) into the files to load, in name order. */
final class InputFiles {
  enum Format { PARQUET, CSV }

  record InputFile(Path path, Format format, long size) {}

  private InputFiles() {}

  /**
   * Files named by {@code inputs}: a file as is, a directory's {@code .parquet} and {@code .csv}
   * files (recursively, hidden and {@code _}-prefixed ones skipped, as Spark writes them), or a glob
   * such as {@code data/part-*.parquet}.
   *
   * @param format null to tell by the file extension
   * @throws IllegalArgumentException naming an input that matches no file
   */
  static List<InputFile> expand(List<String> inputs, @Nullable Format format) throws IOException {
    List<InputFile> files = new ArrayList<>();
    for (String input : inputs) {
      List<Path> matched = new ArrayList<>();
      Path path = Path.of(input);
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile).filter(p -> !hidden(path, p)).filter(p -> format != null || detect(p) != null)
              .sorted().forEach(matched::add);
        }
      } else if (Files.isRegularFile(path)) {
        matched.add(path);
      } else if (input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{")) {
        matched.addAll(glob(input));
      } else {
        throw new IllegalArgumentException("input '" + input + "': no such file or directory");
      }
      if (matched.isEmpty()) {
        throw new IllegalArgumentException("input '" + input + "' matches no " + (format == null ? ".parquet or .csv " : "")
            + "file");
      }
      for (Path p : matched) {
        Format f = format != null ? format : detect(p);
        if (f == null) {
          throw new IllegalArgumentException("cannot tell the format of " + p + " (not .parquet or .csv): use --format");
        }
        files.add(new InputFile(p, f, Files.size(p)));
      }
    }
    return files;
  }

  private static List<Path> glob(String pattern) throws IOException {
    // The directory part up to the first wildcard is walked; the whole pattern is matched.
    int wildcard = firstWildcard(pattern);
    int slash = pattern.lastIndexOf('/', wildcard);
    Path base = slash < 0 ? Path.of("") : Path.of(pattern.substring(0, slash + 1));
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(base.toString().isEmpty() ? Path.of(".") : base)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(base.toString().isEmpty() ? Path.of(".") : base)) {
      walk.filter(Files::isRegularFile)
          .map(p -> base.toString().isEmpty() ? Path.of(".").relativize(p) : p)
          .filter(matcher::matches)
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  private static int firstWildcard(String pattern) {
    int min = pattern.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int i = pattern.indexOf(c);
      if (i >= 0) {
        min = Math.min(min, i);
      }
    }
    return min;
  }

  private static boolean hidden(Path root, Path file) {
    for (Path part : root.relativize(file)) {
      String name = part.toString();
      if (name.startsWith(".") || name.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable Format detect(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    return null;
  }
}
