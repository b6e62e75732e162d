package dev.onfs.core.codec;

import dev.onfs.core.types.DataType;
import java.util.SplittableRandom;

/**
 * Seeded sample data for every data type: a layout, its values as Java arrays, and how to feed them
 * to an encoder and compare them with a reader.
 */
final class SampleBlocks {
  final PsdbLayout layout;
  /** One entry per feature: a boxed scalar or a primitive / String array for vectors. */
  final Object[] values;

  private SampleBlocks(PsdbLayout layout, Object[] values) {
    this.layout = layout;
    this.values = values;
  }

  static SampleBlocks random(DataType type, int features, SplittableRandom random, boolean compressible) {
    int[] vectorLengths = new int[features];
    int[] maxLengths = new int[features];
    for (int i = 0; i < features; i++) {
      vectorLengths[i] = random.nextInt(0, 6);
      maxLengths[i] = random.nextInt(0, 12);
    }
    PsdbLayout layout = PsdbLayout.of(type, features, vectorLengths, maxLengths);
    Object[] values = new Object[features];
    for (int i = 0; i < features; i++) {
      if (type.isVector()) {
        int n = vectorLengths[i];
        values[i] = vector(type.scalar(), n, maxLengths[i], random, compressible);
      } else {
        values[i] = first(vector(type, 1, maxLengths[i], random, compressible));
      }
    }
    return new SampleBlocks(layout, values);
  }

  static SampleBlocks of(PsdbLayout layout, Object[] values) {
    return new SampleBlocks(layout, values);
  }

  private static Object first(Object array) {
    if (array instanceof double[]) {
      return ((double[]) array)[0];
    }
    if (array instanceof long[]) {
      return ((long[]) array)[0];
    }
    if (array instanceof boolean[]) {
      return ((boolean[]) array)[0];
    }
    return ((String[]) array)[0];
  }

  private static Object vector(DataType scalar, int n, int maxLength, SplittableRandom random,
      boolean compressible) {
    switch (scalar) {
      case FP8E5M2:
      case FP8E4M3:
      case FP16:
      case FP32:
      case FP64: {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = compressible ? 1.5 : (random.nextDouble() - 0.5) * 200;
        }
        return v;
      }
      case STRING: {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          int length = random.nextInt(0, maxLength + 1);
          StringBuilder s = new StringBuilder();
          for (int c = 0; c < length; c++) {
            s.append(compressible ? 'a' : (char) ('a' + random.nextInt(26)));
          }
          v[i] = s.toString();
        }
        return v;
      }
      case BOOL: {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = !compressible && random.nextBoolean();
        }
        return v;
      }
      default: {
        long[] v = new long[n];
        long min = minOf(scalar);
        long max = maxOf(scalar);
        for (int i = 0; i < n; i++) {
          if (compressible) {
            v[i] = 7;
          } else if (scalar == DataType.INT64 || scalar == DataType.UINT64) {
            v[i] = random.nextLong();
          } else {
            v[i] = random.nextLong(min, max + 1);
          }
        }
        return v;
      }
    }
  }

  static long minOf(DataType scalar) {
    switch (scalar) {
      case INT8:
        return Byte.MIN_VALUE;
      case INT16:
        return Short.MIN_VALUE;
      case INT32:
        return Integer.MIN_VALUE;
      case INT64:
        return Long.MIN_VALUE;
      default:
        return 0;
    }
  }

  static long maxOf(DataType scalar) {
    switch (scalar) {
      case INT8:
        return Byte.MAX_VALUE;
      case INT16:
        return Short.MAX_VALUE;
      case INT32:
        return Integer.MAX_VALUE;
      case UINT8:
        return 0xff;
      case UINT16:
        return 0xffff;
      case UINT32:
        return 0xffff_ffffL;
      default:
        return Long.MAX_VALUE;
    }
  }

  /** Feeds every value to {@code encoder}, mixing single and bulk calls. */
  void feed(PsdbEncoder encoder) {
    DataType type = layout.dataType();
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (!type.isVector()) {
        if (v instanceof Double) {
          encoder.addDouble((Double) v);
        } else if (v instanceof Long) {
          encoder.addLong((Long) v);
        } else if (v instanceof Boolean) {
          encoder.addBool((Boolean) v);
        } else {
          encoder.addString((String) v);
        }
      } else if (v instanceof double[]) {
        encoder.addDoubleVector((double[]) v);
      } else if (v instanceof long[]) {
        long[] longs = (long[]) v;
        encoder.startVector(longs.length);
        for (long x : longs) {
          encoder.addLong(x);
        }
      } else if (v instanceof boolean[]) {
        encoder.addBoolVector((boolean[]) v);
      } else {
        encoder.addStringVector((String[]) v);
      }
    }
  }

  /** Whether the reader returns every value (floats after rounding through the type). */
  void assertReadsBack(PsdbReader reader) {
    DataType type = layout.dataType();
    DataType scalar = type.scalar();
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      int n = type.isVector() ? layout.vectorLength(i) : 1;
      for (int e = 0; e < n; e++) {
        Object expected = type.isVector() ? element(v, e) : v;
        Object actual;
        switch (scalar) {
          case FP64:
            actual = type.isVector() ? reader.getDouble(i, e) : reader.getDouble(i);
            break;
          case FP8E5M2:
          case FP8E4M3:
          case FP16:
          case FP32: {
            float f = type.isVector() ? reader.getFloat(i, e) : reader.getFloat(i);
            actual = (double) f;
            expected = roundTrip(scalar, (Double) expected);
            break;
          }
          case STRING:
            actual = type.isVector() ? reader.getString(i, e) : reader.getString(i);
            break;
          case BOOL:
            actual = type.isVector() ? reader.getBool(i, e) : reader.getBool(i);
            break;
          default:
            actual = type.isVector() ? reader.getLong(i, e) : reader.getLong(i);
            break;
        }
        if (!expected.equals(actual)) {
          throw new AssertionError(type + " feature " + i + " element " + e + ": expected " + expected
              + " but read " + actual);
        }
      }
    }
  }

  private static Object element(Object array, int e) {
    if (array instanceof double[]) {
      return ((double[]) array)[e];
    }
    if (array instanceof long[]) {
      return ((long[]) array)[e];
    }
    if (array instanceof boolean[]) {
      return ((boolean[]) array)[e];
    }
    return ((String[]) array)[e];
  }

  static double roundTrip(DataType scalar, double value) {
    float f = (float) value;
    switch (scalar) {
      case FP8E5M2:
        return dev.onfs.core.types.Float8E5M2.toFloat(dev.onfs.core.types.Float8E5M2.fromFloat(f));
      case FP8E4M3:
        return dev.onfs.core.types.Float8E4M3.toFloat(dev.onfs.core.types.Float8E4M3.fromFloat(f));
      case FP16:
        return dev.onfs.core.types.Float16.toFloat(dev.onfs.core.types.Float16.fromFloat(f));
      default:
        return f;
    }
  }
}
