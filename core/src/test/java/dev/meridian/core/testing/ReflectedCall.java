package dev.meridian.core.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What grpcurl does to call a method it knows by name only: asks the server's reflection for the
 * file that defines the service (and the files it imports), builds the descriptors from them, turns
 * a JSON request into the method's input message and prints the answer as JSON. No generated class
 * and no proto file of the service is used.
 */
public final class ReflectedCall {
  private static final long TIMEOUT_SECONDS = 10;

  private ReflectedCall() {}

  /**
   * Calls the unary method {@code fullMethod} ({@code package.Service/Method}) with the request
   * written as protobuf JSON; returns the response as protobuf JSON.
   */
  public static String invoke(Channel channel, String fullMethod, String jsonRequest)
      throws Exception {
    int slash = fullMethod.indexOf('/');
    String serviceName = fullMethod.substring(0, slash);
    MethodDescriptor method =
        service(channel, serviceName).findMethodByName(fullMethod.substring(slash + 1));
    DynamicMessage.Builder request = DynamicMessage.newBuilder(method.getInputType());
    JsonFormat.parser().merge(jsonRequest, request);
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> call =
        io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(fullMethod)
            .setRequestMarshaller(
                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
            .setResponseMarshaller(
                ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
            .build();
    DynamicMessage response =
        ClientCalls.blockingUnaryCall(
            channel,
            call,
            CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS),
            request.build());
    return JsonFormat.printer().print(response);
  }

  private static ServiceDescriptor service(Channel channel, String serviceName)
      throws InterruptedException,
          ExecutionException,
          TimeoutException,
          DescriptorValidationException,
          InvalidProtocolBufferException {
    List<FileDescriptorProto> files = filesDefining(channel, serviceName);
    Map<String, FileDescriptorProto> byName = new HashMap<>();
    for (FileDescriptorProto file : files) {
      byName.put(file.getName(), file);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    // The server sends the defining file first, then what it imports.
    FileDescriptor defining = build(files.get(0).getName(), byName, built);
    String simpleName = serviceName.substring(serviceName.lastIndexOf('.') + 1);
    return defining.findServiceByName(simpleName);
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> byName, Map<String, FileDescriptor> built)
      throws DescriptorValidationException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = byName.get(name);
    FileDescriptor[] dependencies = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < dependencies.length; i++) {
      dependencies[i] = build(proto.getDependency(i), byName, built);
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
    built.put(name, file);
    return file;
  }

  private static List<FileDescriptorProto> filesDefining(Channel channel, String symbol)
      throws InterruptedException,
          ExecutionException,
          TimeoutException,
          InvalidProtocolBufferException {
    ServerReflectionResponse response =
        ReflectionExchange.ask(
                channel,
                ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build())
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<FileDescriptorProto> files = new ArrayList<>();
    for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(bytes));
    }
    return files;
  }
}
