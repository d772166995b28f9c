package nl.beeldzorg.notify;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Web Push end to end: a consultant's "browser" (keys made here) subscribes, a consult
 * starts ringing for them, and the push service in this test receives the message and
 * decrypts it with the subscription's private key as a browser would (RFC 8291,
 * aes128gcm), checking the VAPID header. A push service answering 410 loses its
 * subscription.
 */
class WebPushDeliveryTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void push(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-push");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.push.allowed-hosts", () -> "http://127.0.0.1:");
	}

	private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	private HttpServer pushService;

	@BeforeEach
	void pushService() throws IOException {
		this.pushService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.pushService.createContext("/", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.received.add(new Received(exchange.getRequestURI().getPath(),
					exchange.getRequestHeaders().getFirst("Authorization"),
					exchange.getRequestHeaders().getFirst("TTL"),
					exchange.getRequestHeaders().getFirst("Content-Encoding"), body));
			int status = exchange.getRequestURI().getPath().startsWith("/gone/") ? 410 : 201;
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.pushService.start();
	}

	@AfterEach
	void stopPushService() {
		this.pushService.stop(0);
	}

	@Test
	void ringingConsultIsPushedEncryptedForTheSubscriptionAndDecryptsToTheConsult() throws Exception {
		String sophie = this.api.token("so.sophie");
		Browser browser = new Browser();
		this.api.post("/api/v1/push/subscriptions", sophie, browser.subscription(endpoint("/push/sophie")),
				HttpStatus.CREATED);
		// A push subscription alone makes her reachable: a locked phone rings.
		assertThat(this.api.get("/api/v1/me/availability", sophie, HttpStatus.OK).get("present").asBoolean()).isTrue();
		String serverKey = this.api.get("/api/v1/push/public-key", sophie, HttpStatus.OK).get("publicKey").asString();

		JsonNode started = this.api.post(
				"/api/v1/consults", this.api.token("nurse.anna"), Map.of("kind", "BEDSIDE", "locationId",
						"zga-de-sprengel", "clientRef", "K-PUSH-1", "urgency", "EMERGENCY", "question", "Benauwd"),
				HttpStatus.CREATED);
		Received push = this.received.poll(10, TimeUnit.SECONDS);
		assertThat(push).as("a push within 10 s").isNotNull();
		assertThat(push.path()).isEqualTo("/push/sophie");
		assertThat(push.encoding()).isEqualTo("aes128gcm");
		assertThat(push.ttl()).isEqualTo("120");
		assertThat(push.authorization()).startsWith("vapid t=").contains("k=" + serverKey);
		JsonNode payload = JsonMapper.builder().build().readTree(browser.decrypt(push.body()));
		assertThat(payload.get("type").asString()).isEqualTo("consult.ringing");
		assertThat(payload.get("consultId").asString()).isEqualTo(started.get("id").asString());
		assertThat(payload.get("urgency").asString()).isEqualTo("EMERGENCY");
		assertThat(payload.get("url").asString()).isEqualTo("/app/?consult=" + started.get("id").asString());
		assertThat(payload.toString()).doesNotContain("K-PUSH-1").doesNotContain("Benauwd");
	}

	@Test
	void subscriptionThatThePushServiceCallsGoneIsRemoved() throws Exception {
		String lotte = this.api.token("so.lotte");
		this.api.post("/api/v1/push/subscriptions", lotte, new Browser().subscription(endpoint("/gone/lotte")),
				HttpStatus.CREATED);
		assertThat(this.api.get("/api/v1/me/availability", lotte, HttpStatus.OK).get("reachable").asBoolean()).isTrue();
		this.api.post("/api/v1/consults", this.api.token("nurse.anna"),
				Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-PUSH-2", "urgency", "URGENT",
						"consultantId", this.api.userId("so.lotte")),
				HttpStatus.CREATED);
		assertThat(this.received.poll(10, TimeUnit.SECONDS)).isNotNull();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		boolean reachable = true;
		while (reachable && System.nanoTime() < deadline) {
			reachable = this.api.get("/api/v1/me/availability", lotte, HttpStatus.OK).get("reachable").asBoolean();
		}
		assertThat(reachable).as("subscription removed after 410").isFalse();
	}

	@Test
	void endpointsOutsideTheAllowedPushServicesAreRefused() {
		String sophie = this.api.token("so.sophie");
		this.api.http()
			.post()
			.uri("/api/v1/push/subscriptions")
			.headers((h) -> h.setBearerAuth(sophie))
			.bodyValue(new Browser().subscription("http://169.254.169.254/latest/meta-data"))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("push.endpoint-not-allowed");
		this.api.http()
			.post()
			.uri("/api/v1/push/subscriptions")
			.headers((h) -> h.setBearerAuth(this.api.token("nurse.anna")))
			.bodyValue(new Browser().subscription(endpoint("/push/nurse")))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	private String endpoint(String path) {
		return "http://127.0.0.1:" + this.pushService.getAddress().getPort() + path;
	}

	private record Received(String path, String authorization, String ttl, String encoding, byte[] body) {
	}

	/**
	 * The browser side of a push subscription: a P-256 key pair and an auth secret, and
	 * RFC 8291 decryption written from the RFC (test code checking the library).
	 */
	private static final class Browser {

		private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

		private final KeyPair keys;

		private final byte[] auth = new byte[16];

		Browser() {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				generator.initialize(new ECGenParameterSpec("secp256r1"));
				this.keys = generator.generateKeyPair();
			}
			catch (java.security.GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
			new SecureRandom().nextBytes(this.auth);
		}

		Map<String, Object> subscription(String endpoint) {
			return Map.of("endpoint", endpoint, "keys",
					Map.of("p256dh", URL.encodeToString(point((ECPublicKey) this.keys.getPublic())), "auth",
							URL.encodeToString(this.auth)));
		}

		String decrypt(byte[] message) throws Exception {
			ByteBuffer in = ByteBuffer.wrap(message);
			byte[] salt = new byte[16];
			in.get(salt);
			in.getInt();
			byte[] serverPoint = new byte[in.get() & 0xff];
			in.get(serverPoint);
			byte[] ciphertext = new byte[in.remaining()];
			in.get(ciphertext);
			ECPublicKey ours = (ECPublicKey) this.keys.getPublic();
			ECPublicKey server = (ECPublicKey) KeyFactory.getInstance("EC")
				.generatePublic(
						new ECPublicKeySpec(new ECPoint(new BigInteger(1, Arrays.copyOfRange(serverPoint, 1, 33)),
								new BigInteger(1, Arrays.copyOfRange(serverPoint, 33, 65))), ours.getParams()));
			KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
			agreement.init(this.keys.getPrivate());
			agreement.doPhase(server, true);
			byte[] shared = agreement.generateSecret();
			byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), point(ours), serverPoint);
			byte[] ikm = expand(hmac(this.auth, shared), keyInfo, 32);
			byte[] prk = hmac(salt, ikm);
			byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
			byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
			byte[] padded = cipher.doFinal(ciphertext);
			int end = padded.length - 1;
			while (padded[end] == 0) {
				end--;
			}
			assertThat(padded[end]).as("last-record delimiter").isEqualTo((byte) 2);
			return new String(padded, 0, end, StandardCharsets.UTF_8);
		}

		private static byte[] point(ECPublicKey key) {
			byte[] x = fixed(key.getW().getAffineX());
			byte[] y = fixed(key.getW().getAffineY());
			return concat(new byte[] { 4 }, x, y);
		}

		private static byte[] fixed(BigInteger value) {
			byte[] raw = value.toByteArray();
			byte[] out = new byte[32];
			int copy = Math.min(raw.length, 32);
			System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
			return out;
		}

		private static byte[] hmac(byte[] key, byte[] data) throws Exception {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data);
		}

		// HKDF-Expand for one block (lengths up to 32).
		private static byte[] expand(byte[] prk, byte[] info, int length) throws Exception {
			return Arrays.copyOf(hmac(prk, concat(info, new byte[] { 1 })), length);
		}

		private static byte[] concat(byte[]... parts) {
			int length = 0;
			for (byte[] part : parts) {
				length += part.length;
			}
			byte[] out = new byte[length];
			int at = 0;
			for (byte[] part : parts) {
				System.arraycopy(part, 0, out, at, part.length);
				at += part.length;
			}
			return out;
		}

	}

}
