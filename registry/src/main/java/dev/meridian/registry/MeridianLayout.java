package dev.meridian.registry;

/**
 * Where Meridian keeps things in Consul: the service replicas register as, the metadata they carry,
 * and the KV keys of routing tables, drains and the controller's leader lock. Every component reads
 * and writes through these names, so they agree.
 */
public final class MeridianLayout {
  /** The service every model replica registers as; its tags are the models it serves. */
  public static final String REPLICA_SERVICE = "meridian-replica";

  /**
   * The service every gateway, controller and agent lists its {@code /metrics} server as, tagged
   * with its role, for Prometheus' Consul discovery ({@link MetricsListing}).
   */
  public static final String METRICS_SERVICE = "meridian-metrics";

  /**
   * Replica metadata: the port of its own {@code /metrics} server, on its address (a replica's
   * service port is its gRPC port).
   */
  public static final String META_METRICS_PORT = "metrics-port";

  /** Replica metadata: the region (datacenter) it runs in. */
  public static final String META_REGION = "region";

  /** Replica metadata: the model it serves. */
  public static final String META_MODEL = "model";

  /** Replica metadata: the version of that model. */
  public static final String META_MODEL_VERSION = "model-version";

  /** Replica metadata: how many calls it runs at once. */
  public static final String META_CAPACITY = "capacity";

  /**
   * Replica metadata: the port of its FaultInjection listener, on its address; present only on
   * replicas whose agent turns faults on.
   */
  public static final String META_FAULTS_PORT = "faults";

  /**
   * Replica metadata: the inference protocol it is called through, {@link #PROTOCOL_MERIDIAN} (the
   * default when absent) or {@link #PROTOCOL_OIP}.
   */
  public static final String META_PROTOCOL = "protocol";

  /** {@link #META_PROTOCOL}: Meridian's {@code meridian.inference.v1.Inference/Predict}. */
  public static final String PROTOCOL_MERIDIAN = "meridian";

  /**
   * {@link #META_PROTOCOL}: the Open Inference Protocol's {@code
   * inference.GRPCInferenceService/ModelInfer}, as external model servers (Triton, KServe,
   * MLServer) speak it.
   */
  public static final String PROTOCOL_OIP = "oip";

  /** Prefix of the routing tables, one key per model, in every region's datacenter. */
  public static final String ROUTING_PREFIX = "meridian/routing/";

  /** The controllers' leader lock, in the control datacenter. */
  public static final String LEADER_KEY = "meridian/controller/leader";

  /**
   * The highest leader epoch handed out, a decimal number, in the control datacenter beside the
   * leader lock. Epochs only grow: a new leader takes one above this and above every epoch it finds
   * in the tables and drains, so a rebuilt datacenter (whose lock restarts at LockIndex 1) never
   * hands out an epoch that older tables fence out.
   */
  public static final String EPOCH_KEY = "meridian/controller/epoch";

  /**
   * The operators' drains, one JSON document ({@code version}, {@code leaderEpoch}, {@code drains}:
   * region, who, reason, startedAt), written by the leader like a routing table to the control
   * datacenter and to every region's datacenter, so that losing one datacenter's KV loses no drain.
   */
  public static final String DRAINS_KEY = "meridian/drains";

  /**
   * Prefix of the gateways' load reports, one key per gateway in its home datacenter: the calls per
   * second and calls in flight it sends to each region, per model.
   */
  public static final String LOAD_PREFIX = "meridian/load/";

  /**
   * Prefix of the older layout's drain records, one key per region in the control datacenter: read
   * once, on upgrade, when no {@link #DRAINS_KEY} document exists.
   */
  public static final String DRAIN_PREFIX = "meridian/controller/drains/";

  private MeridianLayout() {}

  /** The KV key of a model's routing table. */
  public static String routingTableKey(String model) {
    return ConsulNames.key(ROUTING_PREFIX + model);
  }

  /** The KV key of a gateway's load report. */
  public static String loadKey(String gatewayId) {
    return ConsulNames.key(LOAD_PREFIX + gatewayId);
  }
}
