package dev.meridian.core.tls;

/**
 * The roles a client connects to over TLS, each known by a DNS name its certificates carry as a
 * subject alternative name. A client checks that name, not the address it dialled: addresses come
 * from Consul and from the leader key, which whoever can write Consul could forge, and a
 * certificate for a role can only come from the authority.
 */
public enum TlsPeer {
  /** A gateway's public {@code Predict} listener. */
  GATEWAY("meridian-gateway"),
  /** A model replica's {@code Predict} server. */
  REPLICA("meridian-replica"),
  /** A failover controller's admin server. */
  CONTROLLER("meridian-controller"),
  /** A Consul agent's HTTPS API. */
  CONSUL("meridian-consul");

  private final String serverName;

  TlsPeer(String serverName) {
    this.serverName = serverName;
  }

  /** The name the role's certificates carry and its clients verify. */
  public String serverName() {
    return serverName;
  }
}
