package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The stored form of tokens. */
class TokenHashTest {
  @Test
  void matchesItsTokenOnlyAndSurvivesItsStoredForm() {
    TokenHash hash = TokenHash.of("s3cret", TokenHash.MIN_ITERATIONS);

    TokenHash stored = TokenHash.parse(hash.toString()).orElseThrow();

    assertThat(stored.matches("s3cret")).isTrue();
    assertThat(stored.matches("s3cret ")).isFalse();
    assertThat(stored.matches("")).isFalse();
    assertThat(hash.toString()).startsWith("pbkdf2-sha256$10000$").doesNotContain("s3cret");
  }

  @Test
  void saltsEachHashAfresh() {
    assertThat(TokenHash.of("same", TokenHash.MIN_ITERATIONS).toString())
        .isNotEqualTo(TokenHash.of("same", TokenHash.MIN_ITERATIONS).toString());
  }

  @Test
  void defaultsToTheRecommendedIterations() {
    assertThat(TokenHash.of("t").toString()).startsWith("pbkdf2-sha256$210000$");
  }

  @Test
  void refusesMalformedOrWeakStoredForms() {
    String good = TokenHash.of("t", TokenHash.MIN_ITERATIONS).toString();
    String[] parts = good.split("\\$");

    assertThat(TokenHash.parse("plain-token")).isEmpty();
    assertThat(TokenHash.parse("md5$10000$" + parts[2] + "$" + parts[3])).isEmpty();
    assertThat(TokenHash.parse("pbkdf2-sha256$999$" + parts[2] + "$" + parts[3])).isEmpty();
    assertThat(TokenHash.parse("pbkdf2-sha256$x$" + parts[2] + "$" + parts[3])).isEmpty();
    assertThat(TokenHash.parse("pbkdf2-sha256$10000$!!$" + parts[3])).isEmpty();
    assertThat(TokenHash.parse("pbkdf2-sha256$10000$" + parts[2] + "$AAAA")).isEmpty();
    assertThatThrownBy(() -> TokenHash.of("t", 10))
        .hasMessage("iterations: 10 (expected: >= 10000)");
  }
}
