package dev.onfs.core.types;

import java.util.function.IntFunction;

/**
 * Test oracle independent of the production code: rounds a float to nearest, ties to even, by
 * searching the sorted grid of a small float format's non-negative finite values, where the grid's
 * last point stands for the saturation / overflow encoding.
 */
final class MinifloatOracle {
  private final double[] grid;
  private final int[] codes;

  /**
   * @param lastCode the code of the last grid point (e.g. 0x7c for E5M2 infinity)
   * @param lastValue the value that grid point stands for (e.g. 65536 for E5M2)
   * @param decoder decodes each code below {@code lastCode}
   */
  MinifloatOracle(int lastCode, double lastValue, IntFunction<Float> decoder) {
    grid = new double[lastCode + 1];
    codes = new int[lastCode + 1];
    for (int code = 0; code < lastCode; code++) {
      grid[code] = decoder.apply(code);
      codes[code] = code;
    }
    grid[lastCode] = lastValue;
    codes[lastCode] = lastCode;
    for (int i = 1; i < grid.length; i++) {
      if (!(grid[i] > grid[i - 1])) {
        throw new IllegalStateException("grid not increasing at " + i);
      }
    }
  }

  /** The grid values, ascending; the last is the saturation point. */
  double[] grid() {
    return grid.clone();
  }

  /** The code for a non-negative, non-NaN magnitude. */
  int encodeMagnitude(double magnitude) {
    if (magnitude >= grid[grid.length - 1]) {
      return codes[grid.length - 1];
    }
    int low = 0;
    int high = grid.length - 1; // grid[low] <= magnitude < grid[high]
    while (high - low > 1) {
      int mid = (low + high) >>> 1;
      if (grid[mid] <= magnitude) {
        low = mid;
      } else {
        high = mid;
      }
    }
    double twice = magnitude * 2;
    double sum = grid[low] + grid[high];
    if (twice < sum) {
      return codes[low];
    }
    if (twice > sum) {
      return codes[high];
    }
    return (codes[low] & 1) == 0 ? codes[low] : codes[high];
  }
}
