package nl.beeldzorg.bench;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The join storm: {@code --sockets} WebSockets (both parties of {@code sockets / 2}
 * accepted consults) open {@code /ws/signalling} and send {@code join}, at most
 * {@code --in-flight} at once; prints joins per second, failures by code and join
 * latency, on the embedded H2 of demo mode and on PostgreSQL. Meanwhile a probe starts a
 * consult every second and times it, and afterwards the audit chains are verified.
 *
 * <pre>
 * java -jar bench.jar join-storm [--database h2|postgres|both] [--sockets 10000] [--in-flight 256] [--backend-jar PATH]
 * </pre>
 */
final class JoinStormBench {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String DATABASE = "beeldzorg_join_bench";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JoinStormBench() {
	}

	static void main(List<String> args) throws Exception {
		String database = "both";
		int sockets = 10_000;
		int inFlight = 256;
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--database" -> database = args.get(++i);
				case "--sockets" -> sockets = Integer.parseInt(args.get(++i));
				case "--in-flight" -> inFlight = Integer.parseInt(args.get(++i));
				case "--backend-jar" -> backendJar = args.get(++i);
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		List<String> rows = new ArrayList<>();
		if (database.equals("h2") || database.equals("both")) {
			rows.add(run("h2", sockets, inFlight, backendJar));
		}
		if (database.equals("postgres") || database.equals("both")) {
			rows.add(run("postgres", sockets, inFlight, backendJar));
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "Join storm (%s), %d sockets, %d in flight, %d cores%n", backendJar, sockets,
				inFlight, Runtime.getRuntime().availableProcessors());
		System.out.printf(Locale.ROOT, "%-9s %8s %8s %9s %9s %9s %14s %s%n", "database", "joins/s", "failed", "p50 ms",
				"p99 ms", "max ms", "start max ms", "audit");
		rows.forEach(System.out::println);
	}

	private static String run(String database, int sockets, int inFlight, String backendJar) throws Exception {
		Path work = Files.createTempDirectory("beeldzorg-join-storm");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(
				List.of("-Xmx2g", "-jar", new File(backendJar).getAbsolutePath(), "--spring.profiles.active=demo",
						"--server.port=" + port, "--logging.level.root=WARN", "--beeldzorg.demo.history=false",
						// The consults are created before the storm; their first-join
						// tokens must
						// outlive the set-up.
						"--beeldzorg.signalling.join-token-ttl=2h"));
		if (database.equals("postgres")) {
			try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
					Statement statement = admin.createStatement()) {
				statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
				statement.execute("CREATE DATABASE " + DATABASE);
			}
			command.add("--beeldzorg.database.url=" + SERVER + DATABASE);
			command.add("--beeldzorg.database.username=postgres");
		}
		System.out.printf(Locale.ROOT, "%n%s: starting the backend (%s)%n", database, backendJar);
		try (ServerProcess backend = ServerProcess.start("backend", command, work.toFile(),
				work.resolve("backend.log").toFile())) {
			String base = "http://127.0.0.1:" + port;
			backend.awaitUp(base + "/actuator/health/readiness");
			long t0 = System.nanoTime();
			List<String[]> consults = consults(base, (sockets + 1) / 2);
			System.out.printf(Locale.ROOT, "%s: %d consults created and accepted in %.1f s%n", database,
					consults.size(), (System.nanoTime() - t0) / 1e9);
			List<String> tokens = new ArrayList<>();
			for (String[] pair : consults) {
				tokens.add(pair[0]);
				tokens.add(pair[1]);
			}
			tokens = tokens.subList(0, sockets);

			StartProbe probe = new StartProbe(base);
			Thread probing = new Thread(probe, "start-probe");
			probing.start();
			Storm storm = new Storm(Targets.wsClient(), "ws://127.0.0.1:" + port + "/ws/signalling", inFlight);
			Result result = storm.run(tokens);
			probe.stop.set(true);
			probing.join();
			storm.closeAll();

			String audit = verifyAudit(base);
			long[] ms = result.joinMillis();
			Arrays.sort(ms);
			System.out.printf(Locale.ROOT, "%s: %d joined, %d failed in %.1f s%s%n", database, result.joined(),
					result.failed(), result.seconds(), result.failures().isEmpty() ? "" : " " + result.failures());
			return String.format(Locale.ROOT, "%-9s %8.0f %8d %9d %9d %9d %14d %s", database,
					result.joined() / result.seconds(), result.failed(), pct(ms, 0.5), pct(ms, 0.99),
					(ms.length > 0) ? ms[ms.length - 1] : -1, probe.maxMillis.get(), audit);
		}
	}

	/**
	 * Creates accepted consults as nurse.anna for so.sophie (16 at once), each start with
	 * an Idempotency-Key, so a start that timed out is retried safely; prints the
	 * retries.
	 * @return the two join tokens of each
	 */
	static List<String[]> consults(String base, int count) throws Exception {
		java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		String nurse = token(http, base, "nurse.anna");
		String so = token(http, base, "so.sophie");
		String soId = null;
		for (JsonNode user : JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/demo/users")).build(),
				HttpResponse.BodyHandlers.ofString())
			.body())) {
			if (user.get("username").asString().equals("so.sophie")) {
				soId = user.get("userId").asString();
			}
		}
		String consultant = soId;
		AtomicLong retries = new AtomicLong();
		long run = System.nanoTime();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
		try {
			List<java.util.concurrent.Future<String[]>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int n = i;
				futures.add(pool.submit(() -> {
					String body = "{\"kind\":\"BEDSIDE\",\"locationId\":\"zga-de-sprengel\",\"clientRef\":\"B-" + n
							+ "\",\"urgency\":\"ROUTINE\",\"consultantId\":\"" + consultant + "\"}";
					JsonNode started = JSON.readTree(retried(http, retries,
							post(base + "/api/v1/consults", nurse, body)
								.header("Idempotency-Key", "storm-" + run + "-" + n)
								.build()));
					String id = started.get("id").asString();
					JsonNode accepted = JSON.readTree(
							retried(http, retries, post(base + "/api/v1/consults/" + id + "/accept", so, "").build()));
					return new String[] { started.get("join").get("token").asString(),
							accepted.get("join").get("token").asString() };
				}));
			}
			List<String[]> tokens = new ArrayList<>();
			for (java.util.concurrent.Future<String[]> future : futures) {
				tokens.add(future.get(10, TimeUnit.MINUTES));
			}
			if (retries.get() > 0) {
				System.out
					.println("set-up: " + retries.get() + " requests retried after a timeout or a closed connection");
			}
			return tokens;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static HttpRequest.Builder post(String url, String token, String body) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	/** Sends, again after a timeout or a dropped connection (at most 5 times). */
	private static String retried(java.net.http.HttpClient http, AtomicLong retries, HttpRequest request)
			throws Exception {
		for (int attempt = 1;; attempt++) {
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() / 100 == 2) {
					return response.body();
				}
				// accept after a retried accept: already ours
				if (response.statusCode() == 409 && request.uri().getPath().endsWith("/accept") && attempt > 1) {
					String id = request.uri().getPath().split("/")[4];
					return http
						.send(HttpRequest
							.newBuilder(URI.create(request.uri().resolve("/api/v1/consults/" + id).toString()))
							.header("Authorization", request.headers().firstValue("Authorization").orElseThrow())
							.build(), HttpResponse.BodyHandlers.ofString())
						.body();
				}
				throw new IllegalStateException(response.statusCode() + " " + response.body());
			}
			catch (java.io.IOException ex) {
				if (attempt >= 5) {
					throw ex;
				}
				retries.incrementAndGet();
			}
		}
	}

	private static String token(java.net.http.HttpClient http, String base, String username) throws Exception {
		return JSON
			.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/demo/token"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString()).body())
			.get("accessToken")
			.asString();
	}

	private static long pct(long[] sorted, double p) {
		return (sorted.length == 0) ? -1 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
	}

	/** The audit chain verification after the storm, as the admin asks for it. */
	private static String verifyAudit(String base) throws Exception {
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		String token = JSON
			.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/demo/token"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin.ada\"}"))
				.build(), HttpResponse.BodyHandlers.ofString()).body())
			.get("accessToken")
			.asString();
		long t = System.nanoTime();
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/verification"))
				.header("Authorization", "Bearer " + token)
				.timeout(Duration.ofMinutes(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			return "verification " + response.statusCode();
		}
		JsonNode verification = JSON.readTree(response.body());
		boolean intact = verification.get("firstBrokenSeq").isNull();
		return String.format(Locale.ROOT, "%s, %d records%s, verified in %.1f s", intact ? "intact" : "BROKEN",
				verification.get("records").asLong(),
				verification.has("chains") ? " in " + verification.get("chains").asLong() + " chains" : "",
				(System.nanoTime() - t) / 1e9);
	}

	/** The sockets of the storm: each connects, joins, and stays open until the end. */
	private static final class Storm {

		private final HttpClient client;

		private final String url;

		private final Semaphore inFlight;

		private final List<Peer> peers = new ArrayList<>();

		private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

		Storm(HttpClient client, String url, int inFlight) {
			this.client = client;
			this.url = url;
			this.inFlight = new Semaphore(inFlight);
		}

		Result run(List<String> tokens) throws Exception {
			long[] millis = new long[tokens.size()];
			Arrays.fill(millis, -1);
			AtomicLong joined = new AtomicLong();
			List<CompletableFuture<Void>> all = new ArrayList<>();
			long start = System.nanoTime();
			for (int i = 0; i < tokens.size(); i++) {
				this.inFlight.acquire();
				int n = i;
				long t = System.nanoTime();
				CompletableFuture<Void> done = join(tokens.get(i)).orTimeout(60, TimeUnit.SECONDS)
					.handle((code, ex) -> {
						this.inFlight.release();
						if (ex != null) {
							count((ex instanceof java.util.concurrent.TimeoutException) ? "no answer in 60 s"
									: "socket: " + ex.getClass().getSimpleName());
						}
						else if (code == null) {
							millis[n] = (System.nanoTime() - t) / 1_000_000;
							joined.incrementAndGet();
						}
						else {
							count(code);
						}
						return null;
					});
				all.add(done);
			}
			CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
			double seconds = (System.nanoTime() - start) / 1e9;
			long[] ok = Arrays.stream(millis).filter((m) -> m >= 0).toArray();
			Map<String, Long> byCode = new TreeMap<>();
			this.failures.forEach((code, count) -> byCode.put(code, count.get()));
			return new Result(joined.get(), tokens.size() - joined.get(), seconds, ok, byCode);
		}

		/**
		 * @return completes with null once joined, or with the error code.
		 */
		private CompletableFuture<String> join(String token) {
			Peer peer = new Peer();
			synchronized (this.peers) {
				this.peers.add(peer);
			}
			CompletableFuture<String> answer = new CompletableFuture<>();
			peer.handler = (frame) -> {
				JsonNode message = JSON.readTree(frame);
				String type = message.get("type").asString();
				if (type.equals("joined")) {
					answer.complete(null);
				}
				else if (type.equals("error")) {
					answer.complete(message.get("code").asString());
				}
			};
			peer.closed.thenRun(() -> answer.complete("closed before joined"));
			return peer.connect(this.client, this.url).thenCompose((ignored) -> {
				peer.send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
				return answer;
			});
		}

		private void count(String code) {
			this.failures.computeIfAbsent(code, (c) -> new AtomicLong()).incrementAndGet();
		}

		void closeAll() throws InterruptedException {
			synchronized (this.peers) {
				this.peers.forEach(Peer::close);
			}
			Thread.sleep(2000);
		}

	}

	private record Result(long joined, long failed, double seconds, long[] joinMillis, Map<String, Long> failures) {
	}

	/**
	 * Starts a consult every second during the storm (a nurse's "Start consult" while
	 * others join) and keeps the longest time it took.
	 */
	private static final class StartProbe implements Runnable {

		final AtomicBoolean stop = new AtomicBoolean();

		final AtomicLong maxMillis = new AtomicLong();

		private final String base;

		StartProbe(String base) {
			this.base = base;
		}

		@Override
		public void run() {
			java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
			try {
				String nurse = JSON
					.readTree(http.send(HttpRequest.newBuilder(URI.create(this.base + "/demo/token"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"nurse.bram\"}"))
						.build(), HttpResponse.BodyHandlers.ofString()).body())
					.get("accessToken")
					.asString();
				String so = null;
				for (JsonNode user : JSON
					.readTree(http.send(HttpRequest.newBuilder(URI.create(this.base + "/demo/users")).build(),
							HttpResponse.BodyHandlers.ofString())
						.body())) {
					if (user.get("username").asString().equals("so.daan")) {
						so = user.get("userId").asString();
					}
				}
				int n = 0;
				while (!this.stop.get()) {
					long t = System.nanoTime();
					HttpResponse<String> response = http
						.send(HttpRequest.newBuilder(URI.create(this.base + "/api/v1/consults"))
							.header("Authorization", "Bearer " + nurse)
							.header("Content-Type", "application/json")
							.timeout(Duration.ofSeconds(120))
							.POST(HttpRequest.BodyPublishers.ofString(
									"{\"kind\":\"BEDSIDE\",\"locationId\":\"atlant-" + "de-boskamp\",\"clientRef\":\"P-"
											+ n++ + "\",\"urgency\":\"ROUTINE\",\"consultantId\":\"" + so + "\"}"))
							.build(), HttpResponse.BodyHandlers.ofString());
					long ms = (System.nanoTime() - t) / 1_000_000;
					if (response.statusCode() / 100 != 2) {
						System.out
							.println("probe: consult start answered " + response.statusCode() + " " + response.body());
					}
					this.maxMillis.accumulateAndGet(ms, Math::max);
					Thread.sleep(Math.max(0, 1000 - ms));
				}
			}
			catch (Exception ex) {
				System.out.println("probe: " + ex);
				this.maxMillis.set(Long.MAX_VALUE);
			}
		}

	}

}
