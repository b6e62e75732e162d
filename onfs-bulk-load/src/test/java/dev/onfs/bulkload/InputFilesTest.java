package dev.onfs.bulkload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
  @TempDir Path dir;

  @Test
  void directoriesGlobsAndFiles() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data/ts=1"));
    Files.writeString(data.resolve("part-1.parquet"), "x");
    Files.writeString(data.resolve("part-0.parquet"), "x");
    Files.writeString(data.resolve("_SUCCESS"), "");
    Files.writeString(data.resolve(".part-0.parquet.crc"), "");
    Files.writeString(dir.resolve("a.csv"), "x");
    Files.writeString(dir.resolve("b.CSV"), "x");
    Files.writeString(dir.resolve("notes.txt"), "x");

    List<InputFiles.InputFile> dirFiles = InputFiles.expand(List.of(dir.resolve("data").toString()), null);
    List<InputFiles.InputFile> globbed = InputFiles.expand(List.of(dir + "/*.csv"), null);
    List<InputFiles.InputFile> forced = InputFiles.expand(List.of(dir.resolve("notes.txt").toString()),
        InputFiles.Format.CSV);

    assertThat(dirFiles).extracting(f -> f.path().getFileName().toString())
        .containsExactly("part-0.parquet", "part-1.parquet");
    assertThat(dirFiles).allSatisfy(f -> assertThat(f.format()).isEqualTo(InputFiles.Format.PARQUET));
    assertThat(globbed).extracting(f -> f.path().getFileName().toString()).containsExactly("a.csv");
    assertThat(forced).singleElement().satisfies(f -> assertThat(f.format()).isEqualTo(InputFiles.Format.CSV));
  }

  @Test
  void anInputThatMatchesNothingIsNamed() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "x");

    assertThatThrownBy(() -> InputFiles.expand(List.of(dir + "/*.parquet"), null))
        .hasMessageContaining("input '" + dir + "/*.parquet' matches no .parquet or .csv file");
    assertThatThrownBy(() -> InputFiles.expand(List.of(dir.resolve("notes.txt").toString()), null))
        .hasMessageContaining("cannot tell the format of").hasMessageContaining("--format");
  }
}
