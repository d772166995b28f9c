package nl.beeldzorg.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A video IMOZ consult with three people: the huisarts starts it, an SO accepts it in the
 * consultant's app, and the huisarts invites the district nurse at the patient's home.
 * Three real Chromium pages in peer-to-peer mode: every pair has its own peer connection,
 * all connected, with audio and video flowing into every page from both others.
 */
class ThreeWayImozCallTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-three-way");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void huisartsSoAndDistrictNurseAllSeeAndHearEachOther() throws Exception {
		try (Browsers browsers = Browsers.launch()) {
			String base = "http://127.0.0.1:" + this.port;
			Page so = browsers.page(1000, 800);
			so.navigate(base + "/app/?trace=1&as=so.sophie");
			so.locator("#live")
				.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Live"))
				.waitFor();

			String huib = this.api.token("ha.huib");
			assertThat(this.api
				.post("/api/v1/consults", huib, Map.of("kind", "IMOZ", "clientRef", "P-7788", "urgency", "URGENT"),
						HttpStatus.BAD_REQUEST)
				.get("detail")
				.asString()).contains("homeArea");
			JsonNode started = this.api.post(
					"/api/v1/consults", huib, Map.of("kind", "IMOZ", "clientRef", "P-7788", "urgency", "URGENT",
							"homeArea", "7331", "question", "Decubitus hiel, thuiswonend; beoordeling?"),
					HttpStatus.CREATED);
			String id = started.get("id").asString();
			assertThat(started.get("ringing").get(0).get("userId").asString()).isEqualTo(this.api.userId("so.sophie"));

			Page huisarts = browsers.page(1000, 800);
			huisarts.navigate(base + "/app/?trace=1&as=ha.huib&consult=" + id);
			huisarts.locator("#call").waitFor();

			so.locator("#ringing .accept").first().click();
			so.locator("#call").waitFor();
			CallPages.awaitMediaFlowing(so, CallPages.APP, Duration.ofSeconds(20));

			this.api.post("/api/v1/consults/" + id + "/invite", huib,
					Map.of("userId", this.api.userId("nurse.anna"), "reason", "wijkverpleging thuis"), HttpStatus.OK);
			Page nurse = browsers.page(1000, 800);
			nurse.navigate(base + "/app/?trace=1&as=nurse.anna&consult=" + id);
			nurse.locator("#call").waitFor();

			for (Page page : List.of(huisarts, so, nurse)) {
				Map<String, Map<String, Object>> peers = CallPages.awaitMediaFlowing(page, CallPages.APP, 2,
						Duration.ofSeconds(30));
				assertThat(peers).as("one peer connection to each of the two others").hasSize(2);
				assertThat(page.locator("#remote-audio audio").count()).as("hears both others").isEqualTo(2);
				assertThat(page.locator("#remote-tiles video").count()).as("sees the second one in a tile")
					.isEqualTo(1);
			}
			JsonNode consult = this.api.get("/api/v1/consults/" + id, huib, HttpStatus.OK);
			assertThat(consult.get("state").asString()).isEqualTo("ACTIVE");
			assertThat(consult.get("institutionId").asString()).as("the accepting SO's institution").isEqualTo("zga");
			java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
			nurse.screenshot(new Page.ScreenshotOptions()
				.setPath(java.nio.file.Path.of("target", "screenshots", "imoz-three-way-nurse.png")));

			// After the call the SO records the outcome: without video she would have
			// driven
			// to the patient's home area, so that trip is saved.
			this.api.post("/api/v1/consults/" + id + "/end", huib, HttpStatus.OK);
			JsonNode saved = this.api.put("/api/v1/consults/" + id + "/outcome", this.api.token("so.sophie"),
					Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT"), HttpStatus.OK);
			assertThat(saved.path("totals").path("travelMinutesSaved").asInt()).isPositive();
			assertThat(saved.toString()).contains("home area 7331");
			// And declares it; the export lists it beside written questions.
			this.api.put("/api/v1/imoz/consults/" + id + "/billing", this.api.token("so.sophie"),
					Map.of("billingCode", "IMOZ-BEELD"), HttpStatus.OK);
			String csv = this.api.http()
				.get()
				.uri("/api/v1/imoz/billing?from=" + java.time.LocalDate.now().minusDays(1) + "&to="
						+ java.time.LocalDate.now().plusDays(1))
				.headers((h) -> h.setBearerAuth(this.api.token("admin.ada")))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(csv).contains(id + ",")
				.contains(",hap-apeldoorn-zuid,")
				.contains(",IMOZ-BEELD,")
				.contains("VIDEO");
		}
	}

}
