package nl.beeldzorg.cluster;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.SseTestClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Bel de bril terug" with two nodes sharing PostgreSQL and this machine's Redis: the SO
 * calls back on node B, glasses whose event stream is open on node A ring; the nurse's
 * WEIGEREN and then a colleague's OPNEMEN on A reach the SO's app on B, and the ward's
 * other glasses (their stream on B) stop ringing.
 */
class CallBacksAcrossNodesTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_call_back_nodes");

	private static final String PREFIX = "beeldzorg-test-" + UUID.randomUUID() + ":";

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	@AfterAll
	static void dropDatabase() {
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void aCallBackPlacedOnOneNodeRingsGlassesOnTheOtherAndTheirAnswersComeBack() {
		// Each demo node signs its own tokens: a client takes its token from the node it
		// talks to.
		try (ConfigurableApplicationContext a = node(); ConfigurableApplicationContext b = node()) {
			ApiClient onA = new ApiClient(port(a));
			ApiClient onB = new ApiClient(port(b));
			String admin = onA.token("admin.ada");
			for (String device : List.of("bril-nodes-0001", "bril-nodes-0002")) {
				onA.put("/api/v1/admin/glasses/" + device, admin,
						Map.of("name", "Bril De Sprengel", "locationIds", List.of("zga-de-sprengel")), HttpStatus.OK);
			}
			String sophie = onB.token("so.sophie");
			String anna = onA.token("nurse.anna");
			try (SseTestClient sophiesApp = new SseTestClient(port(b), sophie).awaitConnected();
					SseTestClient glassesOnA = new SseTestClient(port(a), anna,
							"/api/v1/events?glasses=bril-nodes-0001")
						.awaitConnected();
					SseTestClient glassesOnB = new SseTestClient(port(b), onB.token("admin.ada"),
							"/api/v1/events?glasses=bril-nodes-0002")
						.awaitConnected()) {
				// A consult the SO took at the ward, ended (no media needed for this).
				String annaOnB = onB.token("nurse.anna");
				String ended = onB.post("/api/v1/consults", annaOnB,
						Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-CALLBACK", "urgency",
								"URGENT", "requestedDiscipline", "SO", "consultantId", onB.userId("so.sophie")),
						HttpStatus.CREATED)
					.get("id")
					.asString();
				onB.post("/api/v1/consults/" + ended + "/accept", sophie, HttpStatus.OK);
				onB.post("/api/v1/consults/" + ended + "/end", annaOnB, HttpStatus.OK);

				String callBack = onB.post("/api/v1/consults/" + ended + "/call-back", sophie, HttpStatus.CREATED)
					.get("id")
					.asString();
				JsonNode ringingOnA = glassesOnA.next("consult.ringing");
				assertThat(ringingOnA.get("id").asString()).as("rings the glasses on the other node")
					.isEqualTo(callBack);
				assertThat(ringingOnA.get("callBackOf").asString()).isEqualTo(ended);
				assertThat(ringingOnA.path("join").isNull() || ringingOnA.path("join").isMissingNode())
					.as("no join token for the glasses in the ring")
					.isTrue();
				assertThat(glassesOnB.next("consult.ringing").get("id").asString()).isEqualTo(callBack);

				// WEIGEREN on A: the SO on B hears who; the other glasses keep ringing.
				onA.post("/api/v1/consults/" + callBack + "/decline", anna, HttpStatus.OK);
				JsonNode declined = sophiesApp.next("consult.declined");
				assertThat(declined.get("id").asString()).isEqualTo(callBack);
				assertThat(declined.get("declinedBy").get("userId").asString()).isEqualTo(onA.userId("nurse.anna"));
				assertThat(declined.get("next").asString()).isEqualTo("OTHERS_RING");

				// OPNEMEN on A by a colleague: the SO on B hears it, the glasses on B
				// stop.
				JsonNode answered = onA.post("/api/v1/consults/" + callBack + "/accept", admin, HttpStatus.OK);
				assertThat(answered.get("join").get("token").asString()).isNotEmpty();
				JsonNode accepted = sophiesApp.next("consult.accepted");
				assertThat(accepted.get("id").asString()).isEqualTo(callBack);
				JsonNode stopped = glassesOnB.next("consult.accepted");
				assertThat(stopped.get("id").asString()).isEqualTo(callBack);
				assertThat(stopped.get("callBackOf").asString()).isEqualTo(ended);
				assertThat(onB
					.post("/api/v1/consults/" + callBack + "/accept", onB.token("nurse.anna"), HttpStatus.CONFLICT)
					.get("code")
					.asString()).isEqualTo("consult.already-accepted");
				assertThat(onA.post("/api/v1/consults/" + callBack + "/decline", anna, HttpStatus.CONFLICT)
					.get("code")
					.asString()).isEqualTo("consult.already-accepted");

				// The SO hangs up on B: the glasses on A hear the call-back ended.
				onB.post("/api/v1/consults/" + callBack + "/end", sophie, HttpStatus.OK);
				assertThat(glassesOnA.next("consult.ended").get("id").asString()).isEqualTo(callBack);
			}
		}
	}

	private static ConfigurableApplicationContext node() {
		return new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run("--server.port=0", "--beeldzorg.database.url=" + DATABASE,
					"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.redis.url=" + REDIS,
					"--beeldzorg.redis.key-prefix=" + PREFIX, "--beeldzorg.redis.presence-ttl=3s",
					"--beeldzorg.signalling.join-token-secret=nodes-test-secret-of-at-least-32-chars");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
