package nl.beeldzorg.glasses;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback playing the backend and its issuer: each path answers
 * from a queue of scripted replies (the last one repeats), and every request is recorded.
 */
final class FakeBackend implements AutoCloseable {

	/** One scripted reply. */
	interface Reply {

		void write(HttpExchange exchange) throws IOException;

	}

	/** A recorded request. */
	static final class Request {

		final String method;

		final String path;

		final String authorization;

		final Map<String, String> form;

		/** The raw query, or null. */
		String query;

		Request(String method, String path, String authorization, Map<String, String> form) {
			this.method = method;
			this.path = path;
			this.authorization = authorization;
			this.form = form;
		}

	}

	private final HttpServer server;

	private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();

	final List<Request> requests = new CopyOnWriteArrayList<>();

	FakeBackend() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	Origin origin() {
		return Origin.of("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	FakeBackend on(String path, Reply... script) {
		this.replies.computeIfAbsent(path, (p) -> new ArrayDeque<>()).addAll(java.util.Arrays.asList(script));
		return this;
	}

	static Reply json(int status, String body) {
		return (exchange) -> {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		};
	}

	/** The standard device-grant setup: client-config naming /demo, and its discovery. */
	FakeBackend withDemoIssuer() {
		String base = origin().toString();
		on("/api/v1/client-config", json(200,
				"{\"signIn\":{\"kind\":\"demo\",\"device\":{\"authority\":\"/demo\",\"clientId\":\"beeldzorg-glasses\"}}}"));
		on("/demo/.well-known/openid-configuration", json(200, "{\"issuer\":\"" + base + "/demo\",\"token_endpoint\":\""
				+ base + "/demo/oauth/token\",\"device_authorization_endpoint\":\"" + base + "/demo/oauth/device\"}"));
		return this;
	}

	List<Request> requestsTo(String path) {
		List<Request> matching = new java.util.ArrayList<>();
		for (Request request : this.requests) {
			if (request.path.equals(path)) {
				matching.add(request);
			}
		}
		return matching;
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		Map<String, String> form = new LinkedHashMap<>();
		if (!body.isEmpty()) {
			for (String pair : body.split("&")) {
				String[] parts = pair.split("=", 2);
				form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
						(parts.length > 1) ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
			}
		}
		String path = exchange.getRequestURI().getPath();
		Request request = new Request(exchange.getRequestMethod(), path,
				exchange.getRequestHeaders().getFirst("Authorization"), form);
		request.query = exchange.getRequestURI().getRawQuery();
		this.requests.add(request);
		Deque<Reply> script = this.replies.get(path);
		Reply reply;
		synchronized (this) {
			reply = (script == null || script.isEmpty()) ? null : (script.size() > 1) ? script.poll() : script.peek();
		}
		if (reply == null) {
			json(404, "{}").write(exchange);
			return;
		}
		reply.write(exchange);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
