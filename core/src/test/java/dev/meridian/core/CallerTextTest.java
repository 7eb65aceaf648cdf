package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerTextTest {

  @Test
  void shortTextIsEchoedWhole() {
    assertThat(CallerText.quoted("fraud-score")).isEqualTo("'fraud-score'");
  }

  @Test
  void longTextIsCutToAPrefixThatSaysHowLongItWas() {
    String echoed = CallerText.bounded("m".repeat(10_000));

    assertThat(echoed).isEqualTo("m".repeat(CallerText.MAX_ECHOED) + "…(10000 chars)");
  }

  @Test
  void controlCharactersAndBackslashesAreEscapedOntoOneLine() {
    assertThat(CallerText.bounded("a\nb\r\tc\u0007\\d")).isEqualTo("a\\nb\\r\\tc\\u0007\\\\d");
  }

  @Test
  void neverCutsBetweenTheHalvesOfASurrogatePair() {
    String text = "x".repeat(CallerText.MAX_ECHOED - 1) + "\uD83D\uDE00" + "tail";

    assertThat(CallerText.bounded(text))
        .isEqualTo("x".repeat(CallerText.MAX_ECHOED - 1) + "…(" + text.length() + " chars)");
  }
}
