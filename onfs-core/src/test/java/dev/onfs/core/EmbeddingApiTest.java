package dev.onfs.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.luben.zstd.Zstd;
import dev.onfs.core.serving.OnlineFeatureStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An embedding application compiles against the core's exported packages only: a module that uses the
 * API compiles on the module path; one that reaches into an implementation package or type does not.
 */
class EmbeddingApiTest {
  @TempDir Path dir;

  @Test
  void anApplicationModuleCompilesAgainstTheExportedApi() throws IOException {
    String app = """
        package app;

        import dev.onfs.core.ErrorKind;
        import dev.onfs.core.OnfsException;
        import dev.onfs.core.registry.InMemoryFeatureRegistry;
        import dev.onfs.core.serving.Limits;
        import dev.onfs.core.serving.OnlineFeatureStore;
        import dev.onfs.core.serving.RetrieveQuery;
        import dev.onfs.core.storage.memory.InMemoryStore;
        import dev.onfs.core.types.DataType;
        import java.util.List;

        public final class App {
          public static int read() {
            try (OnlineFeatureStore store = OnlineFeatureStore.builder()
                .registry(new InMemoryFeatureRegistry())
                .store(InMemoryStore.create())
                .limits(Limits.defaults())
                .nearCache()
                .build()) {
              return store.retrieve(new RetrieveQuery("user",
                  List.of(new RetrieveQuery.FeatureGroup("stats", List.of("ctr"))),
                  List.of("user_id"), List.of(RetrieveQuery.Keys.of("42")))).rows().size();
            } catch (OnfsException e) {
              return e.code().kind() == ErrorKind.NOT_FOUND ? DataType.values().length : -1;
            }
          }
        }
        """;

    List<Diagnostic<? extends JavaFileObject>> errors = compile(app);

    assertThat(errors).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // the PSDB codec, the near cache and the registry's shared checks are packages the module keeps
    "dev.onfs.core.codec.PsdbEncoder, compiler.err.package.not.visible",
    "dev.onfs.core.cache.NearCache, compiler.err.package.not.visible",
    "dev.onfs.core.registry.internal.RegistryChecks, compiler.err.package.not.visible",
    "dev.onfs.core.registry.quarantine.Quarantines, compiler.err.package.not.visible",
    // the serving engine is package-private inside an exported package
    "dev.onfs.core.serving.ServingFactory, compiler.err.not.def.public.cant.access",
    "dev.onfs.core.serving.Retriever, compiler.err.not.def.public.cant.access",
  })
  void anApplicationCannotImportTheImplementation(String type, String expectedError) throws IOException {
    String app = "package app;\n\nimport " + type + ";\n\npublic final class App {}\n";

    List<Diagnostic<? extends JavaFileObject>> errors = compile(app);

    assertThat(errors).extracting(Diagnostic::getCode).contains(expectedError);
    assertThat(errors.get(0).getMessage(Locale.ROOT)).contains(type.substring(0, type.lastIndexOf('.')));
  }

  /** Compiles module {@code app} (requiring {@code dev.onfs.core}) on the module path; returns its errors. */
  private List<Diagnostic<? extends JavaFileObject>> compile(String appSource) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("module-info.java"), "module app { requires dev.onfs.core; }\n");
    Files.writeString(src.resolve("app/App.java"), appSource);
    Path out = Files.createDirectories(dir.resolve("out"));

    // The core's compiled classes (with their module-info.class) and the two modules it requires.
    String modulePath = List.of(OnlineFeatureStore.class, Zstd.class, Caffeine.class).stream()
        .map(EmbeddingApiTest::location)
        .map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
    assertThat(Path.of(location(OnlineFeatureStore.class).toString(), "module-info.class")).exists();

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = List.of("--release", "17", "--module-path", modulePath, "-d", out.toString());
      List<Path> sources = List.of(src.resolve("module-info.java"), src.resolve("app/App.java"));
      javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
    }
    List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(d);
      }
    }
    return errors;
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
