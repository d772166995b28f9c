package nl.beeldzorg.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import com.microsoft.playwright.Page;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.NodeProcess;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real calls between the glasses page and the consultant's app in Chromium, both served
 * by two node JVMs behind HAProxy (started from {@code infra/haproxy/haproxy.cfg}: TLS,
 * round robin, no stickiness). The nodes and HAProxy are shared by the tests; a node a
 * test stopped or killed is started again, on the same port, before the next.
 * <ul>
 * <li>Rolling restart: each node in turn gets SIGTERM (it drains: {@code reconnect}), is
 * started again and taken back by HAProxy, then the next; video grows in every second on
 * both pages and the call ends normally.</li>
 * <li>The pages are spread over the two nodes (asserted through each node's own count of
 * the peers it holds), and the node holding exactly one page's socket is killed without
 * warning: media never stops on either side, the page whose socket dropped is back
 * through HAProxy and its ICE restart completed within 5 s, and the other page never lost
 * its socket.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallThroughHaproxyTests {

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	private static final Duration BACK_WITHIN = Duration.ofSeconds(5);

	private static final Path HAPROXY_LOG = Path.of("target", "haproxy-call.log");

	// Per page: its signalling events with the page's clock.
	private static final String WATCH = """
			(name) => {
			  const call = window[name].call;
			  window.signalling = [];
			  if (!window.watching) {
			    window.watching = true;
			    call.addEventListener("signalling", (e) => window.signalling.push({ state: e.detail.state, at: Date.now() }));
			  }
			}""";

	// Per page: its ICE restarts, and its peer connection's state and ICE user fragments.
	private static final String PEER = """
			(name) => {
			  const call = window[name].call;
			  const entry = call.peers.values().next().value;
			  const sdp = entry.pc.localDescription ? entry.pc.localDescription.sdp : "";
			  const remote = entry.pc.remoteDescription ? entry.pc.remoteDescription.sdp : "";
			  const ufrag = (s) => { const m = /a=ice-ufrag:(\\S+)/.exec(s); return m ? m[1] : ""; };
			  return { restarts: call.iceRestarts || 0, signalling: entry.pc.signalingState,
			    connection: entry.pc.connectionState, ufrag: ufrag(sdp), remoteUfrag: ufrag(remote),
			    socket: call.ws ? call.ws.readyState : -1, events: window.signalling };
			}""";

	// The page's signalling socket goes to another node, as after a "reconnect".
	private static final String MOVE = """
			(name) => { const call = window[name].call; call.reconnectIn = 0; call.ws.close(); }""";

	@TempDir
	static Path dir;

	private static KeyPair key;

	private static String database;

	private static final List<NodeProcess> nodes = new ArrayList<>();

	private static Process haproxy;

	private static String base;

	private static String operator;

	@BeforeAll
	static void startCluster() throws Exception {
		key = rsa();
		operator = operatorToken(key);
		Path signingKey = dir.resolve("demo-signing-key.pem");
		Files.writeString(signingKey,
				"-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
						+ "\n-----END PRIVATE KEY-----\n");
		database = TestPostgres.createDatabase("beeldzorg_haproxy");
		String[] args = { "--beeldzorg.database.url=" + database, "--beeldzorg.database.username=" + TestPostgres.USER,
				"--beeldzorg.redis.url=" + REDIS,
				"--beeldzorg.redis.key-prefix=beeldzorg-test-" + UUID.randomUUID() + ":",
				"--beeldzorg.redis.presence-ttl=3s", "--beeldzorg.signalling.reconnect-grace=15s",
				"--beeldzorg.signalling.join-token-secret=haproxy-test-secret-of-at-least-32-chars",
				"--beeldzorg.demo.history=false", "--beeldzorg.demo.signing-key=" + signingKey };
		// The first node migrates and seeds the database; the second finds it done.
		nodes.add(NodeProcess.start("haproxy-node-1", args));
		nodes.add(NodeProcess.start("haproxy-node-2", args));
		int https = freePort();
		haproxy = haproxy(dir, nodes, https);
		base = "https://127.0.0.1:" + https;
		await("HAProxy listening").atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptionsInstanceOf(IOException.class)
			.until(() -> {
				try (Socket socket = new Socket("127.0.0.1", https)) {
					return true;
				}
			});
		// Both nodes pass HAProxy's checks (inter 1s, fall 3) for three seconds on end.
		await("both nodes in HAProxy's rotation").during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(10))
			.until(() -> inRotation(0) && inRotation(1));
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (haproxy != null) {
			haproxy.destroy();
			haproxy.waitFor();
		}
		nodes.forEach(NodeProcess::close);
		if (database != null) {
			TestPostgres.dropDatabase(database);
		}
	}

	/** A node an earlier test stopped or killed runs again, and HAProxy sends to it. */
	@BeforeEach
	void bothNodesRun() {
		for (int n = 0; n < nodes.size(); n++) {
			if (!nodes.get(n).isAlive()) {
				nodes.set(n, nodes.get(n).restart());
			}
			int node = n;
			await("node" + (n + 1) + " in HAProxy's rotation").atMost(Duration.ofSeconds(15))
				.until(() -> inRotation(node));
		}
	}

	@Test
	@Order(1)
	void aRollingRestartOfEveryNodeNeverDropsTheCall() throws Exception {
		try (Browsers browsers = Browsers.launch("--ignore-certificate-errors")) {
			CallPages pages = inCall(browsers, "K-ROLLING");
			Page glasses = pages.glasses();
			Page app = pages.app();
			long began = System.currentTimeMillis();
			videoIn(glasses, GLASSES);
			videoIn(app, APP);
			int samples = 0;
			for (int n = 0; n < nodes.size(); n++) {
				int node = n;
				int[] before = { peersHeld(nodes.get(0)), peersHeld(nodes.get(1)) };
				// SIGTERM (the node drains: "reconnect" to its peers), a new JVM on the
				// same
				// port, ready, and back in HAProxy's rotation; media is sampled
				// meanwhile.
				CompletableFuture<NodeProcess> restart = CompletableFuture.supplyAsync(() -> {
					nodes.get(node).stop();
					return nodes.get(node).restart();
				});
				long stoppedAt = System.currentTimeMillis();
				samples += sampleVideoWhile(() -> !restart.isDone(), glasses, app, "restart of node" + (n + 1));
				nodes.set(n, restart.get());
				System.out.printf("[haproxy-rolling] node%d: peers held before %s; stopped and ready again in %d ms%n",
						n + 1, java.util.Arrays.toString(before), System.currentTimeMillis() - stoppedAt);
				samples += sampleVideoWhile(() -> !inRotationNow(node), glasses, app, "node" + (n + 1) + " rejoining");
				System.out.printf("[haproxy-rolling] node%d back in HAProxy's rotation %d ms after its SIGTERM%n",
						n + 1, System.currentTimeMillis() - stoppedAt);
			}
			System.out.printf("[haproxy-rolling] both nodes restarted in %d ms, %d one-second samples of video%n",
					System.currentTimeMillis() - began, samples);

			// Both pages moved at least once (on node2's restart both sockets were on it:
			// node1 had just been away), are joined again, and the call goes on.
			assertThat(peersHeld(nodes.get(0)) + peersHeld(nodes.get(1))).as("both pages joined, once").isEqualTo(2);
			for (Object[] side : new Object[][] { { glasses, GLASSES }, { app, APP } }) {
				Map<String, Object> after = awaitStable((Page) side[0], (String) side[1]);
				List<?> events = (List<?>) after.get("events");
				assertThat(events).as("%s's signalling across the restarts", side[1])
					.anySatisfy((event) -> assertThat(((Map<?, ?>) event).get("state")).isEqualTo("reconnecting"));
				assertThat(((Map<?, ?>) events.get(events.size() - 1)).get("state"))
					.as("%s's signalling at the end: %s", side[1], events)
					.isEqualTo("open");
			}
			CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(5));
			CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(5));
			// The consult ends as any other: the nurse's glasses hear it.
			pages.endAndReset();
		}
	}

	@Test
	@Order(2)
	void killingTheNodeOfOnePagesSocketNeitherStopsMediaNorSignallingForLong() throws Exception {
		try (Browsers browsers = Browsers.launch("--ignore-certificate-errors")) {
			CallPages pages = inCall(browsers, "K-HAPROXY");
			Page glasses = pages.glasses();
			Page app = pages.app();

			int[] held = spreadOverTheNodes(glasses, app);
			int victim = 0;
			System.out.printf("[haproxy-call] peers held: node1=%d node2=%d; killing node%d%n", held[0], held[1],
					victim + 1);
			glasses.evaluate(WATCH, GLASSES);
			app.evaluate(WATCH, APP);
			Map<String, Object> glassesBefore = peer(glasses, GLASSES);
			Map<String, Object> appBefore = peer(app, APP);

			long killedAt = System.currentTimeMillis();
			nodes.get(victim).kill();

			// Media keeps flowing in every one-second window on both sides for 8 s; the
			// page whose socket dropped is back, and its ICE restart done, meanwhile.
			Map<String, Long> back = new HashMap<>();
			Map<String, Long> restarted = new HashMap<>();
			videoIn(glasses, GLASSES);
			videoIn(app, APP);
			long nextSample = killedAt + 1000;
			int samples = 0;
			while (System.currentTimeMillis() - killedAt < 8_000) {
				glasses.waitForTimeout(200);
				for (Object[] side : new Object[][] { { glasses, GLASSES, glassesBefore }, { app, APP, appBefore } }) {
					String global = (String) side[1];
					Map<String, Object> now = peer((Page) side[0], global);
					@SuppressWarnings("unchecked")
					Map<String, Object> before = (Map<String, Object>) side[2];
					List<?> events = (List<?>) now.get("events");
					events.stream()
						.map((event) -> (Map<?, ?>) event)
						.filter((event) -> "open".equals(event.get("state")))
						.findFirst()
						.ifPresent((event) -> back.putIfAbsent(global, ((Number) event.get("at")).longValue()));
					if (!events.isEmpty() && !now.get("ufrag").equals(before.get("ufrag"))
							&& "stable".equals(now.get("signalling")) && "connected".equals(now.get("connection"))) {
						restarted.putIfAbsent(global, System.currentTimeMillis());
					}
				}
				if (System.currentTimeMillis() >= nextSample) {
					nextSample += 1000;
					samples++;
					assertVideoGrew(glasses, app, "+" + (System.currentTimeMillis() - killedAt) + " ms after the kill");
				}
			}
			assertThat(samples).isGreaterThanOrEqualTo(6);

			List<String> dropped = new ArrayList<>();
			for (Object[] side : new Object[][] { { glasses, GLASSES }, { app, APP } }) {
				String global = (String) side[1];
				Map<String, Object> after = awaitStable((Page) side[0], global);
				System.out.printf("[haproxy-call] %s after the kill: %s%n", global, after);
				if (!((List<?>) after.get("events")).isEmpty()) {
					dropped.add(global);
				}
			}
			assertThat(dropped).as("exactly the page whose socket was on the killed node lost it").hasSize(1);
			String lost = dropped.get(0);
			assertThat(back).as("%s reopened its signalling", lost).containsKey(lost);
			assertThat(restarted).as("%s's ICE restart completed", lost).containsKey(lost);
			long signallingBack = back.get(lost) - killedAt;
			long iceRestarted = restarted.get(lost) - killedAt;
			System.out.printf("[haproxy-call] %s: signalling back %d ms, ICE restart done %d ms after the kill%n", lost,
					signallingBack, iceRestarted);
			assertThat(Duration.ofMillis(signallingBack)).as("%s back through HAProxy", lost).isLessThan(BACK_WITHIN);
			assertThat(Duration.ofMillis(iceRestarted)).as("%s's ICE restart", lost).isLessThan(BACK_WITHIN);
			Map<String, Object> lostBefore = GLASSES.equals(lost) ? glassesBefore : appBefore;
			Map<String, Object> lostAfter = peer(GLASSES.equals(lost) ? glasses : app, lost);
			assertThat(((Number) lostAfter.get("restarts")).intValue()
					+ ((Number) peer(GLASSES.equals(lost) ? app : glasses, GLASSES.equals(lost) ? APP : GLASSES)
						.get("restarts")).intValue()
					- ((Number) lostBefore.get("restarts")).intValue()
					- ((Number) (GLASSES.equals(lost) ? appBefore : glassesBefore).get("restarts")).intValue())
				.as("ICE restarts after the kill")
				.isPositive();
			CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(5));
			CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(5));
			pages.endAndReset();
		}
	}

	/**
	 * Signs the nurse and the SO in through HAProxy and puts them in a call with media.
	 */
	private static CallPages inCall(Browsers browsers, String clientRef) {
		CallPages pages = new CallPages(browsers, base);
		pages.signIn("nurse.anna", "so.sophie");
		pages.startConsult(clientRef);
		CallPages.visible(pages.app(), "#ringing .accept");
		pages.accept();
		CallPages.awaitMediaFlowing(pages.glasses(), GLASSES, Duration.ofSeconds(30));
		CallPages.awaitMediaFlowing(pages.app(), APP, Duration.ofSeconds(30));
		pages.glasses().evaluate(WATCH, GLASSES);
		pages.app().evaluate(WATCH, APP);
		return pages;
	}

	/**
	 * Moves the pages' sockets through HAProxy until each node holds one of them, as each
	 * node counts the peers it holds. Round robin sends a new socket to the node after
	 * the last one used; other requests between may shift that, so an extra request
	 * through HAProxy goes between tries.
	 * @return the peers each node holds: one and one
	 */
	private static int[] spreadOverTheNodes(Page glasses, Page app) throws Exception {
		int[] held = { peersHeld(nodes.get(0)), peersHeld(nodes.get(1)) };
		for (int attempt = 0; attempt < 8 && !(held[0] == 1 && held[1] == 1); attempt++) {
			Page page = (attempt % 2 == 0) ? app : glasses;
			String global = (attempt % 2 == 0) ? APP : GLASSES;
			if (attempt % 4 >= 2) {
				HttpClient.newBuilder()
					.sslContext(trustingEveryone())
					.build()
					.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).build(),
							HttpResponse.BodyHandlers.discarding());
			}
			int opened = opens(page);
			page.evaluate(MOVE, global);
			await(global + " joined again").atMost(Duration.ofSeconds(10))
				.pollInSameThread()
				.pollInterval(Duration.ofMillis(100))
				.until(() -> opens(page) > opened);
			awaitStable(page, global);
			held = await("both pages held, once").atMost(Duration.ofSeconds(5))
				.until(() -> new int[] { peersHeld(nodes.get(0)), peersHeld(nodes.get(1)) },
						(counts) -> counts[0] + counts[1] == 2);
			System.out.printf("[haproxy-call] moved %s's socket: node1=%d node2=%d%n", global, held[0], held[1]);
		}
		assertThat(held).as("peers held by node1 and node2").containsExactly(1, 1);
		// The ICE restarts the moves began are over: each side has the other's current
		// credentials, and stays so.
		await("the pages' negotiation settled").during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(10))
			.pollInSameThread()
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				Map<String, Object> g = peer(glasses, GLASSES);
				Map<String, Object> a = peer(app, APP);
				return "stable".equals(g.get("signalling")) && "stable".equals(a.get("signalling"))
						&& "connected".equals(g.get("connection")) && "connected".equals(a.get("connection"))
						&& g.get("ufrag").equals(a.get("remoteUfrag")) && a.get("ufrag").equals(g.get("remoteUfrag"));
			});
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(10));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(10));
		return held;
	}

	private static int opens(Page page) {
		return ((Number) page.evaluate("() => window.signalling.filter((e) => e.state === 'open').length")).intValue();
	}

	/**
	 * Samples inbound video on both pages once a second while the condition holds; every
	 * sample must have grown on both, also when both pages move at once (the node holding
	 * both drains): only the signalling moves, the media path stays, and one ICE restart
	 * (the impolite side's) never stalls it.
	 * @return the samples taken
	 */
	private static int sampleVideoWhile(BooleanSupplier condition, Page glasses, Page app, String during) {
		int samples = 0;
		long from = System.currentTimeMillis();
		while (condition.getAsBoolean()) {
			assertThat(System.currentTimeMillis() - from).as("%s takes too long", during).isLessThan(120_000);
			glasses.waitForTimeout(1000);
			assertVideoGrew(glasses, app, during);
			samples++;
		}
		return samples;
	}

	private static void assertVideoGrew(Page glasses, Page app, String when) {
		long atGlasses = videoIn(glasses, GLASSES);
		long atApp = videoIn(app, APP);
		System.out.printf("[haproxy-call] %s: video in glasses +%d B, app +%d B%n", when, atGlasses, atApp);
		assertThat(atGlasses).as("video into the glasses, %s", when).isPositive();
		assertThat(atApp).as("video into the app, %s", when).isPositive();
	}

	/**
	 * Whether HAProxy sends to the node: its last word on the node's state was "UP", or
	 * it never said otherwise.
	 */
	private static boolean inRotationNow(int node) {
		try {
			return inRotation(node);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean inRotation(int node) throws IOException {
		String log = Files.readString(HAPROXY_LOG);
		String server = "Server beeldzorg/node" + (node + 1) + " is ";
		return log.lastIndexOf(server + "DOWN") <= log.lastIndexOf(server + "UP");
	}

	/** Waits until the page's peer connection is connected and stable again. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> awaitStable(Page page, String global) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		Map<String, Object> state = null;
		while (System.nanoTime() < deadline) {
			state = (Map<String, Object>) page.evaluate(PEER, global);
			if ("stable".equals(state.get("signalling")) && "connected".equals(state.get("connection"))) {
				return state;
			}
			page.waitForTimeout(100);
		}
		throw new AssertionError(global + " not connected and stable: " + state);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> peer(Page page, String global) {
		return (Map<String, Object>) page.evaluate(PEER, global);
	}

	/**
	 * Inbound video bytes since the last look, per RTP stream: a renegotiation may start
	 * a new inbound stream (new counters), whose bytes count as growth too.
	 */
	private static long videoIn(Page page, String global) {
		return ((Number) page.evaluate("""
				async (name) => {
				  const entry = window[name].call.peers.values().next().value;
				  const last = window.videoLast || {};
				  const now = {};
				  let grown = 0;
				  (await entry.pc.getStats()).forEach((s) => {
				    if (s.type === "inbound-rtp" && s.kind === "video") {
				      now[s.id] = s.bytesReceived || 0;
				      grown += Math.max(0, now[s.id] - (last[s.id] || 0));
				    }
				  });
				  window.videoLast = now;
				  return grown;
				}""", global)).longValue();
	}

	private static Process haproxy(Path dir, List<NodeProcess> nodes, int https) throws Exception {
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
		Map<String, String> env = new HashMap<>();
		env.put("BEELDZORG_NODE_1", "127.0.0.1:" + nodes.get(0).port());
		env.put("BEELDZORG_NODE_2", "127.0.0.1:" + nodes.get(1).port());
		env.put("KEYCLOAK", "127.0.0.1:" + freePort());
		env.put("GRAFANA", "127.0.0.1:" + freePort());
		env.put("HTTP_BIND", "127.0.0.1:" + freePort());
		env.put("HTTPS_BIND", "127.0.0.1:" + https);
		env.put("TLS_CERT", pem.toString());
		ProcessBuilder run = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", config().toString())
			.redirectErrorStream(true)
			.redirectOutput(HAPROXY_LOG.toFile());
		run.environment().putAll(env);
		return run.start();
	}

	private static int peersHeld(NodeProcess node) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(
						URI.create("http://127.0.0.1:" + node.port() + "/actuator/metrics/beeldzorg.signalling.peers"))
				.header("Authorization", "Bearer " + operator)
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.]+)").matcher(response.body());
		assertThat(value.find()).as(response.body()).isTrue();
		return (int) Double.parseDouble(value.group(1));
	}

	/** An operator's token signed with the cluster's demo key, for the actuator. */
	private static String operatorToken(KeyPair key) throws Exception {
		Date now = new Date();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("urn:beeldzorg:demo")
			.audience("beeldzorg-api")
			.subject("op-haproxy")
			.issueTime(now)
			.expirationTime(new Date(now.getTime() + 600_000))
			.jwtID(UUID.randomUUID().toString())
			.claim("name", "Operator")
			.claim("preferred_username", "operator.haproxy")
			.claim("roles", List.of("OPERATOR"))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
		jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
		return jwt.serialize();
	}

	/** HAProxy's certificate is made for this test; its requests need no more. */
	private static SSLContext trustingEveryone() throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { new X509TrustManager() {
			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		} }, null);
		return context;
	}

	private static KeyPair rsa() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	private static Path config() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path config = dir.resolve("infra/haproxy/haproxy.cfg");
			if (Files.isRegularFile(config)) {
				return config;
			}
		}
		throw new AssertionError("No infra/haproxy/haproxy.cfg above " + Path.of("").toAbsolutePath());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
