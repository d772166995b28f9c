package nl.beeldzorg.web;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.Coturn;
import nl.beeldzorg.support.CallPagesTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other side of {@link RelayThroughCoturnTests}: when coturn's secret is not the one
 * the backend mints credentials with, coturn refuses the allocations and a relay-only
 * call cannot connect. Proves the relay test's success came through TURN and its
 * credentials.
 */
class RelayWithWrongTurnSecretTests extends CallPagesTests {

	private static Coturn coturn;

	@DynamicPropertySource
	static void turn(DynamicPropertyRegistry registry) throws Exception {
		coturn = relayThroughCoturn(registry, "beeldzorg-relay-wrong", "the-secret-coturn-was-given",
				"another-secret-than-coturns");
	}

	@AfterAll
	static void stopCoturn() throws Exception {
		coturn.close();
	}

	@Test
	void relayOnlyCallCannotConnectWithCredentialsCoturnDoesNotAccept() throws Exception {
		this.pages.startConsult("K-relay-2");
		this.pages.accept();
		Page app = this.pages.app();
		app.waitForTimeout(Duration.ofSeconds(8).toMillis());
		Map<String, Map<String, Object>> atApp = CallPages.stats(app, APP);
		assertThat(atApp).isNotEmpty();
		assertThat(atApp.values()).allSatisfy((peer) -> {
			assertThat(peer.get("state")).isNotEqualTo("connected");
			assertThat(((Number) peer.get("videoIn")).longValue()).isZero();
		});
		assertThat(coturn.log()).contains("error 401").doesNotContain("ALLOCATE processed, success");
		assertThat(app.locator("#call-state").textContent()).isEqualTo("Verbinden…");
		app.waitForTimeout(Duration.ofSeconds(13).toMillis());
		assertThat(app.locator("#call-state").textContent()).isEqualTo("Verbinding mislukt. Controleer het netwerk.");
		neverConnectedIsBookedAsLost();
	}

	/**
	 * Both parties joined, their media never connected (API.md v1.1): no
	 * {@code connectedAt}, lost time and no trip saved, not connected in the
	 * connection-quality report.
	 */
	private void neverConnectedIsBookedAsLost() {
		String consultId = (String) this.pages.glasses().evaluate("() => window.beeldzorgGlasses.consult.id");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		JsonNode media = this.api.get("/api/v1/consults/" + consultId + "/media", nurse, HttpStatus.OK);
		assertThat(media.findValuesAsString("state")).isNotEmpty().doesNotContain("connected");
		assertThat(media.findValues("failures").stream().mapToInt(JsonNode::asInt).sum()).isPositive();
		JsonNode ended = this.api.post("/api/v1/consults/" + consultId + "/end", nurse, HttpStatus.OK);
		assertThat(ended.get("connectedAt").isNull()).isTrue();
		JsonNode saved = this.api.put("/api/v1/consults/" + consultId + "/outcome", sophie,
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT"), HttpStatus.OK);
		assertThat(saved.get("totals").get("travelMinutesSaved").asInt()).isZero();
		assertThat(saved.get("entries").findValuesAsString("kind")).contains("LOST");
		LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));
		JsonNode quality = this.api.get(
				"/api/v1/reports/connection-quality?from=" + today + "&to=" + today + "&groupBy=institution",
				this.api.token("admin.ada"), HttpStatus.OK);
		JsonNode zga = quality.get("rows").get(0);
		assertThat(zga.get("institutionId").asString()).isEqualTo("zga");
		assertThat(zga.get("accepted").asInt()).isEqualTo(1);
		assertThat(zga.get("connected").asInt()).isZero();
		assertThat(zga.get("connectedShare").asDouble()).isZero();
	}

}
