package dev.onfs.benchmarks.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.onfs.core.codec.PsdbCompression;
import dev.onfs.core.codec.PsdbEncoder;
import dev.onfs.core.codec.PsdbLayout;
import dev.onfs.core.codec.PsdbReader;
import dev.onfs.core.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;
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
 * PSDB encode and decode against two baselines measured in the same run on the same values: a plain
 * {@code System.arraycopy} of the block's payload bytes (the floor for any codec), and protobuf
 * packed repeated fields (what the values cost on the wire they arrive in).
 *
 * <p>Run: {@code java -cp <test classpath> dev.onfs.benchmarks.codec.PsdbCodecBenchmark [jmh args]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PsdbCodecBenchmark {
  /** Block shapes: data type and feature count (vectors: 10 features of 128 elements). */
  @Param({"INT32_100", "INT32_1000", "INT32_10000", "FP16_VECTOR", "FP32_VECTOR", "STRING", "BOOL"})
  public String shape;

  private PsdbLayout layout;
  private DataType type;
  private PsdbEncoder encoder;
  private PsdbReader reader;
  private int[] ints;
  private float[][] vectors;
  private String[] strings;
  private boolean[] bools;
  private byte[] block;
  private byte[] out;
  private byte[] protobuf;
  private int protobufLength;
  private int payloadOffset;
  private int payloadLength;
  private int probe;
  private int[] intSink;
  private float[] floatSink;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(1);
    encoder = PsdbEncoder.create();
    reader = PsdbReader.create();
    switch (shape) {
      case "FP16_VECTOR":
      case "FP32_VECTOR": {
        type = shape.startsWith("FP16") ? DataType.FP16_VECTOR : DataType.FP32_VECTOR;
        int[] lengths = new int[10];
        Arrays.fill(lengths, 128);
        layout = PsdbLayout.vectors(type, lengths);
        vectors = new float[10][128];
        for (float[] v : vectors) {
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
          }
        }
        break;
      }
      case "STRING": {
        type = DataType.STRING;
        int[] max = new int[100];
        Arrays.fill(max, 32);
        layout = PsdbLayout.strings(max);
        strings = new String[100];
        for (int i = 0; i < strings.length; i++) {
          char[] chars = new char[random.nextInt(8, 25)];
          for (int c = 0; c < chars.length; c++) {
            chars[c] = (char) ('a' + random.nextInt(26));
          }
          strings[i] = new String(chars);
        }
        break;
      }
      case "BOOL": {
        type = DataType.BOOL;
        layout = PsdbLayout.scalars(type, 1000);
        bools = new boolean[1000];
        for (int i = 0; i < bools.length; i++) {
          bools[i] = random.nextBoolean();
        }
        break;
      }
      default: {
        type = DataType.INT32;
        int n = Integer.parseInt(shape.substring("INT32_".length()));
        layout = PsdbLayout.scalars(type, n);
        ints = new int[n];
        for (int i = 0; i < n; i++) {
          ints[i] = random.nextInt();
        }
      }
    }
    out = new byte[PsdbEncoder.maxSerializedSize(layout)];
    intSink = new int[layout.elementCount()];
    floatSink = new float[layout.elementCount()];
    int size = encode();
    block = Arrays.copyOf(out, size);
    reader.wrap(block);
    reader.bind(layout);
    payloadOffset = reader.payloadOffset();
    payloadLength = reader.payloadLength();
    protobuf = new byte[4 * out.length + 1024];
    protobufLength = writeProtobuf();
  }

  /** Bytes of payload each operation moves; divide by ns/op for GB/s. */
  public int payloadBytes() {
    return payloadLength;
  }

  /** Encodes the block straight into its final buffer ({@code beginInto}): what serving does. */
  @Benchmark
  public int encode() {
    encoder.beginInto(out, 0, layout, 1, 0, PsdbCompression.NONE);
    addValues();
    return encoder.finish();
  }

  /** Encodes into the encoder's own buffer, then copies the block out ({@code begin} + {@code writeTo}). */
  @Benchmark
  public int encodeThenCopy() {
    encoder.begin(layout, 1, 0, PsdbCompression.NONE);
    addValues();
    encoder.finish();
    return encoder.writeTo(out, 0);
  }

  private void addValues() {
    switch (type) {
      case INT32:
        encoder.addInts(ints, 0, ints.length);
        break;
      case FP16_VECTOR:
      case FP32_VECTOR:
        for (float[] v : vectors) {
          encoder.addFloatVector(v);
        }
        break;
      case STRING:
        for (String s : strings) {
          encoder.addString(s);
        }
        break;
      default:
        encoder.addBools(bools, 0, bools.length);
    }
  }

  /** Decodes every value of the block with the bulk readers (strings and bools: per feature). */
  @Benchmark
  public long decodeAll() {
    reader.wrap(block, 0, block.length);
    reader.bind(layout);
    switch (type) {
      case INT32:
        reader.readInts(intSink, 0);
        return intSink[intSink.length - 1];
      case FP16_VECTOR:
      case FP32_VECTOR:
        reader.readFloats(floatSink, 0);
        return Float.floatToRawIntBits(floatSink[floatSink.length - 1]);
      default:
        return decodeEachValue();
    }
  }

  /** Decodes every value of the block one accessor call per value. */
  @Benchmark
  public long decodeEach() {
    reader.wrap(block, 0, block.length);
    reader.bind(layout);
    return decodeEachValue();
  }

  private long decodeEachValue() {
    long sum = 0;
    int features = reader.featureCount();
    switch (type) {
      case INT32:
        for (int f = 0; f < features; f++) {
          sum += reader.getInt(f);
        }
        break;
      case FP16_VECTOR:
      case FP32_VECTOR:
        for (int f = 0; f < features; f++) {
          for (int e = 0; e < 128; e++) {
            sum += Float.floatToRawIntBits(reader.getFloat(f, e));
          }
        }
        break;
      case STRING:
        for (int f = 0; f < features; f++) {
          sum += reader.valueOffset(f) + reader.valueLength(f);
        }
        break;
      default:
        for (int f = 0; f < features; f++) {
          sum += reader.getBool(f) ? 1 : 0;
        }
    }
    return sum;
  }

  /** Wraps the block and reads one feature: the serving path; run with -prof gc. */
  @Benchmark
  public long decodeOne() {
    reader.wrap(block, 0, block.length);
    reader.bind(layout);
    int f = probe++ % reader.featureCount();
    switch (type) {
      case INT32:
        return reader.getInt(f);
      case FP16_VECTOR:
      case FP32_VECTOR:
        return Float.floatToRawIntBits(reader.getFloat(f, f));
      case STRING:
        return reader.valueOffset(f) + reader.valueLength(f);
      default:
        return reader.getBool(f) ? 1 : 0;
    }
  }

  /** Baseline: copying the same payload bytes. */
  @Benchmark
  public int arraycopy() {
    System.arraycopy(block, payloadOffset, out, 0, payloadLength);
    return out[payloadLength - 1];
  }

  /** Baseline: the same values as protobuf packed repeated fields (double for floats, as persist does). */
  @Benchmark
  public int protobufEncode() {
    return writeProtobuf();
  }

  private int writeProtobuf() {
    try {
      CodedOutputStream stream = CodedOutputStream.newInstance(protobuf);
      switch (type) {
        case INT32: {
          int size = 0;
          for (int v : ints) {
            size += CodedOutputStream.computeInt32SizeNoTag(v);
          }
          stream.writeTag(3, 2);
          stream.writeUInt32NoTag(size);
          for (int v : ints) {
            stream.writeInt32NoTag(v);
          }
          break;
        }
        case FP16_VECTOR:
        case FP32_VECTOR:
          for (float[] v : vectors) {
            stream.writeTag(1, 2);
            stream.writeUInt32NoTag(v.length * 8);
            for (float x : v) {
              stream.writeDoubleNoTag(x);
            }
          }
          break;
        case STRING:
          for (String s : strings) {
            stream.writeString(7, s);
          }
          break;
        default:
          stream.writeTag(8, 2);
          stream.writeUInt32NoTag(bools.length);
          for (boolean b : bools) {
            stream.writeBoolNoTag(b);
          }
      }
      return stream.getTotalBytesWritten();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Baseline: reading every value back from the protobuf bytes. */
  @Benchmark
  public long protobufDecode() {
    try {
      CodedInputStream stream = CodedInputStream.newInstance(protobuf, 0, protobufLength);
      long sum = 0;
      while (!stream.isAtEnd()) {
        int tag = stream.readTag();
        int field = tag >>> 3;
        if (field == 7) {
          sum += stream.readStringRequireUtf8().length();
          continue;
        }
        int limit = stream.pushLimit(stream.readRawVarint32());
        while (stream.getBytesUntilLimit() > 0) {
          if (field == 3) {
            sum += stream.readInt32();
          } else if (field == 1) {
            sum += Double.doubleToRawLongBits(stream.readDouble());
          } else {
            sum += stream.readBool() ? 1 : 0;
          }
        }
        stream.popLimit(limit);
      }
      return sum;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyBenchmarkBodyRuns() {
    for (String each : new String[] {"INT32_100", "FP16_VECTOR", "STRING", "BOOL"}) {
      PsdbCodecBenchmark benchmark = new PsdbCodecBenchmark();
      benchmark.shape = each;
      benchmark.setUp();
      assertThat(benchmark.encode()).isEqualTo(benchmark.block.length);
      assertThat(Arrays.copyOf(benchmark.out, benchmark.block.length)).isEqualTo(benchmark.block);
      Arrays.fill(benchmark.out, (byte) 0);
      assertThat(benchmark.encodeThenCopy()).isEqualTo(benchmark.block.length);
      assertThat(Arrays.copyOf(benchmark.out, benchmark.block.length)).isEqualTo(benchmark.block);
      assertThat(benchmark.decodeAll()).isEqualTo(benchmark.decodeAll());
      benchmark.decodeEach();
      benchmark.decodeOne();
      benchmark.arraycopy();
      assertThat(benchmark.protobufEncode()).isEqualTo(benchmark.protobufLength);
      benchmark.protobufDecode();
    }
  }

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length > 0) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    new Runner(new OptionsBuilder().include(PsdbCodecBenchmark.class.getSimpleName()).build()).run();
  }
}
