package nl.beeldzorg.imoz;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.TestImages;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A huisarts adds photos to a written question (a wound, a rash); the SO who answers sees
 * the same bytes. Retried uploads add nothing, wrong or oversized bodies are refused with
 * a code, and the server goes on serving after a refused oversized upload. Run on H2 and
 * on PostgreSQL by the two subclasses.
 */
abstract class ImozPhotosTests extends DemoApplicationTests {

	private static final String QUESTIONS = "/api/v1/imoz/questions";

	@Test
	void photosGoWithTheQuestionToTheSoAndOnlyThere() throws Exception {
		String huib = this.api.token("ha.huib");
		String id = ask(huib);
		byte[] wound = jpeg(1024, 768, 1);
		assertThat(wound.length).as("a realistic photo size").isGreaterThan(100_000);

		JsonNode added = upload(huib, id, MediaType.IMAGE_JPEG, wound, HttpStatus.CREATED);
		assertThat(added.get("sha256").asString()).isEqualTo(sha256(wound));
		assertThat(added.get("size").asInt()).isEqualTo(wound.length);
		JsonNode retried = upload(huib, id, MediaType.IMAGE_JPEG, wound, HttpStatus.OK);
		assertThat(retried.get("id").asString()).as("a retried upload is the same photo")
			.isEqualTo(added.get("id").asString());
		byte[] rash = png(320, 240);
		upload(huib, id, MediaType.IMAGE_PNG, rash, HttpStatus.CREATED);

		String sophie = this.api.token("so.sophie");
		JsonNode seen = this.api.get(QUESTIONS + "/" + id, sophie, HttpStatus.OK);
		assertThat(seen.get("photos")).hasSize(2);
		String href = seen.get("photos").get(0).get("href").asString();
		byte[] fetched = this.api.http()
			.mutate()
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
			.build()
			.get()
			.uri(href)
			.headers((h) -> h.setBearerAuth(sophie))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.IMAGE_JPEG)
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore().cachePrivate())
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(sha256(fetched)).as("the SO sees the same bytes").isEqualTo(sha256(wound));
		assertThat(this.api.get(QUESTIONS, sophie, HttpStatus.OK)
			.findValues("photos")
			.stream()
			.mapToInt(JsonNode::size)
			.sum()).as("the list carries the photos too").isGreaterThanOrEqualTo(2);

		// Another practice's huisarts sees neither the question nor its photos.
		String hanna = this.api.token("ha.hanna");
		assertThat(this.api.get(href, hanna, HttpStatus.NOT_FOUND).get("code").asString())
			.isEqualTo("consult.not-found");
		assertThat(
				upload(hanna, id, MediaType.IMAGE_JPEG, jpeg(64, 64, 2), HttpStatus.NOT_FOUND).get("code").asString())
			.isEqualTo("consult.not-found");
		// An SO does not add photos to a huisarts's question.
		assertThat(
				upload(sophie, id, MediaType.IMAGE_JPEG, jpeg(64, 64, 3), HttpStatus.FORBIDDEN).get("code").asString())
			.isEqualTo("consult.not-a-party");

		// Once answered, the question takes no more photos.
		this.api.post(QUESTIONS + "/" + id + "/answer", sophie,
				Map.of("answer", "Wondbeleid zie foto: zalf en verband.", "billingCode", "IMOZ-SCHRIFTELIJK"),
				HttpStatus.OK);
		assertThat(upload(huib, id, MediaType.IMAGE_JPEG, jpeg(64, 64, 4), HttpStatus.CONFLICT).get("code").asString())
			.isEqualTo("consult.invalid-state");
		assertThat(this.api.get(QUESTIONS + "/" + id, huib, HttpStatus.OK).get("photos")).hasSize(2);
	}

	@Test
	void wrongBodiesAreRefusedWithACode() throws Exception {
		String huib = this.api.token("ha.huib");
		String id = ask(huib);
		assertThat(upload(huib, id, MediaType.TEXT_PLAIN, "not a photo".getBytes(), HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.get("code")
			.asString()).isEqualTo("request.unsupported-media-type");
		assertThat(upload(huib, id, MediaType.IMAGE_PNG, jpeg(64, 64, 5), HttpStatus.UNPROCESSABLE_CONTENT).get("code")
			.asString()).as("JPEG bytes declared as PNG").isEqualTo("imoz.photo-not-an-image");
		byte[] whole = jpeg(64, 64, 6);
		byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
		byte[] zip = "PK\u0003\u0004<script>alert(1)</script>".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		byte[] glued = java.util.Arrays.copyOf(whole, whole.length + zip.length);
		System.arraycopy(zip, 0, glued, whole.length, zip.length);
		byte[] forged = "\u00ff\u00d8\u00ff<html><script>alert(1)</script>"
			.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		for (byte[] body : java.util.List.of(cut, glued, forged)) {
			JsonNode refused = upload(huib, id, MediaType.IMAGE_JPEG, body, HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(refused.get("code").asString()).isEqualTo("imoz.photo-not-an-image");
		}
		assertThat(this.api.get(QUESTIONS + "/" + id, huib, HttpStatus.OK).get("photos")).as("none stored").isEmpty();
		for (int i = 0; i < 6; i++) {
			upload(huib, id, MediaType.IMAGE_JPEG, jpeg(48, 48, 10 + i), HttpStatus.CREATED);
		}
		assertThat(upload(huib, id, MediaType.IMAGE_JPEG, jpeg(48, 48, 99), HttpStatus.CONFLICT).get("code").asString())
			.isEqualTo("imoz.photo-limit");
		assertThat(this.api.get(QUESTIONS + "/" + id, huib, HttpStatus.OK).get("photos")).hasSize(6);
	}

	@Test
	void anOversizedPhotoIsRefusedAndTheServerGoesOn() throws Exception {
		String huib = this.api.token("ha.huib");
		String id = ask(huib);
		byte[] huge = new byte[6 * 1024 * 1024];
		new Random(7).nextBytes(huge);
		huge[0] = (byte) 0xff;
		huge[1] = (byte) 0xd8;
		huge[2] = (byte) 0xff;

		// Declared length over the limit: read to its end and thrown away, then refused.
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> declared = client.send(
				photoRequest(huib, id).POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(declared.statusCode()).isEqualTo(413);
		assertThat(declared.body()).contains("\"code\":\"request.too-large\"");

		// Chunked, no length: refused once the limit is passed.
		HttpResponse<String> chunked = client.send(photoRequest(huib, id)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(chunked.statusCode()).isEqualTo(413);
		assertThat(chunked.body()).contains("\"code\":\"request.too-large\"");

		// Far over the limit: refused from the headers alone, without waiting for a body.
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST " + QUESTIONS + "/" + id + "/photos HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
						+ huib + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + (100 * 1024 * 1024) + "\r\n\r\n")
					.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String answer = new String(socket.getInputStream().readNBytes(12),
					java.nio.charset.StandardCharsets.US_ASCII);
			assertThat(answer).isEqualTo("HTTP/1.1 413");
		}

		// Nothing was stored and the server serves the next requests, on new and old
		// clients alike.
		assertThat(this.api.get(QUESTIONS + "/" + id, huib, HttpStatus.OK).get("photos")).isEmpty();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> small = client.send(
					photoRequest(huib, id).POST(HttpRequest.BodyPublishers.ofByteArray(jpeg(32, 32, 20 + i))).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(small.statusCode()).isEqualTo(201);
			this.api.http().get().uri(QUESTIONS).headers((h) -> h.setBearerAuth(huib)).exchange().expectStatus().isOk();
			upload(huib, id, MediaType.IMAGE_JPEG, jpeg(40, 40, 30 + i), HttpStatus.CREATED);
			this.api.get(QUESTIONS + "/" + id, huib, HttpStatus.OK);
		}
		assertThat(this.api.get(QUESTIONS + "/" + id, huib, HttpStatus.OK).get("photos")).hasSize(6);
	}

	private HttpRequest.Builder photoRequest(String token, String id) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + QUESTIONS + "/" + id + "/photos"))
			.timeout(Duration.ofSeconds(20))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.header(HttpHeaders.CONTENT_TYPE, MediaType.IMAGE_JPEG_VALUE);
	}

	private String ask(String token) {
		return this.api
			.post(QUESTIONS, token,
					Map.of("clientRef", "P-5150", "homeArea", "7331", "question", "Decubitus hiel, beleid?"),
					HttpStatus.CREATED)
			.get("id")
			.asString();
	}

	private JsonNode upload(String token, String id, MediaType type, byte[] body, HttpStatus status) {
		return this.api.http()
			.post()
			.uri(QUESTIONS + "/" + id + "/photos")
			.headers((h) -> h.setBearerAuth(token))
			.contentType(type)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static byte[] jpeg(int width, int height, long seed) {
		return TestImages.jpeg(width, height, seed);
	}

	private static byte[] png(int width, int height) {
		return TestImages.png(width, height);
	}

	private static String sha256(byte[] bytes) {
		return TestImages.sha256(bytes);
	}

}
