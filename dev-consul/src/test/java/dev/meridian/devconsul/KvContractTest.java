package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class KvContractTest extends ContractTest {

  private JsonObject entry(String key) {
    return first(http.get("/v1/kv/" + key).json().getAsJsonArray());
  }

  @Test
  void missingKeyIs404WithIndexHeaders() {
    Http.Reply reply = http.get("/v1/kv/" + unique("missing"));

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).isEmpty();
    assertThat(reply.index()).isGreaterThanOrEqualTo(1);
    assertThat(reply.header("X-Consul-Knownleader")).isEqualTo("true");
  }

  @Test
  void putThenGetRoundTripsValueAndFlags() {
    String key = unique("kv") + "/value";

    assertThat(http.put("/v1/kv/" + key + "?flags=42", "hello").body()).isEqualTo("true");
    JsonObject entry = entry(key);

    assertThat(entry.get("Key").getAsString()).isEqualTo(key);
    assertThat(entry.get("Flags").getAsLong()).isEqualTo(42);
    assertThat(entry.get("LockIndex").getAsLong()).isZero();
    assertThat(entry.has("Session")).isFalse();
    assertThat(Base64.getDecoder().decode(entry.get("Value").getAsString()))
        .isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(http.get("/v1/kv/" + key + "?raw").body()).isEqualTo("hello");
    assertThat(http.get("/v1/kv/" + key).index()).isEqualTo(entry.get("ModifyIndex").getAsLong());
  }

  @Test
  void emptyValueIsNullAndAbsentFlagsResetToZero() {
    String key = unique("empty");
    http.put("/v1/kv/" + key + "?flags=7", "x");
    http.put("/v1/kv/" + key, "");

    JsonObject entry = entry(key);

    assertThat(entry.get("Value").isJsonNull()).isTrue();
    assertThat(entry.get("Flags").getAsLong()).isZero();
  }

  @Test
  void identicalValueKeepsModifyIndex() {
    String key = unique("same");
    http.put("/v1/kv/" + key, "v");
    long before = entry(key).get("ModifyIndex").getAsLong();

    http.put("/v1/kv/" + key, "v");

    assertThat(entry(key).get("ModifyIndex").getAsLong()).isEqualTo(before);
  }

  @Test
  void checkAndSet() {
    String key = unique("cas");

    assertThat(http.put("/v1/kv/" + key + "?cas=0", "a").body()).isEqualTo("true");
    assertThat(http.put("/v1/kv/" + key + "?cas=0", "b").body()).isEqualTo("false");
    long index = entry(key).get("ModifyIndex").getAsLong();
    assertThat(http.put("/v1/kv/" + key + "?cas=" + (index + 1000), "c").body()).isEqualTo("false");
    assertThat(http.put("/v1/kv/" + key + "?cas=" + index, "d").body()).isEqualTo("true");
    long newIndex = entry(key).get("ModifyIndex").getAsLong();
    assertThat(http.delete("/v1/kv/" + key + "?cas=" + index).body()).isEqualTo("false");
    assertThat(http.delete("/v1/kv/" + key + "?cas=" + newIndex).body()).isEqualTo("true");
    assertThat(http.delete("/v1/kv/" + key + "?cas=5").body()).isEqualTo("true");
  }

  @Test
  void recurseKeysAndSeparator() {
    String prefix = unique("tree") + "/";
    http.put("/v1/kv/" + prefix + "b", "2");
    http.put("/v1/kv/" + prefix + "a", "1");
    http.put("/v1/kv/" + prefix + "dir/c", "3");

    assertThat(http.get("/v1/kv/" + prefix + "?recurse").json().getAsJsonArray()).hasSize(3);
    assertThat(http.get("/v1/kv/" + prefix + "?keys").json().toString())
        .isEqualTo("[\"" + prefix + "a\",\"" + prefix + "b\",\"" + prefix + "dir/c\"]");
    assertThat(http.get("/v1/kv/" + prefix + "?keys&separator=/").json().toString())
        .isEqualTo("[\"" + prefix + "a\",\"" + prefix + "b\",\"" + prefix + "dir/\"]");
    assertThat(http.get("/v1/kv/" + unique("none") + "/?recurse").status()).isEqualTo(404);

    assertThat(http.delete("/v1/kv/" + prefix + "?recurse").body()).isEqualTo("true");
    assertThat(http.get("/v1/kv/" + prefix + "?recurse").status()).isEqualTo(404);
  }

  @Test
  void deletionsAdvanceTheIndexOfMissingKeys() {
    String key = unique("del");
    http.put("/v1/kv/" + key, "x");
    long written = entry(key).get("ModifyIndex").getAsLong();

    http.delete("/v1/kv/" + key);

    assertThat(http.get("/v1/kv/" + key).index()).isGreaterThan(written);
  }

  @Test
  void requestErrors() {
    Http.Reply tooLarge = http.put("/v1/kv/" + unique("big"), new byte[512 * 1024 + 1]);
    Http.Reply conflicting = http.put("/v1/kv/" + unique("c") + "?cas=0&acquire=x", "v");
    Http.Reply noKey = http.get("/v1/kv/");
    Http.Reply dotdot = http.put("/v1/kv/a/%2E%2E/b", "v");

    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(conflicting.status()).isEqualTo(400);
    assertThat(conflicting.body()).startsWith("Conflicting flags");
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.body()).isEqualTo("Missing key name");
    assertThat(dotdot.status()).isEqualTo(400);
    assertThat(http.put("/v1/kv/%20padded", "v").status()).isEqualTo(400);
  }

  @Test
  void keysAreCaseSensitive() {
    String key = unique("Case");
    http.put("/v1/kv/" + key, "v");

    assertThat(http.get("/v1/kv/" + key.toLowerCase(Locale.ROOT)).status()).isEqualTo(404);
  }
}
