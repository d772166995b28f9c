package nl.beeldzorg.bench;

import java.io.File;
import java.net.ServerSocket;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An installation of three nodes sharing PostgreSQL and Redis, measured two ways.
 * <ol>
 * <li><b>Load:</b> many sockets (10,000 by default) over the three nodes, the two peers
 * of every consult on different nodes (peer a on node i mod 3, peer b on the next), and a
 * fixed offered rate of relayed messages (5,000/s by default, spread over all peers, open
 * loop: a message is sent on time whether or not the last one arrived), measured after a
 * warm-up at the same rate ({@code --warm-up}, 30 s: the nodes compile the relay path
 * while it runs, and on two cores their compilers compete with the load). Prints latency
 * p50/p99/p999, what arrived, lost and reordered, and per node the heap per peer it holds
 * after a full GC (targets: p99 &lt;= 5 ms, &lt;= 20 KB per peer).</li>
 * <li><b>Failover:</b> the nurse's socket on node A or B, the SO's on C; the nurse's node
 * is killed (SIGKILL) and the nurse joins again on the other node at once with the same
 * token. Per run: when the socket's end was seen, when she was back under the same peer
 * id, when the SO heard {@code peer-joined}; the killed node is started again before the
 * next run. Prints the medians.</li>
 * </ol>
 *
 * <pre>
 * java -jar bench.jar cluster [--sockets 10000] [--rate 5000] [--seconds 20] [--warm-up 30] [--failovers 7] [--backend-jar PATH] [--node-jvm OPTION]...
 * java -jar bench.jar cluster --quick
 * </pre>
 */
final class ClusterBench {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String DATABASE = "beeldzorg_cluster_bench";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ClusterBench() {
	}

	static void main(List<String> args) throws Exception {
		int sockets = 10_000;
		int rate = 5_000;
		int seconds = 20;
		int warmUp = 30;
		int failovers = 7;
		String redis = "redis://127.0.0.1:6379";
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		String heap = "-Xmx1g";
		List<String> nodeJvm = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--sockets" -> sockets = Integer.parseInt(args.get(++i));
				case "--rate" -> rate = Integer.parseInt(args.get(++i));
				case "--seconds" -> seconds = Integer.parseInt(args.get(++i));
				case "--warm-up" -> warmUp = Integer.parseInt(args.get(++i));
				case "--failovers" -> failovers = Integer.parseInt(args.get(++i));
				case "--redis" -> redis = args.get(++i);
				case "--backend-jar" -> backendJar = args.get(++i);
				case "--node-heap" -> heap = args.get(++i);
				case "--node-jvm" -> nodeJvm.add(args.get(++i));
				case "--quick" -> {
					sockets = 600;
					rate = 1000;
					seconds = 5;
					warmUp = 5;
					failovers = 2;
				}
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
				Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + DATABASE);
		}
		Path work = Files.createTempDirectory("beeldzorg-cluster-bench");
		String prefix = "beeldzorg-bench-" + UUID.randomUUID() + ":";
		System.out.printf(Locale.ROOT,
				"Beeldzorg cluster: 3 nodes (%s each), %d sockets, %d msg/s for %d s, %d failovers; %d cores, load %s%n",
				String.join(" ", heap, String.join(" ", nodeJvm)).trim(), sockets, rate, seconds, failovers,
				Runtime.getRuntime().availableProcessors(), load());
		Node[] nodes = new Node[3];
		try {
			// One after the other: the first migrates and seeds, the others find it done.
			for (int n = 0; n < 3; n++) {
				nodes[n] = new Node("node " + (char) ('A' + n), freePort(), backendJar, redis, prefix, heap, nodeJvm,
						work);
				nodes[n].start();
			}
			if (sockets > 0) {
				load(nodes, sockets, rate, warmUp, seconds);
			}
			if (failovers > 0) {
				failover(nodes, failovers);
			}
		}
		finally {
			for (Node node : nodes) {
				if (node != null) {
					node.close();
				}
			}
			System.out.printf(Locale.ROOT, "Redis keys of this run deleted: %d%n", RedisKeys.forget(redis, prefix));
		}
	}

	private static void load(Node[] nodes, int sockets, int rate, int warmUp, int seconds) throws Exception {
		HttpClient ws = Targets.wsClient();
		long t0 = System.nanoTime();
		// Created through the three nodes at once (a third each), as a balancer would.
		List<CompletableFuture<List<String[]>>> creating = new ArrayList<>();
		for (int n = 0; n < 3; n++) {
			int count = sockets / 2 / 3 + ((n < (sockets / 2) % 3) ? 1 : 0);
			String base = nodes[n].base();
			creating.add(CompletableFuture.supplyAsync(() -> {
				try {
					return JoinStormBench.consults(base, count);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}));
		}
		List<String[]> tokens = new ArrayList<>();
		for (CompletableFuture<List<String[]>> part : creating) {
			tokens.addAll(part.get());
		}
		System.out.printf(Locale.ROOT, "set-up: %d consults created and accepted in %.1f s (load %s)%n", tokens.size(),
				(System.nanoTime() - t0) / 1e9, load());
		long[] heapBefore = new long[3];
		for (int n = 0; n < 3; n++) {
			heapBefore[n] = nodes[n].process.heapAfterGc();
		}
		t0 = System.nanoTime();
		List<Peer[]> pairs = new ArrayList<>();
		int[] held = new int[3];
		int batch = 64;
		int retried = 0;
		for (int start = 0; start < tokens.size(); start += batch) {
			List<CompletableFuture<Peer[]>> joining = new ArrayList<>();
			for (int i = start; i < Math.min(tokens.size(), start + batch); i++) {
				joining.add(Targets.joinPair(ws, nodes[i % 3].ws(), nodes[(i + 1) % 3].ws(), tokens.get(i)));
				held[i % 3]++;
				held[(i + 1) % 3]++;
			}
			for (int j = 0; j < joining.size(); j++) {
				int i = start + j;
				// A join refused with signalling.internal says "join again", as the pages
				// do.
				Peer[] pair = null;
				for (int attempt = 1; pair == null; attempt++) {
					try {
						pair = ((attempt == 1) ? joining.get(j)
								: Targets.joinPair(ws, nodes[i % 3].ws(), nodes[(i + 1) % 3].ws(), tokens.get(i)))
							.get(2, TimeUnit.MINUTES);
					}
					catch (java.util.concurrent.ExecutionException ex) {
						if (attempt >= 3 || !String.valueOf(ex.getCause()).contains("signalling.internal")) {
							throw ex;
						}
						retried++;
					}
				}
				pairs.add(pair);
			}
		}
		System.out.printf(Locale.ROOT, "set-up: %d sockets joined in %.1f s, %d pairs joined again (load %s)%n",
				2 * pairs.size(), (System.nanoTime() - t0) / 1e9, retried, load());
		double[] perPeer = new double[3];
		for (int n = 0; n < 3; n++) {
			perPeer[n] = (nodes[n].process.heapAfterGc() - heapBefore[n]) / 1024.0 / held[n];
		}

		OfferedLoad offered = new OfferedLoad(pairs);
		long loadFrom = System.currentTimeMillis();
		long benchGcBefore = gcMillis();
		String loadDuring = offered.run(rate, Duration.ofSeconds(warmUp), Duration.ofSeconds(seconds));
		long loadTo = System.currentTimeMillis();
		long benchGc = gcMillis() - benchGcBefore;
		for (Peer[] pair : pairs) {
			pair[0].close();
			pair[1].close();
		}

		System.out.println();
		System.out.printf(Locale.ROOT, "%8s %9s %10s %8s %8s %8s %10s %8s %9s%n", "sockets", "offered/s", "arrived/s",
				"p50 µs", "p99 µs", "p999 µs", "received", "lost", "reordered");
		System.out.printf(Locale.ROOT, "%8d %9d %10.0f %8d %8d %8d %10d %8d %9d%n", 2 * pairs.size(), rate,
				offered.arrivedPerSecond, offered.latency.getValueAtPercentile(50) / 1000,
				offered.latency.getValueAtPercentile(99) / 1000, offered.latency.getValueAtPercentile(99.9) / 1000,
				offered.received.get(), offered.sent.get() - offered.received.get(), offered.reordered.get());
		for (int n = 0; n < 3; n++) {
			System.out.printf(Locale.ROOT, "%s: %d peers, heap per peer %.1f KB (target <= 20 KB): %s%n", nodes[n].name,
					held[n], perPeer[n], (perPeer[n] <= 20) ? "PASS" : "MISS");
		}
		// Where a tail may come from: each node's collector, and this load generator's
		// own
		// (its 10,000 client sockets share the cores), over the load (warm-up included).
		for (Node node : nodes) {
			System.out.printf(Locale.ROOT, "%s during the load: %s%n", node.name,
					GcPauses.within(node.work, node.gcLogPrefix, loadFrom, loadTo));
		}
		System.out.printf(Locale.ROOT, "load generator during the load: GC %d ms in all%n", benchGc);
		double p99 = offered.latency.getValueAtPercentile(99) / 1000.0;
		System.out.printf(Locale.ROOT, "p99 at %d msg/s over %d sockets: %.2f ms (target <= 5 ms): %s; load %s%n", rate,
				2 * pairs.size(), p99 / 1000, (p99 <= 5000) ? "PASS" : "MISS", loadDuring);
		System.out.println();
	}

	private static void failover(Node[] nodes, int runs) throws Exception {
		HttpClient ws = Targets.wsClient();
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		long[] closedSeen = new long[runs];
		long[] rejoined = new long[runs];
		long[] heard = new long[runs];
		Node c = nodes[2];
		for (int run = 0; run < runs; run++) {
			Node victim = nodes[run % 2];
			Node other = nodes[(run + 1) % 2];
			String[] tokens = JoinStormBench.consults(c.base(), 1).get(0);
			Peer nurse = new Peer();
			Peer so = new Peer();
			CompletableFuture<String> nurseJoined = new CompletableFuture<>();
			CompletableFuture<String> soJoined = new CompletableFuture<>();
			CompletableFuture<String> soHeardJoin = new CompletableFuture<>();
			AtomicLong soHeardLeft = new AtomicLong();
			nurse.handler = (frame) -> {
				JsonNode message = JSON.readTree(frame);
				if (message.get("type").asString().equals("joined")) {
					nurseJoined.complete(message.get("peerId").asString());
				}
			};
			nurse.connect(ws, victim.ws()).get(30, TimeUnit.SECONDS);
			nurse.send("{\"type\":\"join\",\"token\":\"" + tokens[0] + "\"}");
			String nursePeer = nurseJoined.get(30, TimeUnit.SECONDS);
			CompletableFuture<String>[] nextJoin = new CompletableFuture[] { soHeardJoin };
			so.handler = (frame) -> {
				JsonNode message = JSON.readTree(frame);
				String type = message.get("type").asString();
				if (type.equals("joined")) {
					soJoined.complete(message.get("peerId").asString());
				}
				else if (type.equals("peer-joined")) {
					nextJoin[0].complete(message.get("peer").get("peerId").asString());
				}
				else if (type.equals("peer-left")) {
					soHeardLeft.incrementAndGet();
				}
			};
			so.connect(ws, c.ws()).get(30, TimeUnit.SECONDS);
			so.send("{\"type\":\"join\",\"token\":\"" + tokens[1] + "\"}");
			soJoined.get(30, TimeUnit.SECONDS);
			CompletableFuture<String> backAgain = new CompletableFuture<>();
			nextJoin[0] = backAgain;

			Peer again = new Peer();
			CompletableFuture<String> againJoined = new CompletableFuture<>();
			again.handler = (frame) -> {
				JsonNode message = JSON.readTree(frame);
				if (message.get("type").asString().equals("joined")) {
					againJoined.complete(message.get("peerId").asString());
				}
			};
			long killedAt = System.nanoTime();
			victim.process.kill();
			nurse.closed.get(30, TimeUnit.SECONDS);
			closedSeen[run] = System.nanoTime() - killedAt;
			// As the pages do on a dropped socket (at once here, not after their
			// back-off).
			again.connect(ws, other.ws()).get(30, TimeUnit.SECONDS);
			again.send("{\"type\":\"join\",\"token\":\"" + tokens[0] + "\"}");
			String samePeer = againJoined.get(30, TimeUnit.SECONDS);
			rejoined[run] = System.nanoTime() - killedAt;
			String heardPeer = backAgain.get(30, TimeUnit.SECONDS);
			heard[run] = System.nanoTime() - killedAt;
			if (!samePeer.equals(nursePeer) || !heardPeer.equals(nursePeer) || soHeardLeft.get() > 0) {
				throw new IllegalStateException("run " + (run + 1) + ": peer " + nursePeer + " came back as " + samePeer
						+ ", the SO heard " + heardPeer + " and " + soHeardLeft.get() + " peer-left");
			}
			System.out.printf(Locale.ROOT,
					"failover %d: %s killed; socket end seen %.0f ms, rejoined on %s %.0f ms, SO heard peer-joined"
							+ " %.0f ms after the kill (load %s)%n",
					run + 1, victim.name, closedSeen[run] / 1e6, other.name, rejoined[run] / 1e6, heard[run] / 1e6,
					load());
			again.close();
			so.close();
			victim.start();
		}
		System.out.printf(Locale.ROOT,
				"failover, median of %d: socket end seen %.0f ms, rejoined %.0f ms, SO heard peer-joined %.0f ms"
						+ " after the kill (max %.0f ms)%n",
				runs, median(closedSeen) / 1e6, median(rejoined) / 1e6, median(heard) / 1e6,
				Arrays.stream(heard).max().orElse(0) / 1e6);
	}

	private static double median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
	}

	/** The machine's load average (1, 5, 15 min). */
	/** This JVM's collectors' time so far, ms. */
	private static long gcMillis() {
		return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
			.filter((ms) -> ms > 0)
			.sum();
	}

	static String load() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (java.io.IOException ex) {
			return "?";
		}
	}

	private static int freePort() throws java.io.IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Messages offered at a fixed rate over all peers, whether or not earlier arrived.
	 */
	private static final class OfferedLoad {

		final Histogram latency = new ConcurrentHistogram(3);

		final AtomicLong sent = new AtomicLong();

		final AtomicLong received = new AtomicLong();

		final AtomicLong reordered = new AtomicLong();

		double arrivedPerSecond;

		private final List<Peer> peers = new ArrayList<>();

		private volatile boolean measuring;

		OfferedLoad(List<Peer[]> pairs) {
			for (Peer[] pair : pairs) {
				for (Peer peer : pair) {
					this.peers.add(peer);
					peer.handler = (frame) -> received(peer, frame);
					peer.running = true;
				}
			}
		}

		/**
		 * @return the load average at the end of measuring
		 */
		String run(int rate, Duration warmUp, Duration measure) throws InterruptedException {
			ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
			long began = System.nanoTime();
			AtomicLong offered = new AtomicLong();
			int[] next = { 0 };
			ticker.scheduleAtFixedRate(() -> {
				long due = (System.nanoTime() - began) * rate / 1_000_000_000L;
				while (offered.get() < due) {
					offered.incrementAndGet();
					Peer peer = this.peers.get(next[0]);
					next[0] = (next[0] + 1) % this.peers.size();
					this.sent.incrementAndGet();
					peer.sendNext();
				}
			}, 0, 1, TimeUnit.MILLISECONDS);
			Thread.sleep(warmUp.toMillis());
			this.latency.reset();
			long before = this.received.get();
			this.measuring = true;
			long start = System.nanoTime();
			Thread.sleep(measure.toMillis());
			this.measuring = false;
			this.arrivedPerSecond = (this.received.get() - before) / ((System.nanoTime() - start) / 1e9);
			String atEnd = load();
			ticker.shutdownNow();
			ticker.awaitTermination(5, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (System.nanoTime() < deadline && this.received.get() < this.sent.get()) {
				Thread.sleep(50);
			}
			return atEnd;
		}

		private void received(Peer receiver, String frame) {
			long seq = Peer.seq(frame);
			if (seq < 0) {
				return;
			}
			long sentAt = Peer.time(frame);
			synchronized (receiver) {
				if (seq != receiver.lastReceived + 1) {
					this.reordered.incrementAndGet();
				}
				receiver.lastReceived = Math.max(receiver.lastReceived, seq);
			}
			this.received.incrementAndGet();
			if (this.measuring) {
				this.latency.recordValue(Math.max(0, System.nanoTime() - sentAt));
			}
		}

	}

	/** One node: its JVM, started again after a kill on the same port. */
	private static final class Node {

		final String name;

		final int port;

		final List<String> command;

		final Path work;

		final String gcLogPrefix;

		ServerProcess process;

		Node(String name, int port, String backendJar, String redis, String prefix, String heap,
				List<String> jvmOptions, Path work) {
			this.name = name;
			this.port = port;
			this.work = work;
			// %p: a node started again after a kill writes a log of its own.
			this.gcLogPrefix = name.replace(' ', '-') + "-gc-";
			List<String> command = ServerProcess.jvmOptions(heap, jvmOptions);
			command.addAll(List.of(GcPauses.option(work.resolve(this.gcLogPrefix + "%p.log")), "-jar",
					new File(backendJar).getAbsolutePath(), "--spring.profiles.active=demo", "--server.port=" + port,
					"--beeldzorg.database.url=" + SERVER + DATABASE, "--beeldzorg.database.username=postgres",
					"--beeldzorg.redis.url=" + redis, "--beeldzorg.redis.key-prefix=" + prefix,
					"--beeldzorg.demo.history=false",
					"--beeldzorg.signalling.join-token-secret=cluster-bench-secret-of-at-least-32-chars",
					"--beeldzorg.signalling.join-token-ttl=2h", "--beeldzorg.signalling.reconnect-grace=30s",
					"--beeldzorg.signalling.messages-per-second=1000000",
					"--beeldzorg.signalling.message-burst=1000000", "--logging.level.root=WARN"));
			this.command = List.copyOf(command);
		}

		void start() throws Exception {
			long t0 = System.nanoTime();
			this.process = ServerProcess.start(this.name, this.command, this.work.toFile(),
					this.work.resolve(this.name.replace(' ', '-') + "-" + System.nanoTime() + ".log").toFile());
			this.process.awaitUp(base() + "/actuator/health/readiness");
			System.out.printf(Locale.ROOT, "%s ready in %.1f s (load %s)%n", this.name, (System.nanoTime() - t0) / 1e9,
					load());
		}

		String base() {
			return "http://127.0.0.1:" + this.port;
		}

		String ws() {
			return "ws://127.0.0.1:" + this.port + "/ws/signalling";
		}

		void close() throws InterruptedException {
			if (this.process != null) {
				this.process.close();
			}
		}

	}

}
