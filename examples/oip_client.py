#!/usr/bin/env python3
"""Calls a Meridian gateway through the Open Inference Protocol (KServe v2) with grpcio.

Any OIP client works the same way; this one uses stubs generated from the protocol's proto:

    apt-get install -y python3-grpcio python3-grpc-tools
    mkdir -p run/oip
    python3 -m grpc_tools.protoc -I proto/src/main/proto --python_out=run/oip \
        --grpc_python_out=run/oip proto/src/main/proto/inference/grpc_predict_v2.proto
    python3 examples/oip_client.py            # against ./meridian demo

(OIP_STUBS names another directory for the generated stubs.) It asks whether the server and
the model are ready, reads the model's signature, and runs one
inference with typed and one with raw contents, printing how the gateway served each.
"""
import argparse
import os
import struct
import sys

import grpc

STUBS = os.environ.get("OIP_STUBS", os.path.join(os.path.dirname(__file__), "..", "run", "oip"))
sys.path.insert(0, STUBS)
from inference import grpc_predict_v2_pb2 as oip  # noqa: E402
from inference import grpc_predict_v2_pb2_grpc as oip_grpc  # noqa: E402


def channel(target, tls_dir):
    if not tls_dir:
        return grpc.insecure_channel(target)

    def read(name):
        with open(os.path.join(tls_dir, name), "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read("ca.crt"),
        private_key=read("cli.key"),
        certificate_chain=read("cli.crt"))
    # The gateway's certificate names its role, as Meridian's own clients check it.
    return grpc.secure_channel(
        target, credentials, options=[("grpc.ssl_target_name_override", "meridian-gateway")])


def served_by(response):
    p = response.parameters
    return "region=%s replica=%s path=%s attempts=%d%s" % (
        p["meridian.region"].string_param, p["meridian.replica"].string_param,
        p["meridian.path"].string_param, p["meridian.attempts"].int64_param,
        (" reason=" + p["meridian.reason"].string_param) if "meridian.reason" in p else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--tls-dir", default="run/demo/tls",
                        help="ca.crt, cli.crt and cli.key; empty for plaintext")
    parser.add_argument("--model", default="fraud-score")
    parser.add_argument("--features", default="0.5,1.2,0.3,2")
    args = parser.parse_args()
    features = [float(v) for v in args.features.split(",")]
    stub = oip_grpc.GRPCInferenceServiceStub(channel(args.target, args.tls_dir))

    print("server ready:", stub.ServerReady(oip.ServerReadyRequest()).ready)
    print("model ready:", stub.ModelReady(oip.ModelReadyRequest(name=args.model)).ready)
    metadata = stub.ModelMetadata(oip.ModelMetadataRequest(name=args.model))
    for kind, tensors in (("input", metadata.inputs), ("output", metadata.outputs)):
        for t in tensors:
            print("%s %s %s%s (%s)" % (kind, t.name, t.datatype, list(t.shape), metadata.platform))

    tensor = dict(name="features", datatype="FP32", shape=[1, len(features)])
    typed = stub.ModelInfer(oip.ModelInferRequest(
        model_name=args.model, id="python-typed",
        inputs=[oip.ModelInferRequest.InferInputTensor(
            contents=oip.InferTensorContents(fp32_contents=features), **tensor)]))
    out = typed.outputs[0]
    print("typed: %s %s%s = %s  id=%s  %s" % (out.name, out.datatype, list(out.shape),
                                              list(out.contents.fp32_contents), typed.id,
                                              served_by(typed)))

    raw = stub.ModelInfer(oip.ModelInferRequest(
        model_name=args.model, id="python-raw",
        inputs=[oip.ModelInferRequest.InferInputTensor(**tensor)],
        raw_input_contents=[struct.pack("<%df" % len(features), *features)]))
    out = raw.outputs[0]
    values = struct.unpack("<%df" % (len(raw.raw_output_contents[0]) // 4),
                           raw.raw_output_contents[0])
    print("raw:   %s %s%s = %s  id=%s  %s" % (out.name, out.datatype, list(out.shape),
                                              list(values), raw.id, served_by(raw)))


if __name__ == "__main__":
    main()
