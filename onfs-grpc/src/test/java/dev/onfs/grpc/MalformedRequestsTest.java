package dev.onfs.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MalformedRequestsTest {
  private final Logger logger = Logger.getLogger(MalformedRequests.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (records) {
        records.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    logger.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(capture);
  }

  @Test
  void logsOneLinePerIntervalWithTheCountOfTheOthers() {
    AtomicLong now = new AtomicLong(1_000);
    MalformedRequests reports = new MalformedRequests("persist.Query", now::get);
    for (int i = 0; i < 50; i++) {
      reports.report("reason " + i);
    }
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
    assertThat(records.get(0).getThrown()).isNull();
    assertThat(records.get(0).getMessage())
        .isEqualTo("malformed persist.Query request answered INVALID_ARGUMENT: reason 0");

    now.addAndGet(MalformedRequests.INTERVAL.toNanos() - 1);
    reports.report("reason 50");
    assertThat(records).hasSize(1);
    now.addAndGet(1);
    reports.report("reason 51");
    assertThat(records).hasSize(2);
    assertThat(records.get(1).getMessage())
        .isEqualTo("malformed persist.Query request answered INVALID_ARGUMENT: reason 51 (50 more since the last report)");
  }
}
