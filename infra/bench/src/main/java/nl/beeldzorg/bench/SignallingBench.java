package nl.beeldzorg.bench;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import reactor.netty.http.client.HttpClient;

/**
 * The signalling benchmark. Starts the backend (demo mode, rate limit lifted) and a bare
 * Reactor Netty relay, each in its own JVM; drives both with the same generator; prints
 * messages per second, relay latency, and server heap per connected peer after GC.
 *
 * <pre>
 * java -jar bench.jar [--backend-jar PATH] [--pairs 100] [--seconds 15] [--heap-pairs 5000] [--quick]
 * java -jar bench.jar bare-relay PORT
 * </pre>
 */
public final class SignallingBench {

	private SignallingBench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals("bare-relay")) {
			BareRelay.main(Integer.parseInt(args[1]));
			return;
		}
		if (args.length > 0 && args[0].equals("calls")) {
			CallBench.main(List.of(args).subList(1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("reads")) {
			ReadBench.main(List.of(args).subList(1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("nodes")) {
			NodesBench.main(List.of(args).subList(1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("cluster")) {
			ClusterBench.main(List.of(args).subList(1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("join-storm")) {
			JoinStormBench.main(List.of(args).subList(1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("cold-start")) {
			ColdStartBench.main(List.of(args).subList(1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("reports")) {
			ReportBench.main(List.of(args).subList(1, args.length));
			return;
		}
		Options options = Options.parse(args);
		Path work = Files.createTempDirectory("beeldzorg-bench");
		// Launched with "java -jar bench.jar": the class path is the jar itself.
		String self = System.getProperty("java.class.path");
		int backendPort = freePort();
		int barePort = freePort();
		List<String> rows = new ArrayList<>();
		System.out.printf(Locale.ROOT,
				"Beeldzorg signalling benchmark: %d pairs for %d s, heap with %d pairs; %d cores%n", options.pairs,
				options.seconds, options.heapPairs, Runtime.getRuntime().availableProcessors());
		System.out.println("Server rate limit lifted (--beeldzorg.signalling.messages-per-second=1000000): this"
				+ " measures the relay, not the limiter.");
		try (ServerProcess backend = ServerProcess.start("backend",
				List.of("-Xmx2g", "-XX:+UseG1GC", "-jar", new File(options.backendJar).getAbsolutePath(),
						"--spring.profiles.active=demo", "--server.port=" + backendPort,
						"--beeldzorg.signalling.messages-per-second=1000000",
						"--beeldzorg.signalling.message-burst=1000000", "--logging.level.root=WARN"),
				work.toFile(), work.resolve("backend.log").toFile());
				ServerProcess bare = ServerProcess.start(
						"bare relay", List.of("-Xmx2g", "-XX:+UseG1GC", "-jar", new File(self).getAbsolutePath(),
								"bare-relay", Integer.toString(barePort)),
						work.toFile(), work.resolve("bare.log").toFile())) {
			String base = "http://127.0.0.1:" + backendPort;
			backend.awaitUp(base + "/actuator/health");
			awaitPort(barePort);
			HttpClient ws = Targets.wsClient();
			String wsUrl = "ws://127.0.0.1:" + backendPort + "/ws/signalling";
			String bareBase = "ws://127.0.0.1:" + barePort;

			// 1. Throughput and latency at the small size, backend then bare relay.
			long t0 = System.nanoTime();
			List<Peer[]> pairs = Targets.joinBackend(ws, wsUrl, Targets.consults(base, options.pairs));
			System.out.printf(Locale.ROOT, "set-up: %d consults created, accepted and joined in %.1f s%n",
					options.pairs, (System.nanoTime() - t0) / 1e9);
			RelayLoad.Figures small = new RelayLoad().run(pairs, Duration.ofSeconds(options.warmUp),
					Duration.ofSeconds(options.seconds));
			close(pairs);
			List<Peer[]> barePairs = Targets.joinBare(bareBase, options.pairs);
			RelayLoad.Figures smallBare = new RelayLoad().run(barePairs, Duration.ofSeconds(options.warmUp),
					Duration.ofSeconds(options.seconds));
			close(barePairs);
			rows.add(row("backend", options.pairs, small, null));
			rows.add(row("bare relay", options.pairs, smallBare, null));

			// 2. Heap per connected peer and correctness at the large size.
			t0 = System.nanoTime();
			List<String[]> tokens = Targets.consults(base, options.heapPairs);
			System.out.printf(Locale.ROOT, "set-up: %d consults created and accepted in %.1f s%n", options.heapPairs,
					(System.nanoTime() - t0) / 1e9);
			long heapBefore = backend.heapAfterGc();
			t0 = System.nanoTime();
			List<Peer[]> many = Targets.joinBackend(ws, wsUrl, tokens);
			System.out.printf(Locale.ROOT, "set-up: %d sockets joined in %.1f s%n", 2 * many.size(),
					(System.nanoTime() - t0) / 1e9);
			long heapAfter = backend.heapAfterGc();
			double perPeer = (heapAfter - heapBefore) / 1024.0 / (2 * many.size());
			RelayLoad.Figures large = new RelayLoad().run(many, Duration.ofSeconds(2),
					Duration.ofSeconds(options.heapSeconds));
			close(many);
			long bareBefore = bare.heapAfterGc();
			List<Peer[]> bareMany = Targets.joinBare(bareBase, options.heapPairs);
			long bareAfter = bare.heapAfterGc();
			double barePerPeer = (bareAfter - bareBefore) / 1024.0 / (2 * bareMany.size());
			RelayLoad.Figures largeBare = new RelayLoad().run(bareMany, Duration.ofSeconds(2),
					Duration.ofSeconds(options.heapSeconds));
			close(bareMany);
			rows.add(row("backend", options.heapPairs, large, perPeer));
			rows.add(row("bare relay", options.heapPairs, largeBare, barePerPeer));

			System.out.println();
			System.out.printf(Locale.ROOT, "%-11s %6s %10s %8s %8s %8s %13s %10s %8s %9s%n", "server", "pairs",
					"msgs/s", "p50 µs", "p99 µs", "p999 µs", "heap/peer KB", "received", "lost", "reordered");
			rows.forEach(System.out::println);
			System.out.println();
			double ratio = small.messagesPerSecond() / smallBare.messagesPerSecond();
			System.out.printf(Locale.ROOT, "backend/bare at %d pairs: %.2f x (target >= 0.60): %s%n", options.pairs,
					ratio, (ratio >= 0.6) ? "PASS" : "MISS");
			System.out.printf(Locale.ROOT, "heap per connected peer at %d pairs: %.1f KB (target <= 20 KB): %s%n",
					options.heapPairs, perPeer, (perPeer <= 20) ? "PASS" : "MISS");
			boolean clean = large.lost() == 0 && large.reordered() == 0 && small.lost() == 0 && small.reordered() == 0;
			System.out.printf(Locale.ROOT, "lost or reordered messages through the backend: %d / %d: %s%n",
					small.lost() + large.lost(), small.reordered() + large.reordered(), clean ? "PASS" : "MISS");
		}
	}

	private static String row(String server, int pairs, RelayLoad.Figures f, Double heapPerPeer) {
		return String.format(Locale.ROOT, "%-11s %6d %10.0f %8d %8d %8d %13s %10d %8d %9d", server, pairs,
				f.messagesPerSecond(), f.p50(), f.p99(), f.p999(),
				(heapPerPeer != null) ? String.format(Locale.ROOT, "%.1f", heapPerPeer) : "-", f.received(), f.lost(),
				f.reordered());
	}

	private static void close(List<Peer[]> pairs) throws InterruptedException {
		for (Peer[] pair : pairs) {
			pair[0].close();
			pair[1].close();
		}
		Thread.sleep(1000);
	}

	private static int freePort() throws java.io.IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void awaitPort(int port) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return;
			}
			catch (java.io.IOException ex) {
				Thread.sleep(200);
			}
		}
		throw new IllegalStateException("bare relay did not listen on " + port);
	}

	/** Command-line options. */
	private static final class Options {

		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";

		int pairs = 100;

		int seconds = 15;

		int warmUp = 5;

		int heapPairs = 5000;

		int heapSeconds = 10;

		static Options parse(String[] args) {
			Options options = new Options();
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--backend-jar" -> options.backendJar = args[++i];
					case "--pairs" -> options.pairs = Integer.parseInt(args[++i]);
					case "--seconds" -> options.seconds = Integer.parseInt(args[++i]);
					case "--heap-pairs" -> options.heapPairs = Integer.parseInt(args[++i]);
					case "--quick" -> {
						options.pairs = 20;
						options.seconds = 3;
						options.warmUp = 1;
						options.heapPairs = 200;
						options.heapSeconds = 2;
					}
					default -> throw new IllegalArgumentException("unknown option " + args[i]);
				}
			}
			return options;
		}

	}

}
