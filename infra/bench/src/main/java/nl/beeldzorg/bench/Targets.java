package nl.beeldzorg.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How pairs of peers are set up on each server: through the Beeldzorg API and signalling
 * join, or simply paired by room on the bare relay.
 */
final class Targets {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Duration STEP = Duration.ofSeconds(30);

	private Targets() {
	}

	/**
	 * The client of all WebSockets: one event loop group, no pooling (each socket is its
	 * own).
	 */
	static HttpClient wsClient() {
		return HttpClient.create(ConnectionProvider.newConnection());
	}

	/**
	 * Creates consults as nurse.anna for so.sophie, accepted; returns the two join tokens
	 * of each.
	 */
	static List<String[]> consults(String base, int count) throws Exception {
		java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		String nurse = token(http, base, "nurse.anna");
		String so = token(http, base, "so.sophie");
		String soId = null;
		for (JsonNode user : json.readTree(get(http, base + "/demo/users", null))) {
			if (user.get("username").asString().equals("so.sophie")) {
				soId = user.get("userId").asString();
			}
		}
		String consultantId = soId;
		ExecutorService pool = Executors.newFixedThreadPool(16);
		try {
			List<Future<String[]>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int n = i;
				futures.add(pool.submit(() -> {
					JsonNode started = json.readTree(post(http, base + "/api/v1/consults", nurse,
							"{\"kind\":\"BEDSIDE\",\"locationId\":\"zga-de-sprengel\",\"clientRef\":\"B-" + n
									+ "\",\"urgency\":\"ROUTINE\",\"consultantId\":\"" + consultantId + "\"}"));
					String id = started.get("id").asString();
					JsonNode accepted = json.readTree(post(http, base + "/api/v1/consults/" + id + "/accept", so, ""));
					return new String[] { started.get("join").get("token").asString(),
							accepted.get("join").get("token").asString() };
				}));
			}
			List<String[]> tokens = new ArrayList<>();
			for (Future<String[]> future : futures) {
				tokens.add(future.get(2, TimeUnit.MINUTES));
			}
			return tokens;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Joins both parties of each consult to /ws/signalling; returns the pairs, addressed.
	 */
	static List<Peer[]> joinBackend(HttpClient client, String wsUrl, List<String[]> tokens) throws Exception {
		return joinBackend(client, wsUrl, wsUrl, tokens);
	}

	/**
	 * Joins the first party of each consult at {@code wsUrlA} and the second at
	 * {@code wsUrlB} (two nodes of one installation, or the same node twice).
	 */
	static List<Peer[]> joinBackend(HttpClient client, String wsUrlA, String wsUrlB, List<String[]> tokens)
			throws Exception {
		List<Peer[]> pairs = new ArrayList<>();
		int batch = 100;
		for (int start = 0; start < tokens.size(); start += batch) {
			List<CompletableFuture<Peer[]>> joining = new ArrayList<>();
			for (int i = start; i < Math.min(tokens.size(), start + batch); i++) {
				joining.add(joinPair(client, wsUrlA, wsUrlB, tokens.get(i)));
			}
			for (CompletableFuture<Peer[]> pair : joining) {
				pairs.add(pair.get(STEP.toSeconds(), TimeUnit.SECONDS));
			}
		}
		return pairs;
	}

	static CompletableFuture<Peer[]> joinPair(HttpClient client, String wsUrlA, String wsUrlB, String[] tokens) {
		Peer a = new Peer();
		Peer b = new Peer();
		CompletableFuture<String> aJoined = new CompletableFuture<>();
		CompletableFuture<String> bJoined = new CompletableFuture<>();
		CompletableFuture<String> aSawB = new CompletableFuture<>();
		a.handler = (frame) -> {
			JsonNode message = json.readTree(frame);
			String type = message.get("type").asString();
			if (type.equals("joined")) {
				aJoined.complete(message.get("peerId").asString());
			}
			else if (type.equals("peer-joined")) {
				aSawB.complete(message.get("peer").get("peerId").asString());
			}
			else if (type.equals("error")) {
				aJoined.completeExceptionally(new IllegalStateException(frame));
			}
		};
		b.handler = (frame) -> {
			JsonNode message = json.readTree(frame);
			if (message.get("type").asString().equals("joined")) {
				bJoined.complete(message.get("peerId").asString());
			}
			else if (message.get("type").asString().equals("error")) {
				bJoined.completeExceptionally(new IllegalStateException(frame));
			}
		};
		return a.connect(client, wsUrlA).thenCompose((ignored) -> {
			a.send("{\"type\":\"join\",\"token\":\"" + tokens[0] + "\"}");
			return aJoined;
		}).thenCompose((aId) -> b.connect(client, wsUrlB).thenCompose((ignored) -> {
			b.send("{\"type\":\"join\",\"token\":\"" + tokens[1] + "\"}");
			return bJoined;
		}).thenCompose((bId) -> aSawB.thenApply((seen) -> {
			a.to = bId;
			b.to = aId;
			return new Peer[] { a, b };
		})));
	}

	/** Pairs sockets by room on the bare relay. */
	static List<Peer[]> joinBare(String wsBase, int count) throws Exception {
		List<Peer[]> pairs = new ArrayList<>();
		int batch = 100;
		for (int start = 0; start < count; start += batch) {
			List<CompletableFuture<Peer[]>> joining = new ArrayList<>();
			for (int i = start; i < Math.min(count, start + batch); i++) {
				String room = "room-" + i;
				HttpClient client = wsClient().headers((h) -> h.set("x-room", room));
				Peer a = new Peer();
				Peer b = new Peer();
				a.to = "b";
				b.to = "a";
				joining.add(a.connect(client, wsBase + "/relay/" + room)
					.thenCompose((ignored) -> b.connect(client, wsBase + "/relay/" + room))
					.thenApply((ignored) -> new Peer[] { a, b }));
			}
			for (CompletableFuture<Peer[]> pair : joining) {
				pairs.add(pair.get(STEP.toSeconds(), TimeUnit.SECONDS));
			}
		}
		return pairs;
	}

	private static String token(java.net.http.HttpClient http, String base, String username) throws Exception {
		return json.readTree(post(http, base + "/demo/token", null, "{\"username\":\"" + username + "\"}"))
			.get("accessToken")
			.asString();
	}

	private static String get(java.net.http.HttpClient http, String url, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(STEP);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return check(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	private static String post(java.net.http.HttpClient http, String url, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(STEP)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return check(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
	}

	private static String check(HttpResponse<String> response) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException(response.statusCode() + " " + response.body());
		}
		return response.body();
	}

}
