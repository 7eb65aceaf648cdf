package dev.meridian.gateway.routing;

/**
 * A connectivity listener for tests whose channels never connect or whose connections do not
 * matter: it hears nothing.
 */
public final class NoConnectivity implements ChannelCache.ConnectivityListener {
  @Override
  public void ready(ReplicaEndpoint replica) {}

  @Override
  public void failed(ReplicaEndpoint replica) {}
}
