package dev.onfs.bulkload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void knownTotalsShowTheShareDoneAndTheTimeLeft() throws InterruptedException {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out, true), false, 0, 1000, 50_000);
    Thread.sleep(5);

    p.tick(250, 0, 0);

    assertThat(out.toString()).matches("250 rows of 1,000 \\(25%\\)  [0-9,]+ rows/s  ETA \\d+:\\d\\d\\R");
  }

  @Test
  void withoutARowCountTheShareComesFromBytesRead() throws InterruptedException {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out, true), false, 0, -1, 1000);
    Thread.sleep(5);

    p.tick(90, 3, 500);

    assertThat(out.toString()).matches("90 rows \\(50%\\)  [0-9,]+ rows/s  ETA \\d+:\\d\\d  3 rejected\\R");
  }

  @Test
  void aTerminalLineIsRedrawnInPlaceAndEndedOnFinish() throws InterruptedException {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out, true), true, 0, 10, 10);
    Thread.sleep(5);

    p.tick(5, 0, 5);
    p.finish();

    assertThat(out.toString()).startsWith("\r5 rows of 10 (50%)").endsWith("\033[K" + System.lineSeparator());
  }

  @Test
  void durations() {
    assertThat(Progress.duration(59.6)).isEqualTo("1:00");
    assertThat(Progress.duration(3725)).isEqualTo("1:02:05");
  }
}
