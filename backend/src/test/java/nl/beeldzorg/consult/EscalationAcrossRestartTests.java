package nl.beeldzorg.consult;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At 3 a.m. an ANW consult rings the on-call primary; nobody answers, so it rings the
 * backup; nobody answers, so it is MISSED with the institution's fallback number. The
 * node that started it stops before the first deadline: a fresh node escalates (the
 * deadline is stored), and two nodes looking at once escalate exactly once, on the real
 * PostgreSQL.
 */
class EscalationAcrossRestartTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_escalation");

	private static final Duration RING = Duration.ofSeconds(3);

	@AfterAll
	static void dropDatabase() {
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void anwRingsPrimaryThenBackupThenIsMissedAcrossARestartAndOnceWhenTwoNodesRace() throws Exception {
		String id;
		Instant deadline;
		try (ConfigurableApplicationContext first = node()) {
			ApiClient api = new ApiClient(port(first));
			String admin = api.token("admin.ada");
			api.put("/api/v1/admin/institution", admin, Map.of("name", "Zorggroep Apeldoorn", "fallbackPhone",
					"055 526 00 00", "fallbackInstructions", "Bel de huisartsenpost"), HttpStatus.OK);
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			// The demo roster is replaced by this test's own.
			api.get("/api/v1/admin/on-call-shifts?subregion=apeldoorn-noord&from=" + now.minus(Duration.ofDays(2))
					+ "&to=" + now.plus(Duration.ofDays(40)), admin, HttpStatus.OK)
				.get("shifts")
				.forEach((shift) -> api.send(org.springframework.http.HttpMethod.DELETE,
						"/api/v1/admin/on-call-shifts/" + shift.get("id").asString(), admin, null, HttpStatus.OK));
			shift(api, admin, "so.sophie", "PRIMARY", now);
			JsonNode backup = shift(api, admin, "so.lotte", "BACKUP", now);
			assertThat(backup.path("gaps").isArray()).isTrue();
			JsonNode started = api.post("/api/v1/consults", api.token("nurse.anna"),
					Map.of("kind", "ANW", "locationId", "zga-de-sprengel", "clientRef", "K-ANW-1", "urgency", "URGENT"),
					HttpStatus.CREATED);
			id = started.get("id").asString();
			assertThat(ringing(started)).containsExactly(api.userId("so.sophie"));
			deadline = Instant.parse(started.get("ringDeadline").asString());
			assertThat(deadline).isAfter(Instant.now());
		}
		// No node runs while the primary's ring times out; two fresh nodes look, again
		// and
		// again at the same moment, until one of them moves it.
		try (ConfigurableApplicationContext second = node(); ConfigurableApplicationContext third = node()) {
			ApiClient api = new ApiClient(port(second));
			String nurse = api.token("nurse.anna");
			assertThat(raceUntilMoved(second, third, deadline)).isEqualTo(1);
			JsonNode escalated = api.get("/api/v1/consults/" + id, nurse, HttpStatus.OK);
			assertThat(escalated.get("state").asString()).isEqualTo("RINGING");
			assertThat(ringing(escalated)).containsExactly(api.userId("so.lotte"));
			assertThat(race(second, third)).isZero();

			assertThat(raceUntilMoved(second, third, Instant.parse(escalated.get("ringDeadline").asString())))
				.isEqualTo(1);
			// Each demo node signs its own tokens: ask the third node with one of its
			// own.
			ApiClient onThird = new ApiClient(port(third));
			JsonNode missed = onThird.get("/api/v1/consults/" + id, onThird.token("nurse.anna"), HttpStatus.OK);
			assertThat(missed.get("state").asString()).isEqualTo("MISSED");
			assertThat(missed.path("fallback").path("phone").asString()).isEqualTo("055 526 00 00");
			assertThat(missed.path("fallback").path("instructions").asString()).isEqualTo("Bel de huisartsenpost");
			List<String> actions = new ArrayList<>();
			api.get("/api/v1/consults/" + id + "/audit", nurse, HttpStatus.OK)
				.forEach((record) -> actions.add(record.get("action").asString()));
			assertThat(actions).containsExactly("CREATED", "RUNG", "ESCALATED", "RUNG", "MISSED");
			JsonNode lost = api.get("/api/v1/consults/" + id + "/time-saved", nurse, HttpStatus.OK);
			assertThat(lost.path("totals").path("minutesLost").asInt()).isPositive();
		}
	}

	// Both nodes' escalators look at the same moment; returns how many consults moved.
	private static int race(ConfigurableApplicationContext a, ConfigurableApplicationContext b) {
		return Flux.just(a.getBean(Escalator.class), b.getBean(Escalator.class))
			.parallel(2)
			.runOn(Schedulers.boundedElastic())
			.flatMap(Escalator::escalateDue)
			.sequential()
			.reduce(0, Integer::sum)
			.block(Duration.ofSeconds(20));
	}

	// Races until a consult moved (at most 10 s past its deadline); returns how many
	// moves
	// all those rounds made together, and checks none came before the deadline.
	private static int raceUntilMoved(ConfigurableApplicationContext a, ConfigurableApplicationContext b,
			Instant deadline) {
		int moved = 0;
		Instant giveUp = deadline.plusSeconds(10);
		while (moved == 0 && Instant.now().isBefore(giveUp)) {
			Instant round = Instant.now();
			moved += race(a, b);
			if (moved > 0) {
				assertThat(round.plusSeconds(1)).as("escalated only once the deadline passed").isAfter(deadline);
			}
			else {
				reactor.core.publisher.Mono.delay(Duration.ofMillis(100)).block();
			}
		}
		return moved + race(a, b);
	}

	private static JsonNode shift(ApiClient api, String admin, String username, String role, Instant now) {
		return api.post("/api/v1/admin/on-call-shifts", admin,
				Map.of("subregion", "apeldoorn-noord", "discipline", "SO", "consultantId", api.userId(username), "role",
						role, "startsAt", now.minus(Duration.ofHours(1)).toString(), "endsAt",
						now.plus(Duration.ofHours(2)).toString()),
				HttpStatus.CREATED);
	}

	private static List<String> ringing(JsonNode consult) {
		List<String> ids = new ArrayList<>();
		consult.get("ringing").forEach((party) -> ids.add(party.get("userId").asString()));
		return ids;
	}

	// Escalation rounds are started by the test (interval of an hour), so the race is
	// the test's to stage.
	private static ConfigurableApplicationContext node() {
		return new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run("--server.port=0", "--beeldzorg.database.url=" + DATABASE,
					"--beeldzorg.database.username=" + TestPostgres.USER,
					"--beeldzorg.routing.ring-timeout-urgent=" + RING.toSeconds() + "s",
					"--beeldzorg.routing.escalation-interval=1h",
					"--beeldzorg.signalling.join-token-secret=escalation-test-secret-of-32-characters");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
