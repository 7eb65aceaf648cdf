package dev.meridian.core.routing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * The protobuf JSON mapping, as Meridian stores messages where people may read them (Consul KV,
 * files on disk). Unknown fields from newer writers are tolerated.
 */
public final class ProtoJson {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private ProtoJson() {}

  /** Writes a message as JSON. */
  public static String encode(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unregistered types fail to print; Meridian's messages have none.
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a message of {@code prototype}'s type from JSON.
   *
   * @param source where the text came from, named in the error
   * @throws IllegalArgumentException when the text is not such a message
   */
  @SuppressWarnings("unchecked") // newBuilderForType().build() has the prototype's type
  public static <T extends Message> T decode(String json, T prototype, String source) {
    Message.Builder builder = prototype.newBuilderForType();
    try {
      PARSER.merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException(
          source + ": not a " + prototype.getDescriptorForType().getName() + ": " + e.getMessage(),
          e);
    }
    return (T) builder.build();
  }
}
