package dev.meridian.agent.faults;

import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelSignature;
import dev.meridian.proto.inference.v1.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A model that passes each call through a {@link FaultInjector} before running the real one, so
 * injected latency and failures happen inside the replica's concurrency limit, where a slow or
 * failing model's would. Thread-safe.
 */
public final class FaultInjectingModel implements Model {
  private final Model delegate;
  private final FaultInjector faults;
  private final String replica;

  /** Wraps {@code delegate}, which it closes on {@link #close()}. */
  public FaultInjectingModel(Model delegate, FaultInjector faults, String replica) {
    this.delegate = delegate;
    this.faults = faults;
    this.replica = replica;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String version() {
    return delegate.version();
  }

  @Override
  public ModelSignature signature() {
    return delegate.signature();
  }

  @Override
  public List<Tensor> predict(Map<String, Tensor> inputs) {
    faults.apply(replica);
    return delegate.predict(inputs);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
