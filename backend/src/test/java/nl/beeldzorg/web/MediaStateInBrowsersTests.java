package nl.beeldzorg.web;

import java.time.Duration;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media truth from real peer connections (API.md "Media state", v1.1): both pages report
 * {@code connected} from their RTCPeerConnection and, every 10 s, stats from
 * {@code getStats()}; the backend stores them per party and stamps {@code connectedAt}.
 */
class MediaStateInBrowsersTests extends CallPagesTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-media-browsers");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void bothPagesReportConnectedWithStatsThatTheBackendStores() {
		this.pages.startConsult("K-media-1");
		this.pages.accept();
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		String consultId = (String) glasses.evaluate("() => window.beeldzorgGlasses.consult.id");
		String nurse = this.api.token("nurse.anna");
		assertThat(this.api.get("/api/v1/consults/" + consultId, nurse, HttpStatus.OK).get("connectedAt").isNull())
			.isFalse();

		// The first stats follow a baseline by one watch (2 s); give them 20 s.
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		JsonNode media = this.api.get("/api/v1/consults/" + consultId + "/media", nurse, HttpStatus.OK);
		while (!bothSampled(media) && System.nanoTime() < deadline) {
			app.waitForTimeout(500);
			media = this.api.get("/api/v1/consults/" + consultId + "/media", nurse, HttpStatus.OK);
		}
		assertThat(bothSampled(media)).as("media: %s", media).isTrue();
		for (JsonNode party : media) {
			assertThat(party.get("state").asString()).isEqualTo("connected");
			assertThat(party.get("firstConnectedAt").isNull()).isFalse();
			JsonNode last = party.get("last");
			assertThat(last.get("rttMs").isNull()).as("rtt of %s", party).isFalse();
			assertThat(last.get("rttMs").asDouble()).isBetween(0.0, 1000.0);
			assertThat(last.get("kbpsIn").asDouble()).as("kbpsIn of %s", party).isPositive();
			assertThat(last.get("kbpsOut").asDouble()).as("kbpsOut of %s", party).isPositive();
			assertThat(last.get("lossPct").asDouble()).isBetween(0.0, 100.0);
			assertThat(party.get("relayUsed").asBoolean()).isFalse();
		}
		// The consultant receives the glasses' camera: its received resolution is known.
		JsonNode sophie = party(media, this.api.userId("so.sophie"));
		assertThat(sophie.get("last").get("width").asInt()).isPositive();
		assertThat(sophie.get("last").get("height").asInt()).isPositive();
	}

	private static boolean bothSampled(JsonNode media) {
		if (media.size() != 2) {
			return false;
		}
		for (JsonNode party : media) {
			if (party.get("samples").asInt() < 1) {
				return false;
			}
		}
		return true;
	}

	private static JsonNode party(JsonNode media, String userId) {
		for (JsonNode party : media) {
			if (userId.equals(party.get("userId").asString())) {
				return party;
			}
		}
		throw new AssertionError("no media of " + userId + " in " + media);
	}

}
