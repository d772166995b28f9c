package nl.beeldzorg.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.security.DemoIssuer;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real node (PostgreSQL, Redis) against the files under {@code infra/}: every metric
 * the alert rules and the Grafana dashboard query is one the node exports, with the
 * labels they select on; the probe paths of the Deployment, HAProxy and the Dockerfile
 * answer, and readiness is the node's own (not the shared database's, whose outage would
 * empty the balancer); and HAProxy, started from {@code infra/haproxy/haproxy.cfg},
 * terminates TLS in front of the node, checks its readiness, takes a dead node out and
 * keeps {@code /actuator/prometheus} inside.
 */
class RunningNodeInStepTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_infra");

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	/** Metric names of Prometheus itself, not of the application. */
	private static final Set<String> PROMETHEUS_OWN = Set.of("up");

	private static final Pattern SELECTOR = Pattern
		.compile("\\b((?:beeldzorg|http_server|jvm|process|r2dbc)_[a-z0-9_]+|up)\\b(\\{([^}]*)\\})?");

	private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

	private static ConfigurableApplicationContext node;

	private static int port;

	private static String scrape;

	private static String operatorToken;

	@BeforeAll
	static void start() {
		node = new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run("--server.port=0", "--beeldzorg.database.url=" + DATABASE,
					"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.redis.url=" + REDIS,
					"--beeldzorg.redis.key-prefix=beeldzorg-infra-" + UUID.randomUUID() + ":",
					"--beeldzorg.demo.history=false", "--beeldzorg.operations.probe-interval=1s",
					"--beeldzorg.signalling.join-token-secret=infra-test-secret-of-at-least-32-chars");
		port = node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		operatorToken = node.getBean(DemoIssuer.class)
			.issue(new DemoUser("op-infra", "operator.otto", "Otto", null, null, null, List.of("OPERATOR")));
		ApiClient api = new ApiClient(port);
		api.get("/api/v1/locations", api.token("nurse.anna"), HttpStatus.OK);
		scrape = awaitScrape();
	}

	@AfterAll
	static void stop() {
		if (node != null) {
			node.close();
		}
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void everyMetricTheAlertRulesQueryIsExported() {
		List<String> expressions = new ArrayList<>();
		Infra.yaml("prometheus/alerts.yml")
			.get(0)
			.path("groups")
			.forEach((group) -> group.path("rules").forEach((rule) -> expressions.add(rule.path("expr").asString())));
		assertThat(expressions).hasSizeGreaterThanOrEqualTo(4);
		List<String> names = assertExported(expressions);
		assertThat(names).contains("beeldzorg_database_reachable", "beeldzorg_audit_chain_intact",
				"beeldzorg_escalation_rounds_total", "beeldzorg_escalations_overdue", "up");
	}

	@Test
	void everyMetricTheDashboardQueriesIsExported() {
		List<String> expressions = new ArrayList<>();
		Infra.json("grafana/dashboards/beeldzorg.json")
			.path("panels")
			.forEach((panel) -> panel.path("targets")
				.forEach((target) -> expressions.add(target.path("expr").asString())));
		List<String> names = assertExported(expressions);
		assertThat(names).contains("beeldzorg_consults_now", "beeldzorg_consults_missed_last_hour",
				"beeldzorg_media_parties_last_hour", "beeldzorg_signalling_peers",
				"http_server_requests_seconds_bucket");
	}

	@Test
	void theOperationsGaugesCarryFiguresFromTheDatabase() {
		assertThat(value("beeldzorg_database_reachable", "")).isEqualTo(1.0);
		assertThat(value("beeldzorg_consults_now", "state=\"active\"")).isZero();
		assertThat(value("beeldzorg_audit_chain_intact", "")).as("the audit chain was verified at start")
			.isEqualTo(1.0);
	}

	@Test
	void theProbesOfEveryDeploymentAnswer() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		JsonNode readiness = JsonMapper.builder()
			.build()
			.readTree(get(client, "http://127.0.0.1:" + port + "/actuator/health/readiness", 200));
		assertThat(readiness.path("status").asString()).isEqualTo("UP");
		List<String> components = new ArrayList<>();
		readiness.path("components").propertyNames().forEach(components::add);
		assertThat(components)
			.as("readiness is the node's own: a database outage of every node must not empty the balancer")
			.contains("readinessState")
			.doesNotContain("r2dbc", "redis");
		JsonNode health = JsonMapper.builder()
			.build()
			.readTree(get(client, "http://127.0.0.1:" + port + "/actuator/health", 200));
		List<String> shared = new ArrayList<>();
		health.path("components").propertyNames().forEach(shared::add);
		assertThat(shared).as("/actuator/health says what is away").contains("r2dbc");
		get(client, "http://127.0.0.1:" + port + "/actuator/health/liveness", 200);
		assertThat(Infra.read("haproxy/haproxy.cfg")).contains("uri /actuator/health/readiness");
		assertThat(Infra.read("Dockerfile")).contains("GET /actuator/health/readiness");
	}

	@Test
	void haproxyTerminatesTlsAndBalancesOverReadyNodesOnly(@TempDir Path dir) throws Exception {
		Path key = dir.resolve("key.pem");
		Path cert = dir.resolve("cert.pem");
		Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
				key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
				"subjectAltName=IP:127.0.0.1")
			.redirectErrorStream(true)
			.start();
		assertThat(openssl.waitFor()).isZero();
		Path pem = dir.resolve("beeldzorg.pem");
		Files.writeString(pem, Files.readString(cert) + Files.readString(key));
		int http = freePort();
		int https = freePort();
		int deadNode = freePort();
		Map<String, String> env = new HashMap<>();
		env.put("BEELDZORG_NODE_1", "127.0.0.1:" + port);
		env.put("BEELDZORG_NODE_2", "127.0.0.1:" + deadNode);
		env.put("KEYCLOAK", "127.0.0.1:" + freePort());
		env.put("GRAFANA", "127.0.0.1:" + freePort());
		env.put("HTTP_BIND", "127.0.0.1:" + http);
		env.put("HTTPS_BIND", "127.0.0.1:" + https);
		env.put("TLS_CERT", pem.toString());
		Path config = Infra.file("haproxy/haproxy.cfg");
		ProcessBuilder check = new ProcessBuilder("/usr/sbin/haproxy", "-c", "-f", config.toString())
			.redirectErrorStream(true);
		check.environment().putAll(env);
		Process checked = check.start();
		String checkOutput = new String(checked.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(checked.waitFor()).as(checkOutput).isZero();

		ProcessBuilder run = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", config.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("haproxy.log").toFile());
		run.environment().putAll(env);
		Process haproxy = run.start();
		try {
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("haproxy", CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext tls = SSLContext.getInstance("TLS");
			tls.init(null, trustManagers.getTrustManagers(), null);
			HttpClient client = HttpClient.newBuilder()
				.sslContext(tls)
				.connectTimeout(Duration.ofSeconds(5))
				.version(HttpClient.Version.HTTP_1_1)
				.build();
			String base = "https://127.0.0.1:" + https;
			awaitAnswer(client, base + "/actuator/health/readiness");
			// The dead node fails its checks (inter 1s, fall 3) and leaves the rotation.
			Thread.sleep(4000);
			for (int i = 0; i < 10; i++) {
				assertThat(get(client, base + "/actuator/health/readiness", 200)).contains("\"UP\"");
			}
			assertThat(get(client, base + "/api/v1/client-config", 200)).contains("signIn");
			get(client, base + "/actuator/prometheus", 404);
			HttpResponse<String> plain = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/nurse/")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(plain.statusCode()).isEqualTo(301);
			assertThat(plain.headers().firstValue("location")).hasValue("https://127.0.0.1:" + http + "/nurse/");
		}
		finally {
			haproxy.destroy();
			haproxy.waitFor();
		}
		String log = Files.readString(dir.resolve("haproxy.log"));
		assertThat(log).as("HAProxy's own log").contains("node2 is DOWN");
	}

	/**
	 * Checks each selector of the expressions against the scrape.
	 * @return the metric names found
	 */
	private static List<String> assertExported(List<String> expressions) {
		Set<String> names = new TreeSet<>();
		Map<String, String> missing = new LinkedHashMap<>();
		for (String expression : expressions) {
			Matcher selector = SELECTOR.matcher(expression);
			while (selector.find()) {
				String name = selector.group(1);
				names.add(name);
				if (PROMETHEUS_OWN.contains(name)) {
					continue;
				}
				List<String> series = series(name);
				if (series.isEmpty()) {
					missing.put(name, expression);
					continue;
				}
				if (selector.group(3) != null) {
					Matcher label = MATCHER.matcher(selector.group(3));
					while (label.find()) {
						String key = label.group(1);
						String op = label.group(2);
						String wanted = label.group(3);
						boolean any = series.stream().anyMatch((line) -> {
							Matcher has = Pattern.compile("[{,]" + key + "=\"([^\"]*)\"").matcher(line);
							if (!has.find()) {
								return false;
							}
							return switch (op) {
								case "=" -> has.group(1).equals(wanted);
								case "=~" -> has.group(1).matches(wanted);
								default -> true;
							};
						});
						if (!any) {
							missing.put(name + "{" + selector.group(3) + "}", expression);
						}
					}
				}
			}
		}
		assertThat(missing).as("series queried but not exported by the application").isEmpty();
		return List.copyOf(names);
	}

	private static List<String> series(String name) {
		return scrape.lines().filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList();
	}

	private static double value(String name, String label) {
		return series(name).stream()
			.filter((line) -> line.contains(label))
			.map((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " " + label));
	}

	/**
	 * The scrape once the operations probe and the audit verification have reported.
	 */
	private static String awaitScrape() {
		HttpClient client = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			try {
				// The rest of the actuator is the operators' (as Prometheus scrapes it).
				String operator = node.getBean(DemoIssuer.class)
					.issue(new DemoUser("op-infra", "operator.infra", "Operator", null, null, null,
							List.of("OPERATOR")));
				HttpResponse<String> response = client
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
						.header("Authorization", "Bearer " + operator)
						.timeout(Duration.ofSeconds(10))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as("/actuator/prometheus with an OPERATOR token").isEqualTo(200);
				String body = response.body();
				if (body.lines()
					.anyMatch((line) -> line.startsWith("beeldzorg_audit_chain_intact ") && !line.endsWith("NaN"))
						&& body.lines()
							.anyMatch((line) -> line.startsWith("beeldzorg_database_reachable ")
									&& !line.endsWith("NaN"))) {
					return body;
				}
			}
			catch (Exception ex) {
				// not yet
			}
			assertThat(System.nanoTime()).as("operations gauges reported within 90 s").isLessThan(deadline);
			sleep(200);
		}
	}

	private static void awaitAnswer(HttpClient client, String url) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try {
				HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
			assertThat(System.nanoTime()).as("HAProxy answered " + url + " within 20 s").isLessThan(deadline);
			sleep(200);
		}
	}

	private static String get(HttpClient client, String url, int status) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
		if (operatorToken != null && url.contains("/actuator/prometheus")) {
			// The scrape needs the OPERATOR role, as Prometheus's client-credentials
			// token
			// carries it.
			request.header("Authorization", "Bearer " + operatorToken);
		}
		HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(url).isEqualTo(status);
		return response.body();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
