package nl.beeldzorg.consult;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Join tokens are short-lived for the first join but serve a rejoin after a network
 * switch until the consult ends; a dropped peer keeps its place and the other side sees
 * it join again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "beeldzorg.signalling.join-token-ttl=4s", "beeldzorg.signalling.reconnect-grace=30s" })
class JoinTokenLifetimeTests extends DemoApplicationTests {

	@org.junit.jupiter.api.BeforeEach
	void consultantsOpenTheirApp() {
		present("so.sophie");
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-consult");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void expiredTokenRefusesAFirstJoinButServesARejoinUntilTheConsultEnds() {
		String nurse = token("nurse.anna");
		String so = token("so.sophie");
		JsonNode consult = this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.bodyValue(Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-9", "urgency",
					"EMERGENCY"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		String id = consult.get("id").asString();
		String staleToken = consult.get("join").get("token").asString();
		waitPast(Instant.now().plusMillis(4500));
		try (SignallingTestClient late = SignallingTestClient.connect(this.port)) {
			JsonNode refused = late.join(staleToken);
			assertThat(refused.get("code").asString()).isEqualTo("signalling.invalid-token");
			assertThat(late.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		JsonNode accepted = post("/api/v1/consults/" + id + "/accept", so);
		String nurseToken = get("/api/v1/consults/" + id, nurse).get("join").get("token").asString();
		SignallingTestClient nurseSocket = SignallingTestClient.connect(this.port);
		String nursePeer = nurseSocket.join(nurseToken).get("peerId").asString();
		try (SignallingTestClient soSocket = SignallingTestClient.connect(this.port)) {
			soSocket.join(accepted.get("join").get("token").asString());
			nurseSocket.nextOfType("peer-joined");
			waitPast(Instant.now().plusMillis(4500));

			// Network switch: the socket drops without "leave"; the nurse comes back with
			// the
			// now expired token and keeps her place.
			nurseSocket.drop();
			try (SignallingTestClient back = SignallingTestClient.connect(this.port)) {
				JsonNode rejoined = back.join(nurseToken);
				assertThat(rejoined.get("type").asString()).isEqualTo("joined");
				assertThat(rejoined.get("peerId").asString()).isEqualTo(nursePeer);
				assertThat(rejoined.get("peers").size()).isEqualTo(1);
				JsonNode again = soSocket.nextOfType("peer-joined");
				assertThat(again.get("peer").get("peerId").asString()).isEqualTo(nursePeer);

				post("/api/v1/consults/" + id + "/end", so);
				assertThat(back.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
			}
			try (SignallingTestClient afterEnd = SignallingTestClient.connect(this.port)) {
				assertThat(afterEnd.join(nurseToken).get("code").asString()).isEqualTo("signalling.consult-ended");
			}
		}
	}

	private static void waitPast(Instant moment) {
		await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(moment));
	}

	private String token(String username) {
		return this.api.token(username);
	}

	private JsonNode get(String path, String token) {
		return this.api.get(path, token, HttpStatus.OK);
	}

	private JsonNode post(String path, String token) {
		return this.api.post(path, token, HttpStatus.OK);
	}

}
