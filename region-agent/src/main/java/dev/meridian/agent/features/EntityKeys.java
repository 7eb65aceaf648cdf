package dev.meridian.agent.features;

import dev.meridian.core.CallerText;
import dev.meridian.proto.inference.v1.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the entity keys a caller sent in place of a feature tensor: BYTES (UTF-8 text), INT32 or
 * INT64, shape {@code [n]} or {@code [n, 1]}, one non-empty key of at most {@value #MAX_LENGTH}
 * characters per row.
 */
final class EntityKeys {
  /** The longest key accepted, in characters. */
  static final int MAX_LENGTH = 256;

  private EntityKeys() {}

  /**
   * The keys in {@code tensor}, which the request validator has checked to be well formed.
   *
   * @throws StatusRuntimeException {@code INVALID_ARGUMENT} naming the input and what it must be
   */
  static List<String> of(Tensor tensor) {
    List<Long> shape = tensor.getShapeList();
    boolean column = shape.size() == 1 || (shape.size() == 2 && shape.get(1) == 1);
    if (!column || shape.get(0) < 1) {
      throw invalid(tensor, "in shape [n] or [n, 1] with n >= 1, one key per row; got " + shape);
    }
    List<String> keys =
        switch (tensor.getDatatype()) {
          case DATA_TYPE_BYTES ->
              tensor.getContents().getBytesContentsList().stream()
                  .map(bytes -> text(tensor, bytes.asReadOnlyByteBuffer()))
                  .toList();
          case DATA_TYPE_INT32 ->
              tensor.getContents().getIntContentsList().stream().map(String::valueOf).toList();
          case DATA_TYPE_INT64 ->
              tensor.getContents().getInt64ContentsList().stream().map(String::valueOf).toList();
          default ->
              throw invalid(
                  tensor,
                  "as BYTES (UTF-8 text), INT32 or INT64, not "
                      + tensor.getDatatype().name().replace("DATA_TYPE_", ""));
        };
    for (String key : keys) {
      if (key.isEmpty() || key.length() > MAX_LENGTH) {
        throw invalid(tensor, "of 1.." + MAX_LENGTH + " characters each");
      }
    }
    return keys;
  }

  private static String text(Tensor tensor, ByteBuffer bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid(tensor, "in UTF-8");
    }
  }

  private static StatusRuntimeException invalid(Tensor tensor, String expected) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "input " + CallerText.quoted(tensor.getName()) + " must hold entity keys " + expected)
        .asRuntimeException();
  }
}
