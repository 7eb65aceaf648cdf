package dev.meridian.controller.admin;

import dev.meridian.core.config.ConfigFile;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ConfigSchema;
import dev.meridian.core.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the operators file ({@code auth.operators-file}), YAML through {@link ConfigFile}: unknown
 * keys are refused, and every error names the file and the key. {@code meridian operators
 * hash-token} prints a token's {@code token-hash}.
 *
 * <pre>
 * operators:
 *   - {name: alice, role: operator, token-hash: "pbkdf2-sha256$210000$...$..."}
 *   - {name: ci, role: viewer, certificate-cn: ci.meridian.internal}
 * </pre>
 */
public final class OperatorsFile {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  /** {@code operators[].name}. */
  public static final Setting<String> NAME_KEY =
      Setting.text("operators[].name")
          .required()
          .allowing(
              name -> NAME.matcher(name).matches(), "a name of letters, digits, '.', '_', '-'")
          .means("the operator, recorded as `operator:<name>` in the audit log and drains");

  /** {@code operators[].role}. */
  public static final Setting<Role> ROLE =
      Setting.of("operators[].role", Role.NAMES, OperatorsFile::readRole)
          .required()
          .means("viewer reads and watches; operator also drains and undrains; admin also forces");

  /** {@code operators[].token-hash}; exactly one of it and {@link #CERTIFICATE_CN} is set. */
  public static final Setting<TokenHash> TOKEN_HASH =
      Setting.of("operators[].token-hash", TokenHash.FORM, OperatorsFile::readHash)
          .derivedWhenAbsent("this or `certificate-cn` required")
          .means("the hash of the operator's bearer token, from `meridian operators hash-token`");

  /** {@code operators[].certificate-cn}; exactly one of it and {@link #TOKEN_HASH} is set. */
  public static final Setting<String> CERTIFICATE_CN =
      Setting.text("operators[].certificate-cn")
          .derivedWhenAbsent("this or `token-hash` required")
          .means("subject CN of the client certificate the operator presents over TLS");

  /** The file's keys, for reading and for the README's reference table. */
  public static final ConfigSchema SCHEMA =
      new ConfigSchema("operators", List.of(NAME_KEY, ROLE, TOKEN_HASH, CERTIFICATE_CN));

  private OperatorsFile() {}

  /**
   * Reads {@code file}.
   *
   * @throws dev.meridian.core.config.ConfigException naming the file and the offending key
   */
  public static Operators load(Path file) {
    return ConfigFile.read(file, SCHEMA, OperatorsFile::build);
  }

  private static Operators build(ConfigNode root) {
    return new Operators(root.children("operators").stream().map(OperatorsFile::operator).toList());
  }

  private static Operator operator(ConfigNode entry) {
    Optional<TokenHash> token = TOKEN_HASH.readOptional(entry);
    Optional<String> cn = CERTIFICATE_CN.readOptional(entry);
    if (token.isPresent() == cn.isPresent()) {
      throw entry.invalid(TOKEN_HASH.leaf(), null, "exactly one of token-hash and certificate-cn");
    }
    return new Operator(NAME_KEY.read(entry), ROLE.read(entry), token, cn);
  }

  private static Role readRole(ConfigNode node, String leaf) {
    String text = node.string(leaf);
    return Role.named(text).orElseThrow(() -> node.invalid(leaf, text, Role.NAMES));
  }

  private static TokenHash readHash(ConfigNode node, String leaf) {
    String text = node.string(leaf);
    return TokenHash.parse(text).orElseThrow(() -> node.invalid(leaf, "<hidden>", TokenHash.FORM));
  }
}
