package dev.meridian.deploy.topology.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network of hosts on one Linux machine, each host in a network namespace of its own with its own
 * address, so that tests can cut real links: packets dropped with iptables, not connections refused
 * on loopback.
 *
 * <h2>Layout</h2>
 *
 * For {@code create("mlab", List.of("a", "b"))} on the default subnet {@code 10.203.0.0/24}:
 *
 * <pre>
 *   root namespace            mlab-switch                 mlab-a, mlab-b, ...
 *   mlab-root 10.203.0.1 ---- mlab-p0 -+
 *                                      mlab-br (bridge)
 *                             mlab-p1 -+------------------ eth0 10.203.0.2 (mlab-a)
 *                             mlab-p2 -+------------------ eth0 10.203.0.3 (mlab-b)
 * </pre>
 *
 * <ul>
 *   <li>Host {@code h} lives in namespace {@code <prefix>-h}; its end of a veth pair is {@code
 *       eth0} there, its address the subnet's address number 2, 3, ... in the order of the list,
 *       and {@code lo} is up.
 *   <li>The bridge {@code <prefix>-br} lives in a namespace of its own, {@code <prefix>-switch},
 *       with the hosts' peer ends {@code <prefix>-p<N>} as its ports. The root namespace, where the
 *       test JVM and its load client run, joins it through the veth pair {@code <prefix>-root}
 *       (address number 1) / {@code <prefix>-p0}; that is the only interface the lab adds to the
 *       root namespace, and {@link #root()} is its end.
 *   <li>Every name starts with the prefix and a {@code -}; the prefix itself is 1 to 10 lower-case
 *       letters and digits without a {@code -}, so {@code <prefix>-p253} still fits Linux's
 *       15-character interface names and one lab's names never match another prefix's.
 * </ul>
 *
 * <p><b>Why the bridge is not in the root namespace.</b> When {@code br_netfilter} is loaded and
 * {@code net.bridge.bridge-nf-call-iptables} is 1 (as on the machines this was written on; Docker
 * loads and sets it), frames crossing a bridge go through the {@code FORWARD} chain of the bridge's
 * namespace. A bridge in the root namespace would put traffic between the lab's hosts at the mercy
 * of the root's firewall (Docker sets its {@code FORWARD} policy to {@code DROP}), and avoiding
 * that would mean changing a machine-wide setting. In a namespace of its own the bridge meets only
 * that namespace's empty tables, and no global setting is read or changed.
 *
 * <h2>Faults</h2>
 *
 * Each host namespace has a chain {@value #FAULT_CHAIN}, jumped to first from {@code INPUT} and
 * {@code OUTPUT}; faults are {@code DROP} rules in it (dropped, not rejected: a connect attempt
 * times out as across a real partition). A packet is dropped as it arrives at its receiver, so its
 * sender sees it leave as usual. Rules go only into the lab's own namespaces, never into the root
 * namespace's chains: what a host sends to {@link #root()} is dropped as it leaves the host, where
 * the kernel tells a datagram's sender ({@code EPERM}) while TCP just retransmits. {@link
 * #healAll()} flushes the chains. The lab runs whatever {@code iptables} is installed ({@code
 * nf_tables} or legacy backend, both work inside a namespace); the namespaces are new, so the two
 * never mix in one.
 *
 * <h2>Lifetime</h2>
 *
 * {@link #close()} kills any process still running in the lab's namespaces (a namespace cannot go
 * while one does), deletes the namespaces (their interfaces and rules go with them) and the root
 * link, also after a creation that failed halfway; it is idempotent, and a shutdown hook calls it
 * if the JVM exits first. A lab killed outright leaves its namespaces behind: {@link
 * #create(String, List, Ipv4Subnet)} first removes whatever a dead lab of the same prefix left
 * ({@link #removeLeftovers(String)}). A lock file {@code /run/meridian-netlab/<prefix>.lock},
 * removed by {@code close()}, keeps two live labs (e.g. two worktrees' test runs on one machine)
 * from sharing a prefix and so from removing each other's namespaces.
 *
 * <h2>When it cannot run</h2>
 *
 * It needs Linux, root, {@code ip} (iproute2) and {@code iptables}; {@link #availability()} says
 * which is missing. The rule for tests: where {@link #requiredHere()} (the {@code CI} environment
 * variable is set, as {@code .ci/run} has it: {@code CI=true}), a lab that is unavailable is a
 * <em>failure</em>, so a CI run can never pass by skipping the network tests; anywhere else (a
 * developer's machine without root, say) the tests abort with the reason.
 */
public final class NetworkLab implements AutoCloseable {
  /** The default subnet: {@code 10.203.0.0/24}, root end {@code 10.203.0.1}. */
  public static final Ipv4Subnet DEFAULT_SUBNET = Ipv4Subnet.parse("10.203.0.0/24");

  /** The chain in each host namespace that holds the lab's fault rules. */
  public static final String FAULT_CHAIN = "MERIDIAN-FAULTS";

  /** The name of each host's interface inside its namespace. */
  public static final String HOST_INTERFACE = "eth0";

  private static final Logger logger = LoggerFactory.getLogger(NetworkLab.class);
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,9}");
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
  private static final String SWITCH = "switch";
  private static final String ROOT = "root";
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration LINKS_UP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  static final Path LOCK_DIRECTORY = Path.of("/run/meridian-netlab");
  static final String PROBE_NAMESPACE_PREFIX = "_meridian-netlab-probe-";
  private static final Pattern STATE_UP = Pattern.compile("\\bstate UP\\b");

  private final String prefix;
  private final Ipv4Subnet subnet;
  private final Tools tools;
  private final PrefixLock lock;
  private final Host root;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> rootLinks = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private NetworkLab(String prefix, Ipv4Subnet subnet, Tools tools, PrefixLock lock) {
    this.prefix = prefix;
    this.subnet = subnet;
    this.tools = tools;
    this.lock = lock;
    this.root = new Host(ROOT, Optional.empty(), subnet.address(1), tools.ip());
    this.shutdownHook = new Thread(this::closeAtExit, "network-lab-" + prefix + "-cleanup");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** {@link #create(String, List, Ipv4Subnet)} on {@link #DEFAULT_SUBNET}. */
  public static NetworkLab create(String prefix, List<String> hostNames) {
    return create(prefix, hostNames, DEFAULT_SUBNET);
  }

  /**
   * Removes what a dead lab of this prefix left, then creates the namespaces, links and fault
   * chains of a new one and waits until every link is up. On failure, removes what it had created
   * before throwing.
   *
   * @param prefix 1 to 10 lower-case letters and digits, e.g. {@code mlab}
   * @param hostNames distinct names of lower-case letters, digits and inner {@code -}, e.g. {@code
   *     eu-west}; not {@code switch} or {@code root}
   * @param subnet the lab's network; it must not be in use in the root namespace
   * @throws IllegalStateException if the lab is {@linkplain #availability() unavailable} here or a
   *     live lab holds the prefix
   */
  public static NetworkLab create(String prefix, List<String> hostNames, Ipv4Subnet subnet) {
    return create(prefix, hostNames, subnet, step -> {});
  }

  /** Where creation got to; lets a test make it fail halfway. */
  interface Steps {
    void completed(String step);
  }

  static NetworkLab create(String prefix, List<String> hostNames, Ipv4Subnet subnet, Steps steps) {
    validate(prefix, hostNames, subnet);
    Availability availability = availability();
    if (!availability.available()) {
      throw new IllegalStateException("cannot create a network lab: " + availability.reason());
    }
    Tools tools = Tools.find().orElseThrow();
    PrefixLock lock = PrefixLock.acquire(prefix);
    NetworkLab lab;
    try {
      lab = new NetworkLab(prefix, subnet, tools, lock);
    } catch (RuntimeException | Error e) {
      lock.release();
      throw e;
    }
    try {
      lab.build(hostNames, steps);
      return lab;
    } catch (RuntimeException | Error e) {
      try {
        lab.close();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * Deletes the namespaces and root-namespace links that a lab of this prefix left behind when its
   * JVM died, killing processes still running in those namespaces.
   *
   * @return what was removed, e.g. {@code namespace mlab-a}
   * @throws IllegalStateException if a live lab holds the prefix
   */
  public static List<String> removeLeftovers(String prefix) {
    requirePrefix(prefix);
    Tools tools =
        Tools.find().orElseThrow(() -> new IllegalStateException(availability().reason()));
    PrefixLock lock = PrefixLock.acquire(prefix);
    try {
      return removeLeftovers(tools, prefix);
    } finally {
      lock.release();
    }
  }

  /**
   * Whether a lab can run here, and if not why: not Linux, not root, {@code ip} or {@code iptables}
   * missing, or the kernel refusing a namespace, veth, bridge or iptables chain (checked by making
   * and deleting a throwaway namespace). Checked once per JVM.
   */
  public static Availability availability() {
    return AvailabilityHolder.AVAILABILITY;
  }

  /**
   * Whether this environment requires the lab to run, so that a test must fail rather than abort
   * when it is {@linkplain #availability() unavailable}: true when the {@code CI} environment
   * variable is set to anything but empty, {@code false} or {@code 0} ({@code .ci/run} runs with
   * {@code CI=true}).
   */
  public static boolean requiredHere() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  /** Whether a lab can run here, and if not, why. */
  public record Availability(boolean available, String reason) {
    static Availability yes() {
      return new Availability(true, "available");
    }

    static Availability no(String reason) {
      return new Availability(false, reason);
    }
  }

  /** The prefix of every name the lab made. */
  public String prefix() {
    return prefix;
  }

  /** The lab's network. */
  public Ipv4Subnet subnet() {
    return subnet;
  }

  /** The root namespace's end of the lab (address number 1), where the test JVM is. */
  public Host root() {
    return root;
  }

  /** The host called {@code name}. */
  public Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " in this lab: " + hosts.keySet());
    }
    return host;
  }

  /** The hosts, in the order they were given. */
  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** The namespace that holds the bridge. */
  public String switchNamespace() {
    return prefix + "-" + SWITCH;
  }

  /** The root namespace's interface to the lab, e.g. {@code mlab-root}. */
  public String rootInterface() {
    return prefix + "-" + ROOT;
  }

  /** Drops every packet between {@code a} and {@code b}, both ways. */
  public synchronized Fault blackhole(Host a, Host b) {
    requireOpen();
    requirePair(a, b);
    List<Fault.Rule> rules = new ArrayList<>();
    rules.add(dropPath(a, b));
    rules.add(dropPath(b, a));
    return apply("blackhole " + a.name() + " <-> " + b.name(), Set.of(a, b), rules);
  }

  /**
   * Drops the packets {@code from} sends to {@code to}; those {@code to} sends to {@code from} are
   * still delivered. Note that this breaks TCP both ways: a connection {@code to} opens to {@code
   * from} gets its SYN through but not the answer. The one-way-ness shows with datagrams, and with
   * protocols (like gossip) that send and answer on separate paths.
   */
  public synchronized Fault dropOneWay(Host from, Host to) {
    requireOpen();
    requirePair(from, to);
    return apply(
        "drop " + from.name() + " -> " + to.name(), Set.of(from, to), List.of(dropPath(from, to)));
  }

  /**
   * Cuts {@code host} off from every other end of the lab, the root's included, both ways: a region
   * gone dark. Its own loopback traffic still flows. Healed by {@link Fault#heal()} or {@link
   * #healAll()}, not {@link #heal(Host, Host)}.
   */
  public synchronized Fault isolate(Host host) {
    requireOpen();
    requireMine(host);
    if (host.isRoot()) {
      throw new IllegalArgumentException(
          "the root end cannot be isolated: its chains are not ours");
    }
    List<Fault.Rule> rules = new ArrayList<>();
    List<Host> everyone = new ArrayList<>(hosts.values());
    everyone.add(root);
    for (Host other : everyone) {
      if (other != host) {
        rules.add(dropPath(host, other));
        rules.add(dropPath(other, host));
      }
    }
    return apply("isolate " + host.name(), Set.of(host), rules);
  }

  /**
   * Heals every {@link #blackhole} and {@link #dropOneWay} between {@code a} and {@code b}, in
   * either direction.
   */
  public synchronized void heal(Host a, Host b) {
    requireOpen();
    requirePair(a, b);
    for (Fault fault : List.copyOf(faults)) {
      if (fault.endpoints().equals(Set.of(a, b))) {
        heal(fault);
      }
    }
  }

  /** Removes every fault: flushes the fault chain of every host namespace. */
  public synchronized void healAll() {
    requireOpen();
    for (Host host : hosts.values()) {
      iptables(host.namespace(), "-F", FAULT_CHAIN);
    }
    faults.forEach(Fault::deactivate);
    faults.clear();
  }

  /** The faults in force, oldest first. */
  public synchronized List<Fault> activeFaults() {
    return List.copyOf(faults);
  }

  synchronized void heal(Fault fault) {
    if (!faults.contains(fault)) {
      return;
    }
    requireOpen();
    List<Fault.Rule> rules = new ArrayList<>(fault.rules());
    Collections.reverse(rules);
    for (Fault.Rule rule : rules) {
      iptablesRule(rule, "-D");
    }
    fault.deactivate();
    faults.remove(fault);
  }

  /**
   * Kills what still runs in the lab's namespaces, deletes them (with their interfaces and rules)
   * and the root link, and releases the prefix. Idempotent; tries every step and then throws the
   * first failure, the others suppressed.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      faults.forEach(Fault::deactivate);
      faults.clear();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting; the hook is what called us, or will find us closed.
    }
    List<RuntimeException> failures = new ArrayList<>();
    // The root link first, deleted by name: deleting the switch namespace would remove it too, but
    // only later, asynchronously.
    for (String link : rootLinks) {
      attempt(failures, () -> deleteLink(tools, link));
    }
    List<String> reversed = new ArrayList<>(namespaces);
    Collections.reverse(reversed);
    for (String namespace : reversed) {
      attempt(failures, () -> deleteNamespace(tools, namespace));
    }
    attempt(failures, lock::release);
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  @Override
  public String toString() {
    return "network lab " + prefix + " " + subnet + " " + hosts.values();
  }

  // ---- creation ----

  private void build(List<String> hostNames, Steps steps) {
    List<String> removed = removeLeftovers(tools, prefix);
    if (!removed.isEmpty()) {
      logger
          .atInfo()
          .addKeyValue("lab", prefix)
          .addKeyValue("removed", String.valueOf(removed))
          .log("removed what an earlier lab left");
    }
    requireSubnetFree();
    String sw = switchNamespace();
    String bridge = prefix + "-br";
    addNamespace(sw);
    ip("-n", sw, "link", "add", bridge, "type", "bridge");
    ip("-n", sw, "link", "set", bridge, "up");
    rootLinks.add(rootInterface());
    ip("link", "add", rootInterface(), "type", "veth", "peer", "name", port(0), "netns", sw);
    ip("addr", "add", subnet.withPrefix(root.address()), "dev", rootInterface());
    ip("link", "set", rootInterface(), "up");
    ip("-n", sw, "link", "set", port(0), "master", bridge, "up");
    steps.completed(ROOT);
    for (String name : hostNames) {
      int number = hosts.size() + 1;
      String namespace = prefix + "-" + name;
      Host host = new Host(name, Optional.of(namespace), subnet.address(number + 1), tools.ip());
      addNamespace(namespace);
      hosts.put(name, host);
      ip("-n", namespace, "link", "set", "lo", "up");
      // Created straight into the two namespaces: no name is ever taken in the root's.
      ip(
          "link",
          "add",
          HOST_INTERFACE,
          "netns",
          namespace,
          "type",
          "veth",
          "peer",
          "name",
          port(number),
          "netns",
          sw);
      ip("-n", namespace, "addr", "add", subnet.withPrefix(host.address()), "dev", HOST_INTERFACE);
      ip("-n", namespace, "link", "set", HOST_INTERFACE, "up");
      ip("-n", sw, "link", "set", port(number), "master", bridge, "up");
      iptables(namespace, "-N", FAULT_CHAIN);
      iptables(namespace, "-I", "INPUT", "1", "-j", FAULT_CHAIN);
      iptables(namespace, "-I", "OUTPUT", "1", "-j", FAULT_CHAIN);
      steps.completed(name);
    }
    awaitLinksUp();
  }

  private static void validate(String prefix, List<String> hostNames, Ipv4Subnet subnet) {
    requirePrefix(prefix);
    if (hostNames.isEmpty()) {
      throw new IllegalArgumentException("a network lab needs at least one host");
    }
    Set<String> seen = new HashSet<>();
    for (String name : hostNames) {
      if (!HOST_NAME.matcher(name).matches() || name.equals(SWITCH) || name.equals(ROOT)) {
        throw new IllegalArgumentException(
            "host name "
                + name
                + " must be 1 to 40 lower-case letters, digits and inner '-', and not "
                + SWITCH
                + " or "
                + ROOT);
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("host " + name + " given twice");
      }
    }
    // Address 1 is the root's, and port names end in at most three digits.
    int capacity = Math.min(subnet.usableAddresses() - 1, 999);
    if (hostNames.size() > capacity) {
      throw new IllegalArgumentException(
          subnet + " has room for " + capacity + " hosts, not " + hostNames.size());
    }
  }

  private static void requirePrefix(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "lab prefix "
              + prefix
              + " must be 1 to 10 lower-case letters and digits, first a letter");
    }
  }

  private void requireSubnetFree() {
    String addresses = ip("-o", "-4", "addr", "show");
    Matcher inet =
        Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+([\\d.]+)/", Pattern.MULTILINE)
            .matcher(addresses);
    while (inet.find()) {
      Inet4Address address = ipv4(inet.group(2));
      if (subnet.contains(address)) {
        throw new IllegalStateException(
            "subnet "
                + subnet
                + " is already in use in the root namespace: "
                + inet.group(2)
                + " on "
                + inet.group(1)
                + " (another lab with a different prefix? pass another subnet)");
      }
    }
    // Routes to anything inside the subnet, in any table: another network already uses it.
    String routes = ip("-4", "route", "show", "table", "all", "root", subnet.toString());
    if (!routes.isBlank()) {
      throw new IllegalStateException(
          "subnet " + subnet + " is already routed in the root namespace:\n" + routes.strip());
    }
  }

  private void addNamespace(String namespace) {
    namespaces.add(namespace); // before: a command killed at its time limit may still have made it
    ip("netns", "add", namespace);
  }

  private String port(int number) {
    return prefix + "-p" + number;
  }

  /** Waits until every veth end is up: until then the kernel may drop the first packets sent. */
  private void awaitLinksUp() {
    long deadline = System.nanoTime() + LINKS_UP_TIMEOUT.toNanos();
    while (true) {
      List<String> down = linksNotUp();
      if (down.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "links still not up after " + LINKS_UP_TIMEOUT.toSeconds() + " s: " + down);
      }
      // Polling a condition, with a deadline; the kernel gives no event to wait on from here.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private List<String> linksNotUp() {
    List<String> down = new ArrayList<>();
    if (!STATE_UP.matcher(ip("-o", "link", "show", "dev", rootInterface())).find()) {
      down.add(rootInterface());
    }
    String ports = ip("-n", switchNamespace(), "-o", "link", "show");
    for (int number = 0; number <= hosts.size(); number++) {
      Matcher line =
          Pattern.compile("^\\d+: " + Pattern.quote(port(number)) + "@.*$", Pattern.MULTILINE)
              .matcher(ports);
      if (!line.find() || !STATE_UP.matcher(line.group()).find()) {
        down.add(switchNamespace() + "/" + port(number));
      }
    }
    for (Host host : hosts.values()) {
      String link = ip("-n", host.namespace(), "-o", "link", "show", "dev", HOST_INTERFACE);
      if (!STATE_UP.matcher(link).find()) {
        down.add(host.namespace() + "/" + HOST_INTERFACE);
      }
    }
    return down;
  }

  // ---- faults ----

  /**
   * The rule that drops what {@code from} sends to {@code to}: at the receiving end, on its way in,
   * so the sender notices nothing, as across a real partition. The root namespace's chains are not
   * ours, so what goes to the root end is dropped on its way out of the sender instead, where the
   * kernel tells a datagram's sender ({@code EPERM}; TCP just retransmits).
   */
  private static Fault.Rule dropPath(Host from, Host to) {
    if (to.isRoot()) {
      return new Fault.Rule(from.namespace(), List.of("-d", to.ip() + "/32", "-j", "DROP"));
    }
    // In the receiver's chain a source match can only hit on INPUT: its OUTPUT has its own source.
    return new Fault.Rule(to.namespace(), List.of("-s", from.ip() + "/32", "-j", "DROP"));
  }

  private Fault apply(String description, Set<Host> endpoints, List<Fault.Rule> rules) {
    List<Fault.Rule> applied = new ArrayList<>();
    try {
      for (Fault.Rule rule : rules) {
        iptablesRule(rule, "-A");
        applied.add(rule);
      }
    } catch (RuntimeException e) {
      Collections.reverse(applied);
      for (Fault.Rule rule : applied) {
        try {
          iptablesRule(rule, "-D");
        } catch (RuntimeException undo) {
          e.addSuppressed(undo);
        }
      }
      throw e;
    }
    Fault fault = new Fault(this, description, endpoints, rules);
    faults.add(fault);
    return fault;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private void requireMine(Host host) {
    if (host != root && hosts.get(host.name()) != host) {
      throw new IllegalArgumentException(host + " is not a host of " + this);
    }
  }

  private void requirePair(Host a, Host b) {
    requireMine(a);
    requireMine(b);
    if (a == b) {
      throw new IllegalArgumentException("a fault needs two different hosts, not " + a + " twice");
    }
  }

  // ---- commands ----

  private String ip(String... arguments) {
    return ExternalCommand.check(COMMAND_TIMEOUT, tools.ipCommand(arguments));
  }

  private void iptables(String namespace, String... arguments) {
    ExternalCommand.check(COMMAND_TIMEOUT, tools.iptablesIn(namespace, List.of(arguments)));
  }

  private void iptablesRule(Fault.Rule rule, String operation) {
    List<String> arguments = new ArrayList<>(List.of(operation, FAULT_CHAIN));
    arguments.addAll(rule.spec());
    ExternalCommand.check(COMMAND_TIMEOUT, tools.iptablesIn(rule.namespace(), arguments));
  }

  private static List<String> removeLeftovers(Tools tools, String prefix) {
    List<String> removed = new ArrayList<>();
    String mine = prefix + "-";
    String links = ExternalCommand.check(COMMAND_TIMEOUT, tools.ipCommand("-o", "link", "show"));
    Matcher name = Pattern.compile("^\\d+: ([^:@\\s]+)[@:]", Pattern.MULTILINE).matcher(links);
    while (name.find()) {
      if (name.group(1).startsWith(mine)) {
        deleteLink(tools, name.group(1));
        removed.add("link " + name.group(1));
      }
    }
    for (String namespace : namespaceNames(tools)) {
      if (namespace.startsWith(mine)) {
        deleteNamespace(tools, namespace);
        removed.add("namespace " + namespace);
      }
    }
    return removed;
  }

  private static List<String> namespaceNames(Tools tools) {
    return ExternalCommand.check(COMMAND_TIMEOUT, tools.ipCommand("netns", "list"))
        .lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty())
        .map(line -> line.split("\\s+", 2)[0]) // "name (id: 3)"
        .collect(Collectors.toList());
  }

  private static void deleteLink(Tools tools, String link) {
    ExternalCommand.Result result =
        ExternalCommand.run(COMMAND_TIMEOUT, tools.ipCommand("link", "del", link));
    if (!result.succeeded() && !result.output().contains("Cannot find device")) {
      result.requireSuccess();
    }
  }

  private static void deleteNamespace(Tools tools, String namespace) {
    if (!namespaceNames(tools).contains(namespace)) {
      return;
    }
    killProcessesIn(tools, namespace);
    ExternalCommand.check(COMMAND_TIMEOUT, tools.ipCommand("netns", "del", namespace));
  }

  private static void killProcessesIn(Tools tools, String namespace) {
    List<ProcessHandle> processes =
        ExternalCommand.check(COMMAND_TIMEOUT, tools.ipCommand("netns", "pids", namespace))
            .lines()
            .map(String::strip)
            .filter(line -> line.matches("\\d+"))
            .map(Long::parseLong)
            .filter(pid -> pid != ProcessHandle.current().pid())
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .collect(Collectors.toList());
    if (processes.isEmpty()) {
      return;
    }
    logger
        .atInfo()
        .addKeyValue("namespace", namespace)
        .addKeyValue("pids", String.valueOf(processes))
        .log("killing what still runs in the namespace");
    processes.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "pid " + process.pid() + " in " + namespace + " survived SIGKILL for " + KILL_TIMEOUT);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while killing processes in " + namespace);
      }
    }
  }

  private static void attempt(List<RuntimeException> failures, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      failures.add(e);
    }
  }

  private void closeAtExit() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("could not remove " + this + " at exit: " + e);
    }
  }

  private static Inet4Address ipv4(String text) {
    try {
      return (Inet4Address) InetAddress.getByName(text);
    } catch (UnknownHostException | ClassCastException e) {
      throw new IllegalStateException("ip printed an IPv4 address it cannot be: " + text, e);
    }
  }
}
