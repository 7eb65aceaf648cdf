package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValueTest {

  @Test
  void aForgedLineAndAnUnbalancedQuoteStayInsideOneQuotedValue() {
    String logged = "request_id=" + LogValue.quoted("r1\" event=forged\nlevel=SEVERE \"");

    assertThat(logged)
        .isEqualTo("request_id=\"r1\\\" event=forged\\nlevel=SEVERE \\\"\"")
        .doesNotContain("\n");
  }

  @Test
  void aBoundedValueIsOnOneLineWithItsQuotesLeftToTheEncoder() {
    assertThat(LogValue.bounded("r1\" event=forged\nlevel=SEVERE"))
        .isEqualTo("r1\" event=forged\\nlevel=SEVERE");
  }

  @Test
  void longValuesAreBounded() {
    assertThat(LogValue.bounded("r".repeat(5000)))
        .hasSize(LogValue.MAX_LOGGED + "…(5000 chars)".length());
    assertThat(LogValue.quoted("r".repeat(5000)))
        .hasSize(LogValue.MAX_LOGGED + "\"\"…(5000 chars)".length());
  }
}
