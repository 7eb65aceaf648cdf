package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {
  /** The rule as a regular expression, which the scanner must agree with. */
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");

  @Test
  void acceptsExactlyWhatTheRuleDescribes() {
    List<String> names =
        List.of(
            "fraud-score",
            "eu-west",
            "a",
            "Z9",
            "model.v2_beta-1",
            "a.b.c",
            "",
            "-x",
            "x-",
            "a..b",
            "a-_b",
            ".",
            "fraud score",
            "fraud/score",
            "é",
            "a\u0000",
            "ab-",
            "_a",
            "a_b");
    for (String name : names) {
      assertThat(ResourceNames.isValid(name)).as(name).isEqualTo(RULE.matcher(name).matches());
    }
  }

  @Test
  void refusesNullAndNamesOverTheLimit() {
    assertThat(ResourceNames.isValid(null)).isFalse();
    assertThat(ResourceNames.isValid("a".repeat(ResourceNames.MAX_CHARS))).isTrue();
    assertThat(ResourceNames.isValid("a".repeat(ResourceNames.MAX_CHARS + 1))).isFalse();
  }
}
