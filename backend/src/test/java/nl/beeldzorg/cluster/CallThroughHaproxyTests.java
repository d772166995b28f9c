package nl.beeldzorg.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real call between the glasses page and the consultant's app in Chromium, both served
 * by two node JVMs behind HAProxy (started from {@code infra/haproxy/haproxy.cfg}: TLS,
 * round robin, no stickiness). The node holding the glasses' signalling socket (and
 * perhaps the app's too: HAProxy decides) is killed without warning. Media never stops on
 * either side (it flows peer to peer), and every page whose socket dropped is back on the
 * other node through HAProxy within 5 s, where its ICE restart succeeds.
 */
class CallThroughHaproxyTests {

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	private static final Duration BACK_WITHIN = Duration.ofSeconds(5);

	// Per page: its signalling events with the page's clock, its ICE restarts, and its
	// peer connection's state and local ICE user fragment.
	private static final String WATCH = """
			(name) => {
			  const call = window[name].call;
			  window.signalling = [];
			  call.addEventListener("signalling", (e) => window.signalling.push({ state: e.detail.state, at: Date.now() }));
			}""";

	private static final String PEER = """
			(name) => {
			  const call = window[name].call;
			  const entry = call.peers.values().next().value;
			  const sdp = entry.pc.localDescription ? entry.pc.localDescription.sdp : "";
			  const remote = entry.pc.remoteDescription ? entry.pc.remoteDescription.sdp : "";
			  const ufrag = (s) => { const m = /a=ice-ufrag:(\\S+)/.exec(s); return m ? m[1] : ""; };
			  return { restarts: call.iceRestarts || 0, signalling: entry.pc.signalingState,
			    connection: entry.pc.connectionState, ufrag: ufrag(sdp), remoteUfrag: ufrag(remote),
			    events: window.signalling };
			}""";

	@Test
	void killingTheNodeOfTheGlassesSocketNeitherStopsMediaNorSignallingForLong(@TempDir Path dir) throws Exception {
		KeyPair key = rsa();
		Path signingKey = dir.resolve("demo-signing-key.pem");
		Files.writeString(signingKey,
				"-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
						+ "\n-----END PRIVATE KEY-----\n");
		String database = TestPostgres.createDatabase("beeldzorg_haproxy");
		String[] args = { "--beeldzorg.database.url=" + database, "--beeldzorg.database.username=" + TestPostgres.USER,
				"--beeldzorg.redis.url=" + REDIS,
				"--beeldzorg.redis.key-prefix=beeldzorg-test-" + UUID.randomUUID() + ":",
				"--beeldzorg.redis.presence-ttl=3s", "--beeldzorg.signalling.reconnect-grace=15s",
				"--beeldzorg.signalling.join-token-secret=haproxy-test-secret-of-at-least-32-chars",
				"--beeldzorg.demo.history=false", "--beeldzorg.demo.signing-key=" + signingKey };
		List<NodeProcess> nodes = new ArrayList<>();
		Process haproxy = null;
		try {
			// The first node migrates and seeds the database; the second finds it done.
			nodes.add(NodeProcess.start("haproxy-node-1", args));
			nodes.add(NodeProcess.start("haproxy-node-2", args));
			int https = freePort();
			haproxy = haproxy(dir, nodes, https);
			String base = "https://127.0.0.1:" + https;
			awaitBothNodesInRotation(https);

			try (Browsers browsers = Browsers.launch("--ignore-certificate-errors")) {
				CallPages pages = new CallPages(browsers, base);
				pages.signIn("nurse.anna", "so.sophie");
				pages.startConsult("K-HAPROXY");
				CallPages.visible(pages.app(), "#ringing .accept");
				pages.accept();
				Page glasses = pages.glasses();
				Page app = pages.app();
				CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(30));
				CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(30));
				glasses.evaluate(WATCH, GLASSES);
				app.evaluate(WATCH, APP);

				// Which node holds the sockets: each node's own count of peers held.
				String operator = operatorToken(key);
				int[] held = { peersHeld(nodes.get(0), operator), peersHeld(nodes.get(1), operator) };
				assertThat(held[0] + held[1]).as("both pages joined, once").isEqualTo(2);
				int victim = (held[0] > 0) ? 0 : 1;
				System.out.printf("[haproxy-call] peers held: node1=%d node2=%d; killing node%d%n", held[0], held[1],
						victim + 1);
				Map<String, Object> glassesBefore = peer(glasses, GLASSES);
				Map<String, Object> appBefore = peer(app, APP);

				long killedAt = System.currentTimeMillis();
				nodes.get(victim).kill();

				// Inbound video keeps growing on both sides, sample after sample, for 8
				// s.
				videoIn(glasses, GLASSES);
				videoIn(app, APP);
				int samples = 0;
				while (System.currentTimeMillis() - killedAt < 8_000) {
					glasses.waitForTimeout(1000);
					long atGlasses = videoIn(glasses, GLASSES);
					long atApp = videoIn(app, APP);
					System.out.printf("[haproxy-call] +%d ms: video in glasses +%d B, app +%d B%n",
							System.currentTimeMillis() - killedAt, atGlasses, atApp);
					assertThat(atGlasses)
						.as("video into the glasses %d ms after the kill", System.currentTimeMillis() - killedAt)
						.isPositive();
					assertThat(atApp)
						.as("video into the app %d ms after the kill", System.currentTimeMillis() - killedAt)
						.isPositive();
					samples++;
				}
				assertThat(samples).isGreaterThanOrEqualTo(6);

				List<String> dropped = new ArrayList<>();
				int restarts = 0;
				for (Object[] side : new Object[][] { { glasses, GLASSES, glassesBefore }, { app, APP, appBefore } }) {
					Page page = (Page) side[0];
					String global = (String) side[1];
					@SuppressWarnings("unchecked")
					Map<String, Object> before = (Map<String, Object>) side[2];
					Map<String, Object> after = awaitStable(page, global);
					List<?> events = (List<?>) after.get("events");
					if (events.isEmpty()) {
						continue;
					}
					dropped.add(global);
					long reconnected = events.stream()
						.map((event) -> (Map<?, ?>) event)
						.filter((event) -> "open".equals(event.get("state")))
						.mapToLong((event) -> ((Number) event.get("at")).longValue())
						.findFirst()
						.orElseThrow(() -> new AssertionError(global + " never reopened its signalling: " + events));
					long took = reconnected - killedAt;
					System.out.printf("[haproxy-call] %s: signalling back %d ms after the kill; %s%n", global, took,
							after);
					assertThat(Duration.ofMillis(took)).as("%s back through HAProxy", global).isLessThan(BACK_WITHIN);
					restarts += ((Number) after.get("restarts")).intValue()
							- ((Number) before.get("restarts")).intValue();
					assertThat(after.get("ufrag")).as("new ICE credentials of %s", global)
						.isNotEqualTo(before.get("ufrag"));
				}
				assertThat(dropped).as("the pages whose socket was on the killed node").hasSize(held[victim]);
				// One ICE restart (the impolite side's, when both came back at once)
				// renews
				// both sides' credentials, checked above.
				assertThat(restarts).as("ICE restarts after the kill").isPositive();
				CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(5));
				CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(5));
			}
		}
		finally {
			if (haproxy != null) {
				haproxy.destroy();
				haproxy.waitFor();
			}
			nodes.forEach(NodeProcess::close);
			TestPostgres.dropDatabase(database);
		}
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
			.redirectOutput(Path.of("target", "haproxy-call.log").toFile());
		run.environment().putAll(env);
		return run.start();
	}

	/** HAProxy listens and both nodes passed its checks (inter 1s, rise 2). */
	private static void awaitBothNodesInRotation(int https) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (true) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", https)) {
				break;
			}
			catch (IOException ex) {
				assertThat(System.nanoTime()).as("HAProxy listening").isLessThan(deadline);
				Thread.sleep(100);
			}
		}
		Thread.sleep(3000);
		assertThat(Files.readString(Path.of("target", "haproxy-call.log"))).as("HAProxy's log")
			.doesNotContain("is DOWN");
	}

	private static int peersHeld(NodeProcess node, String operator) throws Exception {
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
