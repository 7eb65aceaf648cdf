package dev.meridian.deploy.bench;

import com.google.protobuf.MessageLite;
import java.nio.ByteBuffer;

/**
 * One gRPC message as it travels in an HTTP/2 body: a byte saying it is not compressed, its length
 * as four big-endian bytes, then the serialized message. Tools that speak HTTP/2 but not gRPC
 * (h2load, curl) send this as the body of a call.
 */
public final class GrpcMessageFrame {
  private static final int PREFIX = 5;

  private GrpcMessageFrame() {}

  /** {@code message}, framed. */
  public static byte[] of(MessageLite message) {
    byte[] payload = message.toByteArray();
    return ByteBuffer.allocate(PREFIX + payload.length)
        .put((byte) 0)
        .putInt(payload.length)
        .put(payload)
        .array();
  }
}
