package dev.onfs.benchmarks.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onfs.core.registry.Caller;
import dev.onfs.core.registry.CallerScopes;
import dev.onfs.core.registry.RegistrySnapshot;
import dev.onfs.core.registry.TokenHash;
import dev.onfs.grpc.CallerAuthenticator;
import dev.onfs.grpc.CallerTokens;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What authenticating a call costs: {@link CallerAuthenticator#authenticate} for a reader whose
 * token the registry keeps in plaintext (the reference's form, compared in constant time) against
 * one whose token it keeps as a PBKDF2 hash at the default iteration count, verified once and then
 * served from the verification cache, as every call after a caller's first is. {@code derive} is
 * the cost of one cache miss: a full key derivation.
 *
 * <p>Run: {@code java -cp <test classpath> dev.onfs.benchmarks.auth.TokenVerificationBenchmark [jmh args]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenVerificationBenchmark {
  /** How the registry stores the reader's token. */
  @Param({"plaintext", "hashed"})
  public String stored;

  /** A token as {@code onfs token create} issues it. */
  static final String TOKEN = "q3TpzV0hUJ6m1bK4xW8yR2cN5aF7dG9eL0sQ1uI3oP4";

  int iterations = TokenHash.DEFAULT_ITERATIONS;
  private CallerAuthenticator authenticator;
  private TokenHash hash;

  @Setup(Level.Trial)
  public void setUp() {
    hash = TokenHash.create(TOKEN, iterations);
    String value = stored.equals("hashed") ? hash.encoded() : TOKEN;
    RegistrySnapshot snapshot = RegistrySnapshot.builder()
        .reader(new Caller("ranker", value, null, CallerScopes.ALL))
        // Other callers, so that lookups are not in a one-entry map.
        .readerToken("test", "test").readerToken("search", "s3arch").writerToken("job", "j0b")
        .build();
    authenticator = new CallerAuthenticator(CallerTokens.of(snapshot), false);
    authenticate(); // the first call verifies and fills the cache
  }

  @Benchmark
  public boolean authenticate() {
    return authenticator.authenticate("ranker", TOKEN, CallerAuthenticator.Access.READ).granted();
  }

  /** One key derivation: what a caller's first call (or a wrong token) costs with the hashed form. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public boolean derive() {
    return hash.matches(TOKEN);
  }

  @Test
  void everyBenchmarkBodyRuns() {
    for (String each : List.of("plaintext", "hashed")) {
      TokenVerificationBenchmark benchmark = new TokenVerificationBenchmark();
      benchmark.stored = each;
      benchmark.iterations = TokenHash.MIN_ITERATIONS;
      benchmark.setUp();
      assertThat(benchmark.authenticate()).as(each).isTrue();
      assertThat(benchmark.authenticator.authenticate("ranker", TOKEN + "x", CallerAuthenticator.Access.READ).granted())
          .isFalse();
      assertThat(benchmark.derive()).isTrue();
    }
  }

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length > 0) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    new Runner(new OptionsBuilder().include(TokenVerificationBenchmark.class.getSimpleName()).build()).run();
  }
}
