package dev.meridian.deploy.gameday;

import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import java.util.function.Consumer;

/**
 * An operator's drain of a region through the failover controller's admin RPC, undrained on heal:
 * the planned kind of region loss, which must cost callers nothing.
 */
public final class RegionDrain implements Fault {
  /** Runs one admin call with an operator's credentials. */
  @FunctionalInterface
  public interface Admin {
    /**
     * Calls the admin RPC.
     *
     * @throws Exception when the call fails
     */
    void call(Consumer<RegionAdminGrpc.RegionAdminBlockingStub> work) throws Exception;
  }

  private final String region;
  private final Admin admin;

  /** Drains {@code region} through {@code admin}. */
  public RegionDrain(String region, Admin admin) {
    this.region = region;
    this.admin = admin;
  }

  @Override
  public String describe() {
    return "drain " + region + " (admin RPC), then undrain";
  }

  @Override
  public Target target() {
    return new Target(region);
  }

  @Override
  public void inject() throws Exception {
    admin.call(
        stub ->
            stub.drainRegion(
                DrainRegionRequest.newBuilder().setRegion(region).setReason("game day").build()));
  }

  @Override
  public void heal() throws Exception {
    admin.call(
        stub ->
            stub.undrainRegion(
                UndrainRegionRequest.newBuilder()
                    .setRegion(region)
                    .setReason("game day over")
                    .build()));
  }
}
