package nl.beeldzorg.bench;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cold start: how long "start consult" takes to ring on a node that has just reported
 * ready. Starts the backend (PostgreSQL), waits for {@code /actuator/health/readiness} to
 * answer UP, and from that moment the SO opens her app (the event stream) and a nurse
 * starts {@code --rate} consults a second for {@code --seconds}, each naming the SO; the
 * time from sending {@code POST
 * /api/v1/consults} to her {@code consult.ringing} is measured. Then the same again on
 * the now warm node. Several fresh starts ({@code --runs}) are pooled. A first run, not
 * counted, warms this program's own JVM (its HTTP client, its event stream reader), so
 * that the first second measures the node, not the benchmark's interpreter;
 * {@code --no-bench-warm-up} leaves it out.
 *
 * <pre>
 * java -jar bench.jar cold-start [--runs 3] [--rate 50] [--seconds 10] [--database postgres|h2] [--backend-jar PATH] [--jvm OPTION]... [--database-name NAME] [--no-bench-warm-up]
 * </pre>
 */
final class ColdStartBench {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	/** The database's name; {@code --database-name} for runs beside another. */
	private static String databaseName = "beeldzorg_cold_bench";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ColdStartBench() {
	}

	static void main(List<String> args) throws Exception {
		int runs = 3;
		int rate = 50;
		int seconds = 10;
		String database = "postgres";
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		List<String> jvmOptions = new ArrayList<>();
		boolean benchWarmUp = true;
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--runs" -> runs = Integer.parseInt(args.get(++i));
				case "--rate" -> rate = Integer.parseInt(args.get(++i));
				case "--seconds" -> seconds = Integer.parseInt(args.get(++i));
				case "--database" -> database = args.get(++i);
				case "--backend-jar" -> backendJar = args.get(++i);
				case "--jvm" -> jvmOptions.add(args.get(++i));
				case "--database-name" -> databaseName = args.get(++i);
				case "--no-bench-warm-up" -> benchWarmUp = false;
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		List<Long> cold = new ArrayList<>();
		List<Long> warm = new ArrayList<>();
		List<Double> readyAfter = new ArrayList<>();
		long lost = 0;
		for (int run = benchWarmUp ? 0 : 1; run <= runs; run++) {
			Figures figures = once(database, backendJar, jvmOptions, rate, seconds);
			System.out.printf(Locale.ROOT,
					"run %d: ready %.1f s after launch; first %d s: p50 %d ms, p99 %d ms, max %d ms; warm: p99 %d ms%n"
							+ "       load at ready %s, at the end %s; node's %s in the first %d s%n",
					run, figures.readySeconds(), seconds, pct(figures.cold(), 0.5), pct(figures.cold(), 0.99),
					pct(figures.cold(), 1), pct(figures.warm(), 0.99), figures.loadAtReady(), figures.loadAtEnd(),
					figures.gcCold(), seconds);
			System.out.println(
					"       first " + seconds + " s by second sent (p50/max ms): " + bySecond(figures.cold(), rate));
			if (run == 0) {
				System.out.println("       (run 0 warmed the benchmark's own JVM: its HTTP client and event stream"
						+ " reader; not counted)");
				continue;
			}
			figures.cold().forEach(cold::add);
			figures.warm().forEach(warm::add);
			readyAfter.add(figures.readySeconds());
			lost += figures.lost();
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "Cold start (%s, %s), %d runs, %d starts/s for %d s from readiness UP%n",
				backendJar, database, runs, rate, seconds);
		System.out.printf(Locale.ROOT, "%-26s %7s %8s %8s %8s %8s%n", "start -> ringing", "starts", "p50 ms", "p90 ms",
				"p99 ms", "max ms");
		row("first " + seconds + " s after ready", cold);
		row("warm (the next " + seconds + " s)", warm);
		System.out.printf(Locale.ROOT, "launch -> ready: %s s; rings not seen: %d%n",
				readyAfter.stream().map((s) -> String.format(Locale.ROOT, "%.1f", s)).toList(), lost);
		long p99 = pct(cold, 0.99);
		System.out.printf(Locale.ROOT, "cold p99 %d ms (target <= 50 ms): %s%n", p99, (p99 <= 50) ? "PASS" : "MISS");
	}

	/** Where in the first seconds the slow rings were: each second's median and worst. */
	private static String bySecond(List<Long> millis, int rate) {
		StringBuilder line = new StringBuilder();
		for (int from = 0; from < millis.size(); from += rate) {
			List<Long> second = millis.subList(from, Math.min(millis.size(), from + rate));
			line.append((from == 0) ? "" : "  ").append(pct(second, 0.5)).append('/').append(pct(second, 1));
		}
		return line.toString();
	}

	private static void row(String label, List<Long> millis) {
		System.out.printf(Locale.ROOT, "%-26s %7d %8d %8d %8d %8d%n", label, millis.size(), pct(millis, 0.5),
				pct(millis, 0.9), pct(millis, 0.99), pct(millis, 1));
	}

	private static long pct(List<Long> values, double p) {
		if (values.isEmpty()) {
			return -1;
		}
		long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
		return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
	}

	private record Figures(double readySeconds, List<Long> cold, List<Long> warm, long lost, String loadAtReady,
			String loadAtEnd, String gcCold) {
	}

	private static Figures once(String database, String backendJar, List<String> jvmOptions, int rate, int seconds)
			throws Exception {
		Path work = Files.createTempDirectory("beeldzorg-cold-start");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(jvmOptions);
		Path gcLog = work.resolve("gc.log");
		command.add(GcPauses.option(gcLog));
		command
			.addAll(List.of("-Xmx1g", "-jar", new File(backendJar).getAbsolutePath(), "--spring.profiles.active=demo",
					"--server.port=" + port, "--logging.level.root=WARN", "--beeldzorg.demo.history=false"));
		if (database.equals("postgres")) {
			try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
					Statement statement = admin.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
				statement.execute("CREATE DATABASE " + databaseName);
			}
			command.add("--beeldzorg.database.url=" + SERVER + databaseName);
			command.add("--beeldzorg.database.username=postgres");
		}
		long launched = System.nanoTime();
		try (ServerProcess backend = ServerProcess.start("backend", command, work.toFile(),
				work.resolve("backend.log").toFile())) {
			String base = "http://127.0.0.1:" + port;
			awaitReady(backend, base);
			double ready = (System.nanoTime() - launched) / 1e9;
			String loadAtReady = ClusterBench.load();
			long readyAt = System.currentTimeMillis();
			HttpClient http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			// The load balancer sends traffic from this moment: sign-in, the SO's app,
			// and the starts are all first requests of the node.
			String nurse = token(http, base, "nurse.anna");
			String so = token(http, base, "so.sophie");
			String soId = null;
			for (JsonNode user : JSON
				.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/demo/users")).build(),
						HttpResponse.BodyHandlers.ofString())
					.body())) {
				if (user.get("username").asString().equals("so.sophie")) {
					soId = user.get("userId").asString();
				}
			}
			Map<String, Long> sentAt = new ConcurrentHashMap<>();
			Map<String, Long> rungAfter = new ConcurrentHashMap<>();
			CountDownLatch open = new CountDownLatch(1);
			HttpRequest events = HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
				.header("Authorization", "Bearer " + so)
				.header("Accept", "text/event-stream")
				.build();
			// The SO's app: its own client and thread, reading the stream as it comes.
			HttpClient sse = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			Thread stream = new Thread(() -> {
				try {
					HttpResponse<Stream<String>> response = sse.send(events, HttpResponse.BodyHandlers.ofLines());
					open.countDown();
					try (Stream<String> lines = response.body()) {
						String[] event = { null };
						lines.forEach((line) -> {
							if (line.startsWith("event:")) {
								event[0] = line.substring(6).trim();
							}
							else if (line.startsWith("data:") && "consult.ringing".equals(event[0])) {
								long now = System.nanoTime();
								JsonNode data = JSON.readTree(line.substring(5));
								String ref = data.get("clientRef").asString();
								Long sent = sentAt.get(ref);
								if (sent != null) {
									rungAfter.putIfAbsent(ref, (now - sent) / 1_000_000);
								}
							}
							else if (line.isEmpty()) {
								event[0] = null;
							}
						});
					}
				}
				catch (Exception ex) {
					// closed at the end
				}
			}, "sse");
			stream.setDaemon(true);
			stream.start();
			if (!open.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the event stream did not open");
			}
			List<String> coldRefs = starts(http, base, nurse, soId, "C", rate, seconds, sentAt);
			String gcCold = GcPauses.within(gcLog, readyAt, System.currentTimeMillis());
			List<String> warmRefs = starts(http, base, nurse, soId, "W", rate, seconds, sentAt);
			Thread.sleep(3000);
			stream.interrupt();
			long lost = Stream.concat(coldRefs.stream(), warmRefs.stream())
				.filter((ref) -> !rungAfter.containsKey(ref))
				.count();
			// A ring never seen counts as the longest wait there is.
			List<Long> cold = coldRefs.stream().map((ref) -> rungAfter.getOrDefault(ref, Long.MAX_VALUE)).toList();
			List<Long> warm = warmRefs.stream().map((ref) -> rungAfter.getOrDefault(ref, Long.MAX_VALUE)).toList();
			return new Figures(ready, cold, warm, lost, loadAtReady, ClusterBench.load(), gcCold);
		}
	}

	/**
	 * Starts {@code rate} consults a second for {@code seconds}, each on its own thread.
	 */
	private static List<String> starts(HttpClient http, String base, String nurse, String soId, String prefix, int rate,
			int seconds, Map<String, Long> sentAt) throws InterruptedException {
		List<String> refs = new ArrayList<>();
		AtomicLong failed = new AtomicLong();
		long periodNanos = 1_000_000_000L / rate;
		long begin = System.nanoTime();
		ExecutorService threads = Executors.newCachedThreadPool();
		try {
			for (int i = 0; i < rate * seconds; i++) {
				long due = begin + i * periodNanos;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				String ref = prefix + "-" + i;
				refs.add(ref);
				threads.submit(() -> {
					HttpRequest start = HttpRequest.newBuilder(URI.create(base + "/api/v1/consults"))
						.header("Authorization", "Bearer " + nurse)
						.header("Content-Type", "application/json")
						.header("Idempotency-Key", "cold-" + ref + "-" + begin)
						.timeout(Duration.ofSeconds(60))
						.POST(HttpRequest.BodyPublishers
							.ofString("{\"kind\":\"BEDSIDE\",\"locationId\":\"zga-de-sprengel\",\"clientRef\":\"" + ref
									+ "\",\"urgency\":\"ROUTINE\",\"consultantId\":\"" + soId + "\"}"))
						.build();
					sentAt.put(ref, System.nanoTime());
					try {
						HttpResponse<String> response = http.send(start, HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() / 100 != 2 && failed.incrementAndGet() <= 3) {
							System.out.println("start answered " + response.statusCode() + " " + response.body());
						}
					}
					catch (Exception ex) {
						if (failed.incrementAndGet() <= 3) {
							System.out.println("start failed: " + ex);
						}
					}
					return null;
				});
			}
		}
		finally {
			threads.shutdown();
			threads.awaitTermination(2, TimeUnit.MINUTES);
		}
		return refs;
	}

	private static void awaitReady(ServerProcess backend, String base) throws InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		HttpRequest readiness = HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		while (System.nanoTime() < deadline) {
			try {
				if (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (Exception ex) {
				// not yet listening
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("backend not ready within five minutes");
	}

	private static String token(HttpClient http, String base, String username) throws Exception {
		return JSON
			.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/demo/token"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString()).body())
			.get("accessToken")
			.asString();
	}

}
