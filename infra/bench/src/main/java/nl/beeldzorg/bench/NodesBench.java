package nl.beeldzorg.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import reactor.netty.http.client.HttpClient;

/**
 * Signalling across nodes: two backend JVMs sharing PostgreSQL and Redis. The same load
 * (pairs of peers, one message in flight per peer) runs with both peers of every consult
 * on one node and with the two peers on different nodes, in the same run: both ways
 * warmed first, then measured in turn for a number of rounds. Prints every round, the
 * ratios (target: across nodes at least half the one-node rate, judged on the median
 * round), and checks that nothing was lost or reordered.
 *
 * <pre>
 * java -jar bench.jar nodes [--pairs 100] [--seconds 15] [--warm-up 20] [--rounds 3] [--redis redis://127.0.0.1:6379] [--backend-jar PATH] [--node-jvm OPTION]...
 * </pre>
 */
final class NodesBench {

	private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	private static final String DATABASE = "beeldzorg_nodes_bench";

	/** Before each measured round: the other way's load has just stopped. */
	private static final Duration SETTLE = Duration.ofSeconds(5);

	private NodesBench() {
	}

	static void main(List<String> args) throws Exception {
		int pairs = 100;
		int seconds = 15;
		int warmUp = 20;
		int rounds = 3;
		String redis = "redis://127.0.0.1:6379";
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		List<String> nodeJvm = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--pairs" -> pairs = Integer.parseInt(args.get(++i));
				case "--seconds" -> seconds = Integer.parseInt(args.get(++i));
				case "--warm-up" -> warmUp = Integer.parseInt(args.get(++i));
				case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
				case "--redis" -> redis = args.get(++i);
				case "--backend-jar" -> backendJar = args.get(++i);
				case "--node-jvm" -> nodeJvm.add(args.get(++i));
				case "--quick" -> {
					pairs = 20;
					seconds = 3;
					warmUp = 1;
					rounds = 1;
				}
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
				Statement statement = admin.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + DATABASE);
		}
		Path work = Files.createTempDirectory("beeldzorg-nodes-bench");
		String prefix = "beeldzorg-bench-" + UUID.randomUUID() + ":";
		int portA = freePort();
		int portB = freePort();
		System.out.printf(Locale.ROOT,
				"Beeldzorg signalling across nodes: 2 nodes, %d pairs for %d s each way; %d cores%n", pairs, seconds,
				Runtime.getRuntime().availableProcessors());
		// One after the other: the first seeds the demo data, the second finds it.
		try (ServerProcess a = ServerProcess.start("node A", node(backendJar, portA, redis, prefix, nodeJvm),
				work.toFile(), work.resolve("node-a.log").toFile())) {
			String baseA = "http://127.0.0.1:" + portA;
			a.awaitUp(baseA + "/actuator/health");
			try (ServerProcess b = ServerProcess.start("node B", node(backendJar, portB, redis, prefix, nodeJvm),
					work.toFile(), work.resolve("node-b.log").toFile())) {
				b.awaitUp("http://127.0.0.1:" + portB + "/actuator/health");
				measure(baseA, portA, portB, pairs, warmUp, seconds, rounds);
			}
		}
		finally {
			System.out.printf(Locale.ROOT, "Redis keys of this run deleted: %d%n", RedisKeys.forget(redis, prefix));
		}
	}

	private static void measure(String baseA, int portA, int portB, int pairs, int warmUp, int seconds, int rounds)
			throws Exception {
		HttpClient ws = Targets.wsClient();
		String wsA = "ws://127.0.0.1:" + portA + "/ws/signalling";
		String wsB = "ws://127.0.0.1:" + portB + "/ws/signalling";

		List<Peer[]> together = Targets.joinBackend(ws, wsA, wsA, Targets.consults(baseA, pairs));
		List<Peer[]> apart = Targets.joinBackend(ws, wsA, wsB, Targets.consults(baseA, pairs));
		// Both ways warm before either is measured: node B runs nothing until the load
		// crosses, and node A's code was compiled for one node's path.
		new RelayLoad().run(together, Duration.ofSeconds(warmUp), Duration.ofSeconds(1));
		new RelayLoad().run(apart, Duration.ofSeconds(warmUp), Duration.ofSeconds(1));
		List<RelayLoad.Figures> ones = new ArrayList<>();
		List<RelayLoad.Figures> acrosses = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			ones.add(new RelayLoad().run(together, SETTLE, Duration.ofSeconds(seconds)));
			acrosses.add(new RelayLoad().run(apart, SETTLE, Duration.ofSeconds(seconds)));
		}
		close(together);
		close(apart);

		System.out.println();
		System.out.printf(Locale.ROOT, "%-5s %-22s %6s %10s %8s %8s %8s %10s %8s %9s%n", "round", "peers of a consult",
				"pairs", "msgs/s", "p50 µs", "p99 µs", "p999 µs", "received", "lost", "reordered");
		List<Double> ratios = new ArrayList<>();
		long lost = 0;
		long reordered = 0;
		for (int round = 0; round < rounds; round++) {
			RelayLoad.Figures one = ones.get(round);
			RelayLoad.Figures across = acrosses.get(round);
			System.out.println(row(round + 1, "on one node", pairs, one));
			System.out.println(row(round + 1, "on two nodes (Redis)", pairs, across));
			ratios.add(across.messagesPerSecond() / one.messagesPerSecond());
			lost = Math.max(lost, Math.max(one.lost(), across.lost()));
			reordered = Math.max(reordered, Math.max(one.reordered(), across.reordered()));
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "two nodes / one node by round: %s%n",
				ratios.stream().map((r) -> String.format(Locale.ROOT, "%.2f x", r)).toList());
		List<Double> sorted = ratios.stream().sorted().toList();
		double median = sorted.get(sorted.size() / 2);
		System.out.printf(Locale.ROOT,
				"two nodes / one node at %d pairs, median of %d rounds: %.2f x, lowest %.2f x (target >= 0.50): %s%n",
				pairs, rounds, median, sorted.get(0), (median >= 0.5) ? "PASS" : "MISS");
		// Counted over the whole run (every round's peers are the same sockets).
		boolean clean = lost == 0 && reordered == 0;
		System.out.printf(Locale.ROOT, "lost or reordered: %d / %d: %s%n", lost, reordered, clean ? "PASS" : "MISS");
	}

	private static List<String> node(String backendJar, int port, String redis, String prefix,
			List<String> jvmOptions) {
		List<String> command = ServerProcess.jvmOptions("-Xmx1g", jvmOptions);
		command.addAll(List.of("-jar", new File(backendJar).getAbsolutePath(), "--spring.profiles.active=demo",
				"--server.port=" + port, "--beeldzorg.database.url=" + SERVER + DATABASE,
				"--beeldzorg.database.username=postgres", "--beeldzorg.redis.url=" + redis,
				"--beeldzorg.redis.key-prefix=" + prefix, "--beeldzorg.demo.history=false",
				"--beeldzorg.signalling.join-token-secret=nodes-bench-secret-of-at-least-32-chars",
				"--beeldzorg.signalling.messages-per-second=1000000", "--beeldzorg.signalling.message-burst=1000000",
				"--logging.level.root=WARN"));
		return command;
	}

	private static String row(int round, String where, int pairs, RelayLoad.Figures f) {
		return String.format(Locale.ROOT, "%-5d %-22s %6d %10.0f %8d %8d %8d %10d %8d %9d", round, where, pairs,
				f.messagesPerSecond(), f.p50(), f.p99(), f.p999(), f.received(), f.lost(), f.reordered());
	}

	private static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void close(List<Peer[]> pairs) throws InterruptedException {
		for (Peer[] pair : pairs) {
			pair[0].close();
			pair[1].close();
		}
		Thread.sleep(1000);
	}

}
