package dev.meridian.agent.model.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small but real ONNX models, encoding the protobuf messages of the ONNX specification
 * ({@code onnx/onnx.proto}) by their field numbers, so neither tests nor the demo's checked-in
 * model need python or a download. Supports one graph of nodes with integer attributes, FLOAT and
 * INT64 initializers, and tensor inputs and outputs with fixed, symbolic or unknown dimensions.
 *
 * <p>The same calls always write the same bytes, so a checked-in model can be verified by writing
 * it again. Not thread-safe: build a model on one thread.
 */
public final class OnnxModelWriter {
  /** {@code TensorProto.DataType.FLOAT}. */
  public static final int FLOAT = 1;

  /** {@code TensorProto.DataType.UINT8}. */
  public static final int UINT8 = 2;

  /** {@code TensorProto.DataType.INT8}. */
  public static final int INT8 = 3;

  /** {@code TensorProto.DataType.UINT16}. */
  public static final int UINT16 = 4;

  /** {@code TensorProto.DataType.INT16}. */
  public static final int INT16 = 5;

  /** {@code TensorProto.DataType.INT32}. */
  public static final int INT32 = 6;

  /** {@code TensorProto.DataType.INT64}. */
  public static final int INT64 = 7;

  /** {@code TensorProto.DataType.STRING}. */
  public static final int STRING = 8;

  /** {@code TensorProto.DataType.BOOL}. */
  public static final int BOOL = 9;

  /** {@code TensorProto.DataType.FLOAT16}. */
  public static final int FLOAT16 = 10;

  /** {@code TensorProto.DataType.DOUBLE}. */
  public static final int DOUBLE = 11;

  /** {@code TensorProto.DataType.UINT32}. */
  public static final int UINT32 = 12;

  /** {@code TensorProto.DataType.UINT64}. */
  public static final int UINT64 = 13;

  /** {@code TensorProto.DataType.BFLOAT16}. */
  public static final int BFLOAT16 = 16;

  private static final long IR_VERSION = 8;
  private static final long OPSET_VERSION = 13;
  private static final int ATTRIBUTE_TYPE_INT = 2;

  private final List<Node> nodes = new ArrayList<>();
  private final List<Initializer> initializers = new ArrayList<>();
  private final List<ValueInfo> inputs = new ArrayList<>();
  private final List<ValueInfo> outputs = new ArrayList<>();

  /** Starts an empty model: no inputs, outputs, nodes or initializers. */
  public OnnxModelWriter() {}

  /**
   * Declares a graph input.
   *
   * @param name the input's name, which callers' tensors use
   * @param elemType a {@code TensorProto.DataType} value, such as {@link #FLOAT}
   * @param dims per dimension: a number for a fixed size, a string for a symbolic one, {@code null}
   *     for an unknown one
   * @return this writer
   */
  public OnnxModelWriter input(String name, int elemType, Object... dims) {
    inputs.add(new ValueInfo(name, elemType, Arrays.asList(dims)));
    return this;
  }

  /**
   * Declares a graph output, with its element type and dimensions as for {@link #input}.
   *
   * @return this writer
   */
  public OnnxModelWriter output(String name, int elemType, Object... dims) {
    outputs.add(new ValueInfo(name, elemType, Arrays.asList(dims)));
    return this;
  }

  /**
   * Adds a node of the default ONNX domain; nodes must be added in topological order.
   *
   * @param opType the operator, such as {@code MatMul}
   * @param inputs the names of the values it reads: graph inputs, initializers or other nodes'
   *     outputs
   * @param outputs the names of the values it writes
   * @return this writer
   */
  public OnnxModelWriter node(String opType, List<String> inputs, List<String> outputs) {
    return node(opType, inputs, outputs, Map.of());
  }

  /**
   * Adds a node with integer attributes, such as Gemm's {@code transB}. They are written in name
   * order, so the bytes do not depend on the map's iteration order.
   *
   * @return this writer
   */
  public OnnxModelWriter node(
      String opType, List<String> inputs, List<String> outputs, Map<String, Long> intAttributes) {
    nodes.add(
        new Node(opType, List.copyOf(inputs), List.copyOf(outputs), new TreeMap<>(intAttributes)));
    return this;
  }

  /**
   * Adds a constant FLOAT tensor.
   *
   * @param dims its shape, for example {@code {4, 1}} for a column of four weights
   * @param values its elements in row-major order
   * @return this writer
   */
  public OnnxModelWriter floatInitializer(String name, long[] dims, float... values) {
    ByteBuffer raw = littleEndian(values.length * Float.BYTES);
    for (float value : values) {
      raw.putFloat(value);
    }
    initializers.add(new Initializer(name, FLOAT, dims, raw.array()));
    return this;
  }

  /**
   * Adds a constant INT64 tensor, with its shape and row-major elements as for {@link
   * #floatInitializer}.
   *
   * @return this writer
   */
  public OnnxModelWriter int64Initializer(String name, long[] dims, long... values) {
    ByteBuffer raw = littleEndian(values.length * Long.BYTES);
    for (long value : values) {
      raw.putLong(value);
    }
    initializers.add(new Initializer(name, INT64, dims, raw.array()));
    return this;
  }

  /**
   * Writes the model to {@code file}, replacing any file there.
   *
   * @return {@code file}
   */
  public Path writeTo(Path file) throws IOException {
    return Files.write(file, toBytes());
  }

  /** Encodes the model as a serialized {@code ModelProto}, the content of a {@code .onnx} file. */
  public byte[] toBytes() {
    return message(
        model -> {
          model.writeInt64(1, IR_VERSION); // ModelProto.ir_version
          model.writeString(2, "meridian"); // ModelProto.producer_name
          model.writeByteArray(7, message(this::writeGraph)); // ModelProto.graph
          // ModelProto.opset_import: an OperatorSetIdProto whose empty domain means ONNX itself.
          model.writeByteArray(8, message(opset -> opset.writeInt64(2, OPSET_VERSION)));
        });
  }

  private void writeGraph(CodedOutputStream graph) throws IOException {
    for (Node node : nodes) {
      graph.writeByteArray(1, message(node::writeTo)); // GraphProto.node
    }
    graph.writeString(2, "main"); // GraphProto.name
    for (Initializer initializer : initializers) {
      graph.writeByteArray(5, message(initializer::writeTo)); // GraphProto.initializer
    }
    for (ValueInfo input : inputs) {
      graph.writeByteArray(11, message(input::writeTo)); // GraphProto.input
    }
    for (ValueInfo output : outputs) {
      graph.writeByteArray(12, message(output::writeTo)); // GraphProto.output
    }
  }

  private static ByteBuffer littleEndian(int bytes) {
    // TensorProto.raw_data is fixed-width little-endian whatever the machine's byte order.
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Serializes one message, so that its parent can embed it as a length-delimited field. */
  private static byte[] message(Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      fields.writeTo(out);
      out.flush();
    } catch (IOException e) {
      // A ByteArrayOutputStream never fails to take bytes.
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the fields of one message. */
  private interface Fields {
    void writeTo(CodedOutputStream out) throws IOException;
  }

  /** A {@code NodeProto}. */
  private record Node(
      String opType, List<String> inputs, List<String> outputs, Map<String, Long> intAttributes)
      implements Fields {
    @Override
    public void writeTo(CodedOutputStream node) throws IOException {
      for (String input : inputs) {
        node.writeString(1, input); // NodeProto.input
      }
      for (String output : outputs) {
        node.writeString(2, output); // NodeProto.output
      }
      node.writeString(4, opType); // NodeProto.op_type
      for (Map.Entry<String, Long> attribute : intAttributes.entrySet()) {
        node.writeByteArray( // NodeProto.attribute
            5,
            message(
                proto -> {
                  proto.writeString(1, attribute.getKey()); // AttributeProto.name
                  proto.writeInt64(3, attribute.getValue()); // AttributeProto.i
                  proto.writeEnum(20, ATTRIBUTE_TYPE_INT); // AttributeProto.type
                }));
      }
    }
  }

  /** A {@code TensorProto} holding a constant. */
  private record Initializer(String name, int dataType, long[] dims, byte[] rawData)
      implements Fields {
    @Override
    public void writeTo(CodedOutputStream tensor) throws IOException {
      for (long dim : dims) {
        tensor.writeInt64(1, dim); // TensorProto.dims
      }
      tensor.writeInt32(2, dataType); // TensorProto.data_type
      tensor.writeString(8, name); // TensorProto.name
      tensor.writeByteArray(9, rawData); // TensorProto.raw_data
    }
  }

  /** A {@code ValueInfoProto} declaring a tensor-typed graph input or output. */
  private record ValueInfo(String name, int elemType, List<Object> dims) implements Fields {
    @Override
    public void writeTo(CodedOutputStream valueInfo) throws IOException {
      valueInfo.writeString(1, name); // ValueInfoProto.name
      valueInfo.writeByteArray( // ValueInfoProto.type
          2, message(type -> type.writeByteArray(1, message(this::writeTensorType))));
    }

    /** Writes a {@code TypeProto.Tensor}, the {@code tensor_type} of a {@code TypeProto}. */
    private void writeTensorType(CodedOutputStream tensorType) throws IOException {
      tensorType.writeInt32(1, elemType); // TypeProto.Tensor.elem_type
      tensorType.writeByteArray(2, message(this::writeShape)); // TypeProto.Tensor.shape
    }

    private void writeShape(CodedOutputStream shape) throws IOException {
      for (Object dim : dims) {
        shape.writeByteArray(1, message(d -> writeDimension(d, dim))); // TensorShapeProto.dim
      }
    }

    private static void writeDimension(CodedOutputStream dimension, Object dim) throws IOException {
      if (dim instanceof Number size) {
        dimension.writeInt64(1, size.longValue()); // Dimension.dim_value
      } else if (dim instanceof String symbol) {
        dimension.writeString(2, symbol); // Dimension.dim_param
      } else if (dim != null) {
        throw new IllegalArgumentException("dimension " + dim + ": expected a number or string");
      }
      // A null dimension stays empty: neither value nor symbol, so its size is unknown.
    }
  }
}
