package nl.beeldzorg.imoz;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SseTestClient;
import nl.beeldzorg.support.TestImages;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Written IMOZ questions travel live on the real event stream: the SOs hear of a new
 * question the moment the huisarts asks, the huisarts hears that an SO took it and what
 * she answered, and those who may not read the question (a nurse, a VS, another
 * practice's huisarts) hear nothing of it. An SO whose colleague took the question hears
 * only that it left the open list.
 */
class ImozLiveEventsTests extends DemoApplicationTests {

	private static final String QUESTIONS = "/api/v1/imoz/questions";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-imoz-live");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void questionClaimAndAnswerReachThoseWhoMayReadThemAtOnce() {
		String huib = this.api.token("ha.huib");
		String sophie = this.api.token("so.sophie");
		String daan = this.api.token("so.daan");
		String sophieId = this.api.userId("so.sophie");
		try (SseTestClient huibsPage = open(huib);
				SseTestClient sophiesApp = open(sophie);
				SseTestClient daansApp = open(daan);
				SseTestClient otherPractice = open(this.api.token("ha.hanna"));
				SseTestClient nurse = open(this.api.token("nurse.anna"));
				SseTestClient vs = open(this.api.token("vs.vera"))) {
			JsonNode asked = this.api.post(QUESTIONS, huib, Map.of("clientRef", "P-LIVE-1", "homeArea", "7331",
					"question", "Verward sinds twee dagen; delier?"), HttpStatus.CREATED);
			String id = asked.get("id").asString();

			JsonNode created = sophiesApp.next("imoz.question.created");
			assertThat(created.get("id").asString()).isEqualTo(id);
			assertThat(created.get("clientRef").asString()).isEqualTo("P-LIVE-1");
			assertThat(created.get("askedByName").asString()).isEqualTo("Huib van Dijk");
			assertThat(daansApp.next("imoz.question.created").get("id").asString())
				.as("every SO of the region may take it")
				.isEqualTo(id);
			assertThat(huibsPage.next("imoz.question.created").get("state").asString()).isEqualTo("OPEN");

			this.http.post()
				.uri(QUESTIONS + "/" + id + "/photos")
				.headers((h) -> h.setBearerAuth(huib))
				.contentType(MediaType.IMAGE_JPEG)
				.bodyValue(TestImages.jpeg(320, 240, 3))
				.exchange()
				.expectStatus()
				.isCreated();
			assertThat(sophiesApp.next("imoz.question.updated").get("photos")).as("the photo follows the question")
				.hasSize(1);

			this.api.post(QUESTIONS + "/" + id + "/claim", sophie, HttpStatus.OK);
			JsonNode claimed = huibsPage.next("imoz.question.claimed");
			assertThat(claimed.get("state").asString()).isEqualTo("CLAIMED");
			assertThat(claimed.get("claimant").get("userId").asString()).isEqualTo(sophieId);
			assertThat(claimed.get("claimant").get("name").asString()).isEqualTo("Sophie Bakker");
			assertThat(claimed.get("claimedAt").isNull()).isFalse();
			assertThat(sophiesApp.next("imoz.question.claimed").get("clientRef").asString()).isEqualTo("P-LIVE-1");
			JsonNode gone = daansApp.next("imoz.question.claimed");
			assertThat(gone.get("id").asString()).isEqualTo(id);
			assertThat(gone.get("state").asString()).isEqualTo("CLAIMED");
			assertThat(gone.has("clientRef") || gone.has("question"))
				.as("a colleague who can no longer read it learns only that it left the open list")
				.isFalse();

			this.api.post(
					QUESTIONS + "/" + id + "/answer", sophie, Map.of("answer",
							"Delier waarschijnlijk; urine en medicatie nakijken.", "billingCode", "IMOZ-SCHRIFTELIJK"),
					HttpStatus.OK);
			JsonNode answered = huibsPage.next("imoz.question.answered");
			assertThat(answered.get("answer").asString())
				.isEqualTo("Delier waarschijnlijk; urine en medicatie nakijken.");
			assertThat(answered.get("answerer").get("name").asString()).isEqualTo("Sophie Bakker");
			assertThat(answered.get("answerer").get("userId").asString()).isEqualTo(sophieId);
			assertThat(Instant.parse(answered.get("answeredAt").asString())).isBeforeOrEqualTo(Instant.now());
			assertThat(sophiesApp.next("imoz.question.answered").get("state").asString()).isEqualTo("ANSWERED");

			// A second question, withdrawn while open: every SO drops it.
			String second = this.api
				.post(QUESTIONS, huib, Map.of("clientRef", "P-LIVE-2", "homeArea", "7311", "question", "Vervalt"),
						HttpStatus.CREATED)
				.get("id")
				.asString();
			assertThat(daansApp.next("imoz.question.created").get("id").asString()).isEqualTo(second);
			this.api.post(QUESTIONS + "/" + second + "/withdraw", huib, HttpStatus.OK);
			assertThat(daansApp.next("imoz.question.withdrawn").get("state").asString()).isEqualTo("WITHDRAWN");
			assertThat(huibsPage.next("imoz.question.withdrawn").get("id").asString()).isEqualTo(second);

			// The events are handed out in one go on this node; the last one reached the
			// others long before it reached Daan, so what they have is all they get.
			assertThat(daansApp.received()).doesNotContain("imoz.question.answered");
			assertThat(otherPractice.received()).as("another practice's huisarts").noneMatch(ImozLiveEventsTests::imoz);
			assertThat(nurse.received()).as("a nurse").noneMatch(ImozLiveEventsTests::imoz);
			assertThat(vs.received()).as("a VS, who does not answer IMOZ questions")
				.noneMatch(ImozLiveEventsTests::imoz);
			assertThat(huibsPage.received()).containsSubsequence(List.of("imoz.question.created",
					"imoz.question.updated", "imoz.question.claimed", "imoz.question.answered"));
		}
	}

	private SseTestClient open(String token) {
		return new SseTestClient(this.port, token).awaitConnected();
	}

	private static boolean imoz(String event) {
		return event.startsWith("imoz.");
	}

}
