package nl.beeldzorg.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import nl.beeldzorg.support.TestPostgres;
import nl.martijndwars.webpush.Utils;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar started exactly as the container starts it: extracted with the
 * Dockerfile's own {@code RUN} line, its layers copied together as its {@code COPY} lines
 * do, launched with its {@code ENTRYPOINT} and {@code ENV} and the compose file's backend
 * environment (only the addresses of PostgreSQL and Redis, and the secrets, are this
 * machine's), until the Dockerfile's own {@code HEALTHCHECK} command passes. Then: JSON
 * logs, production's refusals, and a clean stop on SIGTERM.
 */
class ContainerCommandLineIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::?[-?][^}]*)?}");

	private Process process;

	private String database;

	@AfterEach
	void stop() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
		}
		if (this.database != null) {
			TestPostgres.dropDatabase(this.database);
		}
	}

	@Test
	void theJarStartsAsTheContainerDoesAndStopsCleanly(@TempDir Path dir) throws Exception {
		Path jar = Path.of(System.getProperty("beeldzorg.jar"));
		assertThat(jar).exists();
		List<String> dockerfile = Files.readAllLines(Infra.file("Dockerfile"));
		String java = ProcessHandle.current().info().command().orElseThrow();

		// Stage one: the RUN line that extracts the layers.
		String extract = dockerfile.stream()
			.filter((line) -> line.startsWith("RUN java "))
			.findFirst()
			.orElseThrow()
			.substring("RUN ".length());
		List<String> extractCommand = new ArrayList<>(List.of(extract.split(" ")));
		extractCommand.set(0, java);
		extractCommand.replaceAll((word) -> word.equals("beeldzorg.jar") ? jar.toString() : word);
		Path extractDir = Files.createDirectories(dir.resolve("extract"));
		run(extractCommand, extractDir);

		// Stage two: COPY --from=extract /extract/layers/<layer>/ ./ into /app.
		Path app = Files.createDirectories(dir.resolve("app"));
		List<String> layers = new ArrayList<>();
		for (String line : dockerfile) {
			Matcher copy = Pattern.compile("^COPY --from=extract /extract/(\\S+)/ \\./$").matcher(line);
			if (copy.matches()) {
				layers.add(copy.group(1));
				copyTree(extractDir.resolve(copy.group(1)), app);
			}
		}
		assertThat(layers).contains("layers/dependencies", "layers/application");

		// ENV, then the compose file's backend environment, then this machine.
		Map<String, String> environment = new LinkedHashMap<>();
		for (String line : dockerfile) {
			if (line.startsWith("ENV ")) {
				String[] pair = line.substring(4).split("=", 2);
				environment.put(pair[0], pair[1]);
			}
		}
		int port = freePort();
		Map<String, String> composeVariables = composeVariables();
		JsonNode compose = Infra.yaml("compose.yaml").get(0).path("services").path("backend-1").path("environment");
		compose.properties()
			.forEach((entry) -> environment.put(entry.getKey(),
					substitute(entry.getValue().asString(), composeVariables)));
		this.database = TestPostgres.createDatabase("beeldzorg_container");
		Map<String, String> machine = new LinkedHashMap<>();
		machine.put("BEELDZORG_DATABASE_URL", this.database);
		machine.put("BEELDZORG_DATABASE_USERNAME", TestPostgres.USER);
		machine.put("BEELDZORG_DATABASE_PASSWORD", "");
		machine.put("BEELDZORG_REDIS_URL", "redis://127.0.0.1:6379/0");
		// The compose file's volume path exists only in the container.
		machine.put("BEELDZORG_RECORDINGS_DIRECTORY", Files.createDirectories(dir.resolve("recordings")).toString());
		assertThat(environment).as("the compose file sets what this test replaces")
			.containsKeys(machine.keySet().toArray(String[]::new));
		environment.putAll(machine);
		environment.put("BEELDZORG_REDIS_KEY_PREFIX", "beeldzorg-container-" + UUID.randomUUID() + ":");
		environment.put("SERVER_PORT", Integer.toString(port));
		environment.put("PORT", Integer.toString(port));
		assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "production");

		// ENTRYPOINT, with this machine's java.
		String entrypoint = dockerfile.stream()
			.filter((line) -> line.startsWith("ENTRYPOINT "))
			.findFirst()
			.orElseThrow()
			.substring("ENTRYPOINT ".length());
		List<String> command = new ArrayList<>();
		JSON.readTree(entrypoint).forEach((word) -> command.add(word.asString()));
		assertThat(command.get(0)).isEqualTo("java");
		command.set(0, java);
		Path log = dir.resolve("stdout.log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("BEELDZORG_") || name.startsWith("SPRING_"));
		builder.environment().putAll(environment);
		this.process = builder.start();

		// The Dockerfile's HEALTHCHECK command, as Docker runs it.
		String healthcheck = dockerfile.stream()
			.filter((line) -> line.startsWith("HEALTHCHECK "))
			.findFirst()
			.orElseThrow();
		List<String> check = new ArrayList<>();
		JSON.readTree(healthcheck.substring(healthcheck.indexOf("CMD [") + 4))
			.forEach((word) -> check.add(word.asString()));
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (true) {
			assertThat(this.process.isAlive()).as("the node is running; its log:\n" + tail(log)).isTrue();
			ProcessBuilder probe = new ProcessBuilder(check).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD);
			probe.environment().put("PORT", Integer.toString(port));
			Process running = probe.start();
			if (running.waitFor(10, TimeUnit.SECONDS) && running.exitValue() == 0) {
				break;
			}
			assertThat(System.nanoTime()).as("HEALTHCHECK passed within 120 s; log:\n" + tail(log))
				.isLessThan(deadline);
			Thread.sleep(500);
		}

		HttpClient client = HttpClient.newHttpClient();
		String base = "http://127.0.0.1:" + port;
		HttpResponse<String> unsigned = client.send(
				HttpRequest.newBuilder(URI.create(base + "/api/v1/consults")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(unsigned.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(unsigned.body()).path("code").asString()).isEqualTo("auth.unauthenticated");
		HttpResponse<String> demo = client.send(HttpRequest.newBuilder(URI.create(base + "/demo/users")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(demo.statusCode()).as("no demo sign-in in production").isNotEqualTo(200);
		HttpResponse<String> metrics = client.send(
				HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(metrics.statusCode()).as("metrics need an operator's token").isEqualTo(401);
		HttpResponse<String> config = client.send(
				HttpRequest.newBuilder(URI.create(base + "/api/v1/client-config")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(config.body()).contains(composeVariables.get("BEELDZORG_HOST"));

		// SIGTERM, as Docker stop sends it: the node drains and exits by itself.
		this.process.destroy();
		assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s; log:\n" + tail(log)).isTrue();
		assertThat(this.process.exitValue()).as("a clean exit on SIGTERM").isIn(0, 143);

		// Production logs: one ECS JSON object per line, from the first line to the last.
		List<String> lines = Files.readAllLines(log).stream().filter((line) -> !line.isBlank()).toList();
		List<String> jvmNotes = lines.stream()
			.filter((line) -> line.startsWith("Picked up JAVA_TOOL_OPTIONS"))
			.toList();
		assertThat(jvmNotes).as("the JVM reads the compose file's JAVA_TOOL_OPTIONS").hasSize(1);
		List<String> logLines = lines.stream().filter((line) -> !jvmNotes.contains(line)).toList();
		assertThat(logLines).hasSizeGreaterThan(5);
		for (String line : logLines) {
			JsonNode entry = JSON.readTree(line);
			assertThat(entry.has("@timestamp")).as(line).isTrue();
			assertThat(entry.path("service").path("name").asString()).isEqualTo("beeldzorg");
		}
		assertThat(String.join("\n", logLines)).contains("Started BeeldzorgApplication")
			.doesNotContain(environment.get("BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET"))
			.doesNotContain(environment.get("BEELDZORG_TURN_SECRET"));
	}

	/**
	 * The values an operator puts in {@code infra/.env} (see compose.env.example), with
	 * test secrets and a VAPID pair generated here.
	 */
	private static Map<String, String> composeVariables() throws Exception {
		if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
			Security.addProvider(new BouncyCastleProvider());
		}
		KeyPairGenerator generator = KeyPairGenerator.getInstance("ECDH", BouncyCastleProvider.PROVIDER_NAME);
		generator.initialize(new ECGenParameterSpec("prime256v1"));
		KeyPair pair = generator.generateKeyPair();
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		Map<String, String> variables = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Infra.file("compose.env.example"))) {
			if (!line.startsWith("#") && line.contains("=")) {
				String[] pair2 = line.split("=", 2);
				variables.put(pair2[0], pair2[1].isEmpty()
						? "test-" + pair2[0].toLowerCase() + "-0123456789abcdefghijklmnopqrstuvwxyz" : pair2[1]);
			}
		}
		variables.put("VAPID_PUBLIC_KEY", base64.encodeToString(Utils.encode((ECPublicKey) pair.getPublic())));
		variables.put("VAPID_PRIVATE_KEY", base64.encodeToString(Utils.encode((ECPrivateKey) pair.getPrivate())));
		return variables;
	}

	private static String substitute(String value, Map<String, String> variables) {
		Matcher matcher = VARIABLE.matcher(value);
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			String name = matcher.group(1);
			assertThat(variables).as("compose.env.example names " + name).containsKey(name);
			matcher.appendReplacement(out, Matcher.quoteReplacement(variables.get(name)));
		}
		matcher.appendTail(out);
		return out.toString();
	}

	private static void run(List<String> command, Path directory) throws Exception {
		Process extract = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
		assertThat(extract.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(extract.exitValue()).as(String.join(" ", command)).isZero();
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			files.forEach((source) -> {
				try {
					Path target = to.resolve(from.relativize(source).toString());
					if (Files.isDirectory(source)) {
						Files.createDirectories(target);
					}
					else {
						Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
