package dev.onfs.bulkload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Generates input files for the demo registry's entity {@code user}: groups {@code user_stats}
 * (FP32: ctr, orders_30d, aov), {@code user_profile} (String: city, segment) and
 * {@code user_embedding} (FP16 vector of 8: emb). Row {@code i} has user_id {@code u<i>}, ctr
 * {@code i/1000}, orders_30d {@code i%50}, aov {@code 100+i%7}, city {@code c<i%13>}, segment
 * {@code s<i%3>}, emb {@code [i%5, 0.5, 0, 0, 0, 0, 0, 1]}.
 */
final class TestFiles {
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message user_rows {
        required binary user_id (STRING);
        required float user_stats__ctr;
        required double user_stats__orders_30d;
        required int32 user_stats__aov;
        optional binary user_profile__city (STRING);
        required binary user_profile__segment (STRING);
        optional group user_embedding__emb (LIST) {
          repeated group list {
            required float element;
          }
        }
      }
      """);

  private TestFiles() {}

  static String userId(int i) {
    return "u" + i;
  }

  static float ctr(int i) {
    return i / 1000f;
  }

  static String city(int i) {
    return "c" + (i % 13);
  }

  /** Writes rows {@code from} (inclusive) to {@code to} (exclusive) as a Snappy-compressed Parquet file. */
  static void writeParquet(Path file, int from, int to) throws IOException {
    writeParquet(file, from, to, CompressionCodecName.SNAPPY);
  }

  /** Writes rows {@code from} (inclusive) to {@code to} (exclusive) as a Parquet file compressed with {@code codec}. */
  static void writeParquet(Path file, int from, int to, CompressionCodecName codec) throws IOException {
    SimpleGroupFactory factory = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration())
        .withType(SCHEMA)
        .withCompressionCodec(codec)
        .withRowGroupSize(1L << 20)
        .build()) {
      for (int i = from; i < to; i++) {
        Group g = factory.newGroup()
            .append("user_id", userId(i))
            .append("user_stats__ctr", ctr(i))
            .append("user_stats__orders_30d", (double) (i % 50))
            .append("user_stats__aov", 100 + i % 7)
            .append("user_profile__city", city(i))
            .append("user_profile__segment", "s" + i % 3);
        Group list = g.addGroup("user_embedding__emb");
        for (float v : new float[] {i % 5, 0.5f, 0, 0, 0, 0, 0, 1}) {
          list.addGroup("list").append("element", v);
        }
        writer.write(g);
      }
    }
  }

  /** The same rows as CSV, header first. */
  static void writeCsv(Path file, int from, int to) throws IOException {
    StringBuilder b = new StringBuilder(
        "user_id,user_stats__ctr,user_stats__orders_30d,user_stats__aov,user_profile__city,user_profile__segment,"
            + "user_embedding__emb\n");
    for (int i = from; i < to; i++) {
      b.append(csvLine(i)).append('\n');
    }
    Files.writeString(file, b, StandardCharsets.UTF_8);
  }

  static String csvLine(int i) {
    return String.join(",", userId(i), Float.toString(ctr(i)), Integer.toString(i % 50), Integer.toString(100 + i % 7),
        city(i), "s" + i % 3, "\"[" + (i % 5) + ",0.5,0,0,0,0,0,1]\"");
  }

  static List<String> features() {
    return List.of("user_stats", "user_profile", "user_embedding");
  }

  static String fmt(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }
}
