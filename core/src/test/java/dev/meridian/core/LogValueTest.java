package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValueTest {

  @Test
  void aForgedLineAndAnUnbalancedQuoteStayInsideOneValue() {
    String logged = "request_id=" + LogValue.quoted("r1\" event=forged\nlevel=SEVERE \"");

    assertThat(logged)
        .isEqualTo("request_id=\"r1\\\" event=forged\\nlevel=SEVERE \\\"\"")
        .doesNotContain("\n");
  }

  @Test
  void longValuesAreBounded() {
    assertThat(LogValue.quoted("r".repeat(5000)))
        .hasSize(LogValue.MAX_LOGGED + "\"\"…(5000 chars)".length());
  }
}
