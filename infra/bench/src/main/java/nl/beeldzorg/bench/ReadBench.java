package nl.beeldzorg.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The read benchmark: how long one {@code GET /api/v1/consults/{id}} takes, alone and
 * with several readers at once. Since NEN 7513 read logging, each such read appends a
 * {@code READ} record to the audit chain (whose appends share one lock); run it against a
 * backend jar from before and after to see what that costs.
 *
 * <pre>
 * java -jar bench.jar reads [--runs 300] [--readers 8] [--backend-jar PATH]
 * </pre>
 */
final class ReadBench {

	private static final String DATABASE = "beeldzorg_read_bench";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ReadBench() {
	}

	static void main(List<String> args) throws Exception {
		int runs = 300;
		int readers = 8;
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--runs" -> runs = Integer.parseInt(args.get(++i));
				case "--readers" -> readers = Integer.parseInt(args.get(++i));
				case "--backend-jar" -> backendJar = args.get(++i);
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		try (DemoOnPostgres backend = DemoOnPostgres.start(DATABASE, "-Xmx1g", backendJar)) {
			String base = backend.base();
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			String nurse = token(http, base, "nurse.anna");
			String sophie = null;
			HttpRequest users = HttpRequest.newBuilder(URI.create(base + "/demo/users")).build();
			for (JsonNode user : JSON.readTree(send(http, users))) {
				if (user.get("username").asString().equals("so.sophie")) {
					sophie = user.get("userId").asString();
				}
			}
			String location = JSON.readTree(send(http, authorized(base + "/api/v1/locations", nurse).build()))
				.get(0)
				.get("id")
				.asString();
			String body = "{\"kind\":\"BEDSIDE\",\"locationId\":\"" + location + "\",\"clientRef\":\"K-bench\","
					+ "\"urgency\":\"URGENT\",\"consultantId\":\"" + sophie + "\"}";
			String id = JSON
				.readTree(send(http,
						authorized(base + "/api/v1/consults", nurse).header("Content-Type", "application/json")
							.POST(HttpRequest.BodyPublishers.ofString(body))
							.build()))
				.get("id")
				.asString();
			HttpRequest read = authorized(base + "/api/v1/consults/" + id, nurse).build();
			for (int i = 0; i < 50; i++) {
				send(http, read);
			}
			System.out.printf(Locale.ROOT, "%nGET /api/v1/consults/{id} (%s)%n", backendJar);
			System.out.printf(Locale.ROOT, "%-28s %8s %8s %8s %10s%n", "", "median", "p90", "p99", "reads/s");
			long[] one = timed(http, read, runs, 1);
			report("1 reader", one, runs, 1);
			long[] many = timed(http, read, runs, readers);
			report(readers + " readers at once", many, runs, readers);
		}
	}

	private static long[] timed(HttpClient http, HttpRequest read, int runs, int readers) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(readers);
		try {
			List<Future<long[]>> all = new ArrayList<>();
			long start = System.nanoTime();
			for (int r = 0; r < readers; r++) {
				all.add(pool.submit(() -> {
					long[] micros = new long[runs];
					for (int i = 0; i < runs; i++) {
						long t = System.nanoTime();
						send(http, read);
						micros[i] = (System.nanoTime() - t) / 1_000;
					}
					return micros;
				}));
			}
			long[] micros = new long[runs * readers];
			for (int r = 0; r < readers; r++) {
				System.arraycopy(all.get(r).get(), 0, micros, r * runs, runs);
			}
			long elapsed = System.nanoTime() - start;
			Arrays.sort(micros);
			micros = Arrays.copyOf(micros, micros.length + 1);
			micros[micros.length - 1] = elapsed / 1_000;
			return micros;
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void report(String label, long[] timings, int runs, int readers) {
		int n = timings.length - 1;
		double seconds = timings[n] / 1e6;
		System.out.printf(Locale.ROOT, "%-28s %6.1f ms %6.1f ms %6.1f ms %10.0f%n", label, timings[n / 2] / 1e3,
				timings[(int) (n * 0.9)] / 1e3, timings[(int) (n * 0.99)] / 1e3, runs * readers / seconds);
	}

	private static String token(HttpClient http, String base, String username) throws Exception {
		return JSON
			.readTree(send(http,
					HttpRequest.newBuilder(URI.create(base + "/demo/token"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\"}"))
						.build()))
			.get("accessToken")
			.asString();
	}

	private static HttpRequest.Builder authorized(String url, String token) {
		return HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(30));
	}

	private static String send(HttpClient http, HttpRequest request) throws Exception {
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(response.statusCode() + " " + response.body());
		}
		return response.body();
	}

}
