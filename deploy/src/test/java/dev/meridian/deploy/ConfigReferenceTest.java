package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
  private static final String BEGIN = "<!-- config-reference:begin -->";
  private static final String END = "<!-- config-reference:end -->";

  @Test
  void theReadmeTableIsTheOneTheCodeGenerates() throws IOException {
    List<String> readme = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has a line %s", BEGIN).isNotNegative();
    assertThat(end).as("README.md has a line %s after it", END).isGreaterThan(begin);

    assertThat(readme.subList(begin + 1, end))
        .as("README's table differs from the code's; paste `./meridian config-reference` there")
        .containsExactlyElementsOf(ConfigReference.table());
  }
}
