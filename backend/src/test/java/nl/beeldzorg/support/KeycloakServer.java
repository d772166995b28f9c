package nl.beeldzorg.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Keycloak (the distribution from Maven Central, unpacked into {@code target/} by
 * the build) in {@code start-dev} on a random loopback port, with
 * {@code infra/keycloak/beeldzorg-realm.json} and its test overlay imported, and a second
 * realm ({@code elsewhere}) whose tokens Beeldzorg must refuse. Started once per test JVM
 * (surefire runs every class in one reused fork), lazily by the first test that asks,
 * stopped when the JVM ends. Never skipped: without the distribution or the JDK it fails
 * and says what is missing.
 */
public final class KeycloakServer {

	/** The realm of the shipped export. */
	public static final String REALM = "beeldzorg";

	/** A realm of the same shape whose tokens the backend must refuse. */
	public static final String OTHER_REALM = "elsewhere";

	/** The audience the realm's clients put in access tokens. */
	public static final String AUDIENCE = "beeldzorg-api";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static KeycloakServer shared;

	private static AssertionError failure;

	private final int port;

	private final Process process;

	private final Path log;

	private KeycloakServer(int port, Process process, Path log) {
		this.port = port;
		this.process = process;
		this.log = log;
	}

	/**
	 * @return the Keycloak of this test run, started on first use
	 */
	public static synchronized KeycloakServer shared() {
		if (failure != null) {
			throw new AssertionError("Keycloak did not start for an earlier test of this run", failure);
		}
		if (shared == null) {
			try {
				shared = start();
			}
			catch (AssertionError ex) {
				failure = ex;
				throw ex;
			}
			KeycloakServer started = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-stop"));
		}
		return shared;
	}

	/**
	 * @return the base URL, {@code http://127.0.0.1:port}
	 */
	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * @return the issuer of the Beeldzorg realm
	 */
	public String issuer() {
		return issuer(REALM);
	}

	/**
	 * @param realm a realm
	 * @return its issuer
	 */
	public String issuer(String realm) {
		return url() + "/realms/" + realm;
	}

	/**
	 * A token by the password grant of the test overlay's {@code other-service} client:
	 * all of the user's claims, but not for Beeldzorg's audience.
	 * @param realm the realm
	 * @param username a test user
	 * @return the response of the token endpoint
	 */
	public JsonNode otherServiceToken(String realm, String username) {
		return tokenRequest(realm, Map.of("grant_type", "password", "client_id", "other-service", "client_secret",
				"other-service-secret", "username", username, "password", password(username), "scope", "openid"));
	}

	/**
	 * @param realm the realm
	 * @param form the token request
	 * @return the token endpoint's JSON answer (an error too)
	 */
	public JsonNode tokenRequest(String realm, Map<String, String> form) {
		return post(issuer(realm) + "/protocol/openid-connect/token", form);
	}

	/**
	 * @param url where to post
	 * @param form the form
	 * @return the JSON answer
	 */
	public JsonNode post(String url, Map<String, String> form) {
		String body = form.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(url))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param username a test user of the overlay
	 * @return the password the overlay gives them
	 */
	public static String password(String username) {
		return "test-" + username;
	}

	/**
	 * @return what Keycloak logged so far
	 */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static String encode(String value) {
		return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static KeycloakServer start() {
		Path home = Path.of(required("beeldzorg.test.keycloak.home",
				"the Keycloak distribution the build unpacks into backend/target/keycloak (run the tests with ./mvnw verify or bin/test)"));
		Path realmDir = Path.of(required("beeldzorg.test.keycloak.realm", "infra/keycloak"));
		Path kc = home.resolve("bin/kc.sh");
		if (!Files.isExecutable(kc)) {
			throw new AssertionError("No Keycloak at " + home + " (bin/kc.sh missing): the build unpacks"
					+ " org.keycloak:keycloak-quarkus-dist into backend/target/keycloak; run ./mvnw verify (bin/test)");
		}
		Path jdk = javaHome();
		try {
			// A fresh database and the realm files to import, every run.
			Path data = home.resolve("data");
			if (Files.exists(data)) {
				try (Stream<Path> files = Files.walk(data)) {
					files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
				}
			}
			Path imports = Files.createDirectories(data.resolve("import"));
			ObjectNode realm = merged(realmDir);
			Files.writeString(imports.resolve(REALM + ".json"), JSON.writeValueAsString(realm));
			ObjectNode other = realm.deepCopy();
			other.put("realm", OTHER_REALM);
			other.put("displayName", "Another organisation");
			// User ids are unique across a Keycloak's realms: the other realm's users get
			// their own.
			other.withArray("users").forEach((user) -> ((ObjectNode) user).remove("id"));
			Files.writeString(imports.resolve(OTHER_REALM + ".json"), JSON.writeValueAsString(other));
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			Path log = Files.createTempFile("keycloak", ".log");
			ProcessBuilder builder = new ProcessBuilder(List.of(kc.toString(), "start-dev", "--http-host=127.0.0.1",
					"--http-port=" + port, "--import-realm", "--cache=local", "--log-level=warn"))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().put("JAVA_HOME", jdk.toString());
			builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
			builder.environment().put("BEELDZORG_URL", "http://127.0.0.1");
			builder.environment().remove("KC_DB");
			Process process = builder.start();
			KeycloakServer server = new KeycloakServer(port, process, log);
			server.awaitRealms(Duration.ofSeconds(240));
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// The test overlay over the production realm: its top-level settings win, its
	// clientOverrides merge into the clients of the same clientId, its clients and users
	// are added (README.md in infra/keycloak has the same merge as a jq command).
	static ObjectNode merged(Path realmDir) throws IOException {
		ObjectNode realm = (ObjectNode) JSON.readTree(realmDir.resolve("beeldzorg-realm.json").toFile());
		ObjectNode overlay = (ObjectNode) JSON.readTree(realmDir.resolve("beeldzorg-realm.test-overlay.json").toFile());
		JsonNode overrides = overlay.path("clientOverrides");
		ArrayNode clients = (ArrayNode) realm.get("clients");
		for (JsonNode client : clients) {
			JsonNode override = overrides.path(client.get("clientId").asString());
			if (override.isObject()) {
				deepMerge((ObjectNode) client, (ObjectNode) override);
			}
		}
		overlay.path("clients").forEach(clients::add);
		ArrayNode users = realm.withArray("users");
		overlay.path("users").forEach(users::add);
		ObjectNode settings = overlay.deepCopy();
		settings.remove(List.of("_comment", "clientOverrides", "clients", "users"));
		deepMerge(realm, settings);
		return realm;
	}

	private static void deepMerge(ObjectNode target, ObjectNode source) {
		for (Map.Entry<String, JsonNode> entry : source.properties()) {
			JsonNode existing = target.get(entry.getKey());
			if (existing instanceof ObjectNode object && entry.getValue() instanceof ObjectNode value) {
				deepMerge(object, value);
			}
			else {
				target.set(entry.getKey(), entry.getValue().deepCopy());
			}
		}
	}

	private void awaitRealms(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new AssertionError(
						"Keycloak exited (" + this.process.exitValue() + ") before serving:\n" + log());
			}
			if (serves(client, REALM) && serves(client, OTHER_REALM)) {
				return;
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		stop();
		throw new AssertionError("Keycloak did not serve the realms within " + timeout.toSeconds() + " s:\n" + log());
	}

	private boolean serves(HttpClient client, String realm) {
		try {
			HttpResponse<Void> response = client
				.send(HttpRequest.newBuilder(URI.create(issuer(realm) + "/.well-known/openid-configuration"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
		}
	}

	private static Path javaHome() {
		String configured = System.getenv("BEELDZORG_TEST_KEYCLOAK_JAVA_HOME");
		List<Path> candidates = (configured != null) ? List.of(Path.of(configured))
				: List.of(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"), Path.of("/usr/lib/jvm/temurin-21-jdk-amd64"));
		for (Path candidate : candidates) {
			if (Files.isExecutable(candidate.resolve("bin/java"))) {
				return candidate;
			}
		}
		throw new AssertionError("Keycloak 26 needs a JDK 21+; none at " + candidates
				+ " (set BEELDZORG_TEST_KEYCLOAK_JAVA_HOME to one)");
	}

	private static String required(String property, String what) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			throw new AssertionError("System property " + property + " is not set: it names " + what);
		}
		return value;
	}

}
