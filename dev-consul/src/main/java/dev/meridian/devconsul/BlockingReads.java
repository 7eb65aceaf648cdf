package dev.meridian.devconsul;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Runs a read endpoint the way Consul runs every read: consistency and leader rules, datacenter
 * routing, blocking on {@code ?index=&wait=}, and the {@code X-Consul-*} response headers.
 * Thread-safe (stateless apart from the datacenters).
 */
final class BlockingReads {
  private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
  private static final Duration MAX_WAIT = Duration.ofMinutes(10);

  /** Consul adds up to wait/16 of random extra so that many watchers do not wake together. */
  private static final int JITTER_FRACTION = 16;

  /** What a read returns: the body to send and the index that tells watchers if it changed. */
  record Result(long index, ApiResponse response) {}

  private final Datacenters datacenters;

  BlockingReads(Datacenters datacenters) {
    this.datacenters = datacenters;
  }

  /** Runs {@code query} against the datacenter the request names, blocking if it asks to. */
  ApiResponse execute(ApiRequest request, Function<DatacenterState, Result> query)
      throws InterruptedException {
    Consistency consistency = Consistency.of(request);
    long minIndex = parseIndex(request);
    Duration wait = parseWait(request);
    Datacenter datacenter = datacenters.target(request);
    FaultControls faults = datacenter.faults();
    if (!faults.hasLeader() && consistency != Consistency.STALE) {
      throw Datacenters.noLeader();
    }
    Result result =
        minIndex == 0
            ? datacenter.read(query)
            : datacenter.readWhen(
                query,
                r -> Long.compareUnsigned(atLeastOne(r.index()), minIndex) > 0,
                withJitter(wait).toNanos());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Consul-Index", Long.toUnsignedString(atLeastOne(result.index())));
    headers.put("X-Consul-Knownleader", Boolean.toString(faults.hasLeader()));
    headers.put("X-Consul-Lastcontact", Long.toString(faults.lastContactMillis()));
    headers.put("X-Consul-Effective-Consistency", consistency.header());
    return result.response().withHeaders(headers);
  }

  /**
   * The longest a read may hold its request before answering: its wait (default 5 min, at most 10)
   * plus the largest jitter; zero when it does not block or its parameters are invalid (it then
   * answers at once).
   */
  static Duration longestBlock(ApiRequest request) {
    try {
      if (parseIndex(request) == 0) {
        return Duration.ZERO;
      }
      Duration wait = parseWait(request);
      return wait.plusNanos(wait.toNanos() / JITTER_FRACTION);
    } catch (ApiException e) {
      return Duration.ZERO;
    }
  }

  /** Consul never reports an index of 0, which would make clients spin instead of block. */
  private static long atLeastOne(long index) {
    return index == 0 ? 1 : index;
  }

  private static long parseIndex(ApiRequest request) {
    if (!request.has("index")) {
      return 0;
    }
    try {
      return Long.parseUnsignedLong(request.param("index"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid index");
    }
  }

  private static Duration parseWait(ApiRequest request) {
    String text = request.param("wait");
    if (text == null || text.isEmpty()) {
      return DEFAULT_WAIT;
    }
    Duration wait;
    try {
      wait = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid wait time");
    }
    if (wait.isNegative() || wait.isZero()) {
      return DEFAULT_WAIT;
    }
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  private static Duration withJitter(Duration wait) {
    long bound = wait.toNanos() / JITTER_FRACTION;
    return bound <= 0 ? wait : wait.plusNanos(ThreadLocalRandom.current().nextLong(bound));
  }
}
