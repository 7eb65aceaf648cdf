package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.AgentConfigLoader;
import dev.meridian.controller.ControllerConfig;
import dev.meridian.controller.ControllerConfigFile;
import dev.meridian.core.Durations;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.GatewayConfigLoader;
import dev.meridian.registry.MeridianLayout;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files under {@code deploy/} (compose, kubernetes, consul-acl): they parse, agree
 * with one another, and every Meridian config among them loads through its role's real loader, so
 * they cannot drift from the code. Nothing here runs a container, a cluster or a real Consul.
 */
class DeploymentFilesTest {
  private static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  private static final Path COMPOSE = DEPLOY.resolve("compose");
  private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  private static final Path ACL = DEPLOY.resolve("consul-acl");
  private static final Path MODELS = DEPLOY.resolve("src/main/resources/models");

  /**
   * Compose and Kubernetes both mount the configs at /etc/meridian/config and the models beside
   * them at /etc/meridian/models, so agents name models as {@code ../models/...}; resolving from
   * this (absent) directory finds the same files in the source tree.
   */
  private static final Path CONFIG_DIR = MODELS.resolveSibling("config");

  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "MERIDIAN_CONSUL_TOKEN", "consul-token-for-tests",
          "MERIDIAN_ADMIN_TOKEN", "admin-token-for-tests");

  @TempDir Path tmp;

  /** A Meridian role, told by its config file's name. */
  private enum Role {
    GATEWAY,
    AGENT,
    CONTROLLER;

    static Role of(String fileName) {
      if (fileName.startsWith("gateway")) {
        return GATEWAY;
      }
      if (fileName.startsWith("agent-")) {
        return AGENT;
      }
      if (fileName.contains("controller-")) {
        return CONTROLLER;
      }
      throw new AssertionError(fileName + ": not a gateway, agent-* or *controller-* config");
    }
  }

  /** A Meridian config: a file beside compose.yaml, or a file in a Kubernetes ConfigMap. */
  private record MeridianConfig(String source, String fileName, String yaml) {
    Role role() {
      return Role.of(fileName);
    }

    Map<String, Object> tree() {
      return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    }
  }

  // ---- everything parses ----

  @Test
  void everyYamlFileParses() throws IOException {
    List<Path> files = yamlFiles(COMPOSE);
    files.addAll(yamlFiles(KUBERNETES));
    assertThat(files).hasSizeGreaterThanOrEqualTo(12);
    for (Path file : files) {
      assertThat(documents(file)).as(file.toString()).isNotEmpty();
    }
  }

  // ---- Meridian configs, through the real loaders ----

  @Test
  void everyConfigLoadsAsWritten() throws IOException {
    for (MeridianConfig config : meridianConfigs()) {
      load(config, config.tree());
    }
  }

  private void load(MeridianConfig config, Map<String, Object> tree) throws IOException {
    String source = config.source();
    switch (config.role()) {
      case GATEWAY -> {
        GatewayConfig gateway =
            GatewayConfigLoader.load(ConfigNode.of(source, tree), ENVIRONMENT::get);
        assertThat(gateway.regions()).as(source).contains(gateway.region());
        assertThat(gateway.listen().host()).as(source).isEqualTo("0.0.0.0");
        assertThat(gateway.listen().advertiseHost()).as(source).isNotEqualTo("0.0.0.0");
      }
      case AGENT -> {
        AgentConfig agent =
            AgentConfigLoader.parse(ConfigNode.of(source, tree), CONFIG_DIR, ENVIRONMENT::get);
        assertThat(agent.models()).as(source).isNotEmpty();
        assertThat(agent.faultsEnabled()).as(source).isFalse();
        assertThat(agent.metrics().host()).as(source).isEqualTo("0.0.0.0");
        assertThat(agent.replicas().advertiseHost()).as(source).isNotEqualTo("0.0.0.0");
      }
      case CONTROLLER -> {
        Path file = Files.createTempDirectory(tmp, "controller").resolve(config.fileName());
        Files.writeString(file, new Yaml().dump(tree), StandardCharsets.UTF_8);
        ControllerConfig controller = ControllerConfigFile.load(file, ENVIRONMENT);
        assertThat(controller.admin().host()).as(source).isEqualTo("0.0.0.0");
        assertThat(controller.admin().advertiseHost()).as(source).isNotEqualTo("0.0.0.0");
        assertThat(controller.auth().sharedToken()).as(source).hasValue("admin-token-for-tests");
      }
    }
  }

  @Test
  void everyConfigNamesItsConsulTokenVariable() throws IOException {
    for (MeridianConfig config : meridianConfigs()) {
      assertThat(at(config.tree(), "consul", "token-env"))
          .as(config.source())
          .isEqualTo("MERIDIAN_CONSUL_TOKEN");
    }
  }

  // ---- compose ----

  @Test
  void composeServicesMountConfigsThatExistAndUseEveryOne() throws IOException {
    Map<String, Object> compose = compose();
    Map<String, Object> services = map(compose.get("services"));
    Set<String> namedVolumes = map(compose.get("volumes")).keySet();
    Set<Path> used = new TreeSet<>();
    for (Map.Entry<String, Object> service : services.entrySet()) {
      String name = service.getKey();
      Map<String, Object> definition = map(service.getValue());
      for (Object volume : list(definition.getOrDefault("volumes", List.of()))) {
        String source = ((String) volume).split(":")[0];
        if (source.startsWith(".")) {
          assertThat(COMPOSE.resolve(source).normalize()).as(name + ": " + volume).exists();
        } else {
          assertThat(namedVolumes).as(name + ": " + volume).contains(source);
        }
      }
      configFile(definition).ifPresent(used::add);
    }
    try (Stream<Path> files = Files.list(COMPOSE.resolve("config"))) {
      assertThat(used).containsExactlyInAnyOrderElementsOf(files.map(Path::normalize).toList());
    }
  }

  @Test
  void composeConfigsAdvertiseTheirServiceAndTalkToTheirRegionsConsul() throws IOException {
    Map<String, Object> services = map(compose().get("services"));
    int meridianServices = 0;
    for (Map.Entry<String, Object> service : services.entrySet()) {
      Map<String, Object> definition = map(service.getValue());
      Optional<Path> file = configFile(definition);
      if (file.isEmpty()) {
        continue;
      }
      meridianServices++;
      String name = service.getKey();
      Map<String, Object> config = map(documents(file.get()).get(0));
      assertThat(definition.get("hostname")).as(name).isEqualTo(name);
      for (String listener : List.of("listen", "metrics", "admin", "replicas")) {
        if (config.containsKey(listener) && map(config.get(listener)).containsKey("host")) {
          assertThat(at(config, listener, "host")).as(name + " " + listener).isEqualTo("0.0.0.0");
          assertThat(at(config, listener, "advertise-host"))
              .as(name + " " + listener)
              .isEqualTo(name);
        }
      }
      String consul = (String) at(config, "consul", "host");
      String datacenter = (String) config.getOrDefault("control-datacenter", config.get("region"));
      assertThat(list(at(services, consul, "command")))
          .as(name + " talks to " + consul)
          .contains("-datacenter=" + datacenter);
      assertThat(map(definition.get("environment")))
          .as(name)
          .containsKey((String) at(config, "consul", "token-env"));
    }
    assertThat(meridianServices).isEqualTo(5);
  }

  @Test
  void composeGatewayStopsAfterItsDrainPeriod() throws IOException {
    Map<String, Object> gateway = map(at(compose(), "services", "gateway"));
    Duration drain = drainPeriod(configFile(gateway).orElseThrow());
    assertThat(duration((String) gateway.get("stop_grace_period"))).isGreaterThan(drain);
  }

  // ---- Kubernetes ----

  @Test
  void kubernetesDocumentsAreNamedAndAllListedInTheKustomization() throws IOException {
    Set<String> manifests = new TreeSet<>();
    for (Path file : yamlFiles(KUBERNETES)) {
      if (file.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      manifests.add(file.getFileName().toString());
      for (Object document : documents(file)) {
        Map<String, Object> resource = map(document);
        String where = file.getFileName() + ": " + resource.get("kind");
        assertThat(resource.get("apiVersion")).as(where).isInstanceOf(String.class);
        assertThat(resource.get("kind")).as(where).isInstanceOf(String.class);
        assertThat((String) at(resource, "metadata", "name")).as(where).isNotBlank();
        if (!resource.get("kind").equals("Namespace")) {
          assertThat(at(resource, "metadata", "namespace")).as(where).isEqualTo("meridian");
        }
      }
    }
    Map<String, Object> kustomization =
        map(documents(KUBERNETES.resolve("kustomization.yaml")).get(0));
    assertThat(list(kustomization.get("resources"))).containsExactlyInAnyOrderElementsOf(manifests);
  }

  @Test
  void kubernetesGatewaySleepsLongerThanItsDrainPeriodAndHasTimeForBoth() throws IOException {
    Map<String, Object> pod = podSpec("Deployment", "meridian-gateway");
    Map<String, Object> gateway = container(pod, "gateway");
    List<Object> preStop = list(at(gateway, "lifecycle", "preStop", "exec", "command"));
    assertThat(preStop).hasSize(2).startsWith("sleep");
    Duration sleep = Duration.ofSeconds(Long.parseLong((String) preStop.get(1)));
    Duration drain = duration((String) kubernetesConfig("gateway.yaml").get("drain-period"));
    Duration grace =
        Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue());
    assertThat(sleep).isGreaterThan(drain);
    assertThat(grace).isGreaterThan(sleep.plus(drain));
  }

  @Test
  void kubernetesGatewayProbesAskGrpcHealthOnTheListenPort() throws IOException {
    Map<String, Object> gateway = container(podSpec("Deployment", "meridian-gateway"), "gateway");
    Object port = at(kubernetesConfig("gateway.yaml"), "listen", "port");
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(at(gateway, probe, "grpc", "port")).as(probe).isEqualTo(port);
    }
    assertThat(list(gateway.get("ports")))
        .anySatisfy(p -> assertThat(map(p)).containsEntry("containerPort", port));
    assertThat(kubernetesResource("PodDisruptionBudget", "meridian-gateway")).isNotNull();
  }

  @Test
  void kubernetesWorkloadsStartWithConfigsTheirConfigMapsHold() throws IOException {
    Map<String, String> starts =
        Map.of(
            "meridian-gateway", "gateway",
            "meridian-agent-eu-west", "region-agent",
            "meridian-agent-us-east", "region-agent",
            "meridian-controller", "controller");
    for (Map.Entry<String, String> workload : starts.entrySet()) {
      Map<String, Object> resource = workload(workload.getKey());
      Map<String, Object> pod = map(at(resource, "spec", "template", "spec"));
      Map<String, Object> container = container(pod, workload.getValue());
      List<Object> args = list(container.get("args"));
      assertThat(args.get(0)).isEqualTo(workload.getValue());
      String config = (String) args.get(args.indexOf("--config") + 1);
      Map<String, Object> configMap = mountedConfigMap(pod, container, config);
      int replicas = ((Number) at(resource, "spec", "replicas")).intValue();
      for (int i = 0; i < replicas; i++) {
        String file =
            Path.of(config.replace("$(POD_NAME)", workload.getKey() + "-" + i))
                .getFileName()
                .toString();
        assertThat(map(configMap.get("data"))).as(workload.getKey()).containsKey(file);
      }
    }
  }

  @Test
  void kubernetesAgentsJoinTheirRegionsConsulAndAdvertiseTheirPod() throws IOException {
    for (String region : List.of("eu-west", "us-east")) {
      String name = "meridian-agent-" + region;
      Map<String, Object> pod = podSpec("StatefulSet", name);
      Map<String, Object> consul = map(list(pod.get("initContainers")).get(0));
      assertThat(consul.get("restartPolicy")).isEqualTo("Always");
      assertThat(list(consul.get("args")))
          .contains("-datacenter=" + region, "-client=127.0.0.1")
          .anySatisfy(arg -> assertThat(arg).isEqualTo("-retry-join=" + consulServer(region)));
      Map<String, Object> config = kubernetesConfig("agent-" + region + ".yaml");
      assertThat(config.get("region")).isEqualTo(region);
      assertThat(at(config, "consul", "host")).isEqualTo("127.0.0.1");
      assertThat(at(config, "replicas", "advertise-host"))
          .isEqualTo(name + "-0." + name + ".meridian.svc.cluster.local");
      assertThat(at(kubernetesResource("Service", name), "spec", "clusterIP")).isEqualTo("None");
    }
    assertThat(at(kubernetesConfig("gateway.yaml"), "consul", "host"))
        .isEqualTo(consulServer("eu-west"));
  }

  @Test
  void kubernetesModelsAreTheDemosModels() throws IOException {
    Map<String, Object> configMap = kubernetesResource("ConfigMap", "meridian-models");
    Map<String, Object> text = map(configMap.get("data"));
    Map<String, Object> binary = map(configMap.get("binaryData"));
    try (Stream<Path> models = Files.list(MODELS)) {
      List<Path> files = models.toList();
      assertThat(Stream.concat(text.keySet().stream(), binary.keySet().stream()))
          .containsExactlyInAnyOrderElementsOf(
              files.stream().map(file -> file.getFileName().toString()).toList());
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
          assertThat(JsonParser.parseString((String) text.get(name)))
              .as(name)
              .isEqualTo(JsonParser.parseString(Files.readString(file)));
        } else {
          // A ConfigMap's data is text; binary files, such as ONNX models, are base64 binaryData.
          assertThat(Base64.getDecoder().decode((String) binary.get(name)))
              .as(name)
              .isEqualTo(Files.readAllBytes(file));
        }
      }
    }
  }

  // ---- Consul ACL policies ----

  @Test
  void aclPoliciesGrantEachRoleWhatItUsesAndNothingMore() throws IOException {
    String replicas = MeridianLayout.REPLICA_SERVICE;
    String routing = MeridianLayout.ROUTING_PREFIX;
    Map<String, JsonObject> expected = new LinkedHashMap<>();
    expected.put("region-agent.json", rules("service", replicas, "write"));
    expected.put(
        "failover-controller.json",
        rules(
            "service",
            replicas,
            "read",
            "node_prefix",
            "",
            "read",
            "key_prefix",
            routing,
            "write",
            "key_prefix",
            MeridianLayout.DRAIN_PREFIX,
            "read",
            "key_prefix",
            MeridianLayout.LOAD_PREFIX,
            "read",
            "key",
            MeridianLayout.DRAINS_KEY,
            "write",
            "key",
            MeridianLayout.EPOCH_KEY,
            "write",
            "key",
            MeridianLayout.LEADER_KEY,
            "write",
            "session_prefix",
            "",
            "write"));
    expected.put(
        "gateway.json",
        rules(
            "service",
            replicas,
            "read",
            "node_prefix",
            "",
            "read",
            "key_prefix",
            routing,
            "read",
            "key_prefix",
            MeridianLayout.LOAD_PREFIX,
            "write"));
    expected.put(
        "consul-client-agent.json",
        rules("node_prefix", "meridian-", "write", "service_prefix", "", "read"));
    String apply = Files.readString(ACL.resolve("apply.sh"));
    try (Stream<Path> files = Files.list(ACL)) {
      assertThat(files.map(file -> file.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
    }
    for (Map.Entry<String, JsonObject> policy : expected.entrySet()) {
      JsonElement actual = JsonParser.parseString(Files.readString(ACL.resolve(policy.getKey())));
      assertThat(actual).as(policy.getKey()).isEqualTo(policy.getValue());
      assertThat(apply).as("apply.sh applies " + policy.getKey()).contains(policy.getKey());
    }
  }

  /** Builds Consul rules from (section, segment, policy) triples. */
  private static JsonObject rules(String... triples) {
    JsonObject rules = new JsonObject();
    for (int i = 0; i < triples.length; i += 3) {
      if (!rules.has(triples[i])) {
        rules.add(triples[i], new JsonObject());
      }
      JsonObject policy = new JsonObject();
      policy.addProperty("policy", triples[i + 2]);
      rules.getAsJsonObject(triples[i]).add(triples[i + 1], policy);
    }
    return rules;
  }

  // ---- reading the files ----

  private static String consulServer(String region) {
    return "consul-server.consul-" + region + ".svc.cluster.local";
  }

  private static List<MeridianConfig> meridianConfigs() throws IOException {
    List<MeridianConfig> configs = new ArrayList<>();
    for (Path file : yamlFiles(COMPOSE.resolve("config"))) {
      configs.add(
          new MeridianConfig(
              DEPLOY.relativize(file).toString(),
              file.getFileName().toString(),
              Files.readString(file)));
    }
    for (Map<String, Object> configMap : kubernetesResources("ConfigMap")) {
      Map<String, Object> data = map(configMap.get("data"));
      for (Map.Entry<String, Object> entry : data.entrySet()) {
        if (entry.getKey().endsWith(".yaml")) {
          configs.add(
              new MeridianConfig(
                  "ConfigMap " + at(configMap, "metadata", "name") + " " + entry.getKey(),
                  entry.getKey(),
                  (String) entry.getValue()));
        }
      }
    }
    assertThat(configs).hasSize(10);
    return configs;
  }

  private static Map<String, Object> kubernetesConfig(String fileName) throws IOException {
    return meridianConfigs().stream()
        .filter(config -> config.source().startsWith("ConfigMap "))
        .filter(config -> config.fileName().equals(fileName))
        .findFirst()
        .orElseThrow()
        .tree();
  }

  private static Map<String, Object> compose() throws IOException {
    return map(documents(COMPOSE.resolve("compose.yaml")).get(0));
  }

  /** The config file a compose service starts with, through its bind mounts, if it has one. */
  private static Optional<Path> configFile(Map<String, Object> service) {
    List<Object> command = list(service.getOrDefault("command", List.of()));
    int flag = command.indexOf("--config");
    if (flag < 0) {
      return Optional.empty();
    }
    String inContainer = (String) command.get(flag + 1);
    for (Object volume : list(service.getOrDefault("volumes", List.of()))) {
      String[] parts = ((String) volume).split(":");
      if (parts[0].startsWith(".") && inContainer.startsWith(parts[1] + "/")) {
        Path file = COMPOSE.resolve(parts[0]).resolve(inContainer.substring(parts[1].length() + 1));
        assertThat(file).as(inContainer).isRegularFile();
        return Optional.of(file.normalize());
      }
    }
    throw new AssertionError(inContainer + ": in no bind mount of " + service.get("hostname"));
  }

  private static Duration drainPeriod(Path gatewayConfig) throws IOException {
    return duration((String) map(documents(gatewayConfig).get(0)).get("drain-period"));
  }

  /** Parses a duration as Meridian's configs write them ({@code 5s}, {@code 250ms}). */
  private static Duration duration(String text) {
    return Durations.parse(text);
  }

  private static List<Map<String, Object>> kubernetesResources(String kind) throws IOException {
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Path file : yamlFiles(KUBERNETES)) {
      for (Object document : documents(file)) {
        if (kind.equals(map(document).get("kind"))) {
          resources.add(map(document));
        }
      }
    }
    return resources;
  }

  private static Map<String, Object> kubernetesResource(String kind, String name)
      throws IOException {
    return kubernetesResources(kind).stream()
        .filter(resource -> name.equals(at(resource, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static Map<String, Object> workload(String name) throws IOException {
    List<Map<String, Object>> workloads = new ArrayList<>(kubernetesResources("Deployment"));
    workloads.addAll(kubernetesResources("StatefulSet"));
    return workloads.stream()
        .filter(resource -> name.equals(at(resource, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + name));
  }

  private static Map<String, Object> podSpec(String kind, String name) throws IOException {
    return map(at(kubernetesResource(kind, name), "spec", "template", "spec"));
  }

  private static Map<String, Object> container(Map<String, Object> pod, String name) {
    return list(pod.get("containers")).stream()
        .map(DeploymentFilesTest::map)
        .filter(container -> name.equals(container.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  /** The ConfigMap mounted at {@code file}'s directory in {@code container}. */
  private static Map<String, Object> mountedConfigMap(
      Map<String, Object> pod, Map<String, Object> container, String file) throws IOException {
    String directory = file.substring(0, file.lastIndexOf('/'));
    String volume =
        list(container.get("volumeMounts")).stream()
            .map(DeploymentFilesTest::map)
            .filter(mount -> directory.equals(mount.get("mountPath")))
            .map(mount -> (String) mount.get("name"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + directory));
    String configMap =
        list(pod.get("volumes")).stream()
            .map(DeploymentFilesTest::map)
            .filter(v -> volume.equals(v.get("name")))
            .map(v -> (String) at(v, "configMap", "name"))
            .findFirst()
            .orElseThrow();
    return kubernetesResource("ConfigMap", configMap);
  }

  private static List<Path> yamlFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files
          .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
          .sorted()
          .collect(Collectors.toCollection(ArrayList::new));
    }
  }

  private static List<Object> documents(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return documents(reader);
    }
  }

  private static List<Object> documents(Reader reader) {
    List<Object> documents = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
      if (document != null) {
        documents.add(document);
      }
    }
    return documents;
  }

  /** Follows map keys from {@code node}; null where one is missing. */
  private static Object at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> values)) {
        return null;
      }
      current = values.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    assertThat(node).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    assertThat(node).isInstanceOf(List.class);
    return (List<Object>) node;
  }
}
