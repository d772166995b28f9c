package nl.beeldzorg.consult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SseTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consultant who declines is named to the requester ({@code consult.declined}), with
 * what happens now: the next stage rings, others still ring, or nobody is left. So the
 * nurse never reads a refusal as "nobody answered".
 */
class DeclineEventsTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-decline-events");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void eachDeclineReachesTheRequesterWithWhoDeclinedAndWhatHappensNext() {
		String nurse = this.api.token("nurse.anna");
		// The nurse's page listens first (its stream is open well before the first
		// event).
		try (SseTestClient nurseEvents = new SseTestClient(this.port, nurse)) {
			present("vs.vera", "so.sophie", "so.lotte");
			this.api.put("/api/v1/admin/institution", this.api.token("admin.ada"),
					Map.of("name", "Zorggroep Apeldoorn", "steppedCare", true), HttpStatus.OK);
			String id = this.api
				.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef",
						"K-DECL", "urgency", "URGENT", "requestedDiscipline", "SO"), HttpStatus.CREATED)
				.get("id")
				.asString();

			// Stepped care rings the VS first; her decline moves it on to the SOs.
			this.api.post("/api/v1/consults/" + id + "/decline", this.api.token("vs.vera"), HttpStatus.OK);
			JsonNode first = nurseEvents.next("consult.declined");
			assertThat(first.get("id").asString()).isEqualTo(id);
			assertThat(first.get("declinedBy").get("name").asString()).isEqualTo("Vera de Boer");
			assertThat(first.get("declinedBy").get("discipline").asString()).isEqualTo("VS");
			assertThat(first.get("declinedBy").get("userId").asString()).isEqualTo(this.api.userId("vs.vera"));
			assertThat(first.get("next").asString()).isEqualTo("NEXT_STAGE_RINGS");
			assertThat(first.get("state").asString()).isEqualTo("RINGING");
			assertThat(userIds(first.get("ringing"))).containsExactlyInAnyOrder(this.api.userId("so.sophie"),
					this.api.userId("so.lotte"));
			assertThat(first.path("join").isMissingNode() || first.get("join").isNull()).isTrue();
			assertThat(nurseEvents.next("consult.escalated").get("id").asString()).isEqualTo(id);

			// One SO of two declines: the other still rings.
			this.api.post("/api/v1/consults/" + id + "/decline", this.api.token("so.sophie"), HttpStatus.OK);
			JsonNode second = nurseEvents.next("consult.declined");
			assertThat(second.get("declinedBy").get("name").asString()).isEqualTo("Sophie Bakker");
			assertThat(second.get("next").asString()).isEqualTo("OTHERS_RING");
			assertThat(userIds(second.get("ringing"))).containsExactly(this.api.userId("so.lotte"));

			// The last one declines: nobody is left, and the view says whom to call.
			this.api.post("/api/v1/consults/" + id + "/decline", this.api.token("so.lotte"), HttpStatus.OK);
			JsonNode last = nurseEvents.next("consult.declined");
			assertThat(last.get("declinedBy").get("name").asString()).isEqualTo("Lotte Visser");
			assertThat(last.get("next").asString()).isEqualTo("NOBODY_LEFT");
			assertThat(last.get("state").asString()).isEqualTo("MISSED");
			assertThat(last.get("fallback").get("phone").asString()).isNotBlank();
			assertThat(nurseEvents.next("consult.missed").get("id").asString()).isEqualTo(id);
		}
	}

	private static List<String> userIds(JsonNode parties) {
		List<String> ids = new ArrayList<>();
		parties.forEach((party) -> ids.add(party.get("userId").asString()));
		return ids;
	}

}
