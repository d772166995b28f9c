package nl.beeldzorg.web;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
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
import static org.awaitility.Awaitility.await;

/**
 * The glasses page and the consultant's app in real Chromium with fake camera and
 * microphone: a whole bedside consult, from "Start consult" to the outcome form, with
 * media, a photo and the pointer crossing between them.
 */
class ConsultCallInBrowsersTests extends CallPagesTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-browsers");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void glassesStartConsultantAcceptsMediaPhotoPointerReloadAndOutcome() throws Exception {
		this.pages.startConsult("K-4711");
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		assertThat(glasses.locator("#call-state").textContent()).startsWith("Gaat over bij:");
		CallPages.visible(app, "#ringing .accept");
		assertThat(app.locator("#ringing .card").first().textContent()).contains("K-4711").contains("Anna");

		this.pages.accept();
		Map<String, Map<String, Object>> atGlasses = CallPages.awaitMediaFlowing(glasses, GLASSES,
				Duration.ofSeconds(20));
		Map<String, Map<String, Object>> atApp = CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		assertThat(atGlasses).hasSize(1);
		assertThat(atApp).hasSize(1);
		assertThat(app.locator("#call-state").textContent()).isIn("Verbonden", "Zwak netwerk: beeld kan haperen");
		assertThat(glasses.locator("#call-state").textContent()).contains("Aangenomen door");
		this.pages.screenshots("in-call");

		photoArrivesByteIdentical(glasses, app);
		pointerArrivesAtTheTappedSpot(glasses, app);
		this.pages.screenshots("photo-and-pointer");

		long reloadedAt = System.nanoTime();
		app.reload();
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(10));
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(10));
		assertThat(Duration.ofNanos(System.nanoTime() - reloadedAt)).isLessThan(Duration.ofSeconds(10));

		// The glasses' signalling connection drops (a Wi-Fi dead spot): they rejoin
		// within the grace period, and ICE restarts on the peer connection they kept
		// (offered by the impolite side of the two, whichever page that is).
		int restartsBefore = restarts(glasses, GLASSES) + restarts(app, APP);
		glasses.evaluate("() => { const call = window.beeldzorgGlasses.call;"
				+ " call.peers.values().next().value.pc.kept = true; call.ws.close(); }");
		await("an ICE restart after the glasses rejoined").atMost(Duration.ofSeconds(15))
			.pollInSameThread()
			.pollInterval(Duration.ofMillis(100))
			.until(() -> restarts(glasses, GLASSES) + restarts(app, APP) > restartsBefore);
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(10));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(10));
		assertThat(glasses.evaluate("() => window.beeldzorgGlasses.call.peers.values().next().value.pc.kept"))
			.isEqualTo(true);

		String consultId = (String) glasses.evaluate("() => window.beeldzorgGlasses.consult.id");
		app.locator("#end").click();
		CallPages.visible(app, "#outcome-form");
		CallPages.visible(glasses, "#done");
		app.locator("input[value=RESOLVED_REMOTELY]").check();
		app.locator("input[value=PHYSICAL_VISIT]").check();
		app.locator("#handover").fill("10");
		app.locator("#outcome-form button[type=submit]").click();
		CallPages.visible(app, "#outcome-result");
		assertThat(app.locator("#outcome-message").textContent()).startsWith("Opgeslagen");
		assertThat(app.locator("#split-handover").textContent()).isEqualTo("10 min");

		JsonNode saved = this.api.get("/api/v1/consults/" + consultId + "/time-saved", this.api.token("so.sophie"),
				HttpStatus.OK);
		assertThat(saved.path("outcome").path("resolution").asString()).isEqualTo("RESOLVED_REMOTELY");
		assertThat(saved.path("totals").path("handoverMinutesSaved").asInt()).isEqualTo(10);
		JsonNode consult = this.api.get("/api/v1/consults/" + consultId, this.api.token("nurse.anna"), HttpStatus.OK);
		assertThat(consult.path("state").asString()).isEqualTo("ENDED");
		assertThat(consult.path("connectedAt").isNull()).isFalse();
	}

	private static int restarts(Page page, String global) {
		return ((Number) page.evaluate("(name) => window[name].call.iceRestarts || 0", global)).intValue();
	}

	private void photoArrivesByteIdentical(Page glasses, Page app) throws Exception {
		glasses.locator("#photo").click();
		app.waitForFunction("() => window.beeldzorgApp.photos.length === 1");
		byte[] sent = bytes(glasses, "window.beeldzorgGlasses.lastPhoto.blob");
		byte[] received = bytes(app, "window.beeldzorgApp.photos[0].blob");
		assertThat(sent.length).isGreaterThan(1_000);
		// The still is the camera's full frame (1280x720 asked of it), not the call's
		// video.
		assertThat(app.evaluate("() => window.beeldzorgApp.photos[0].width")).isEqualTo(1280);
		assertThat(app.evaluate("() => window.beeldzorgApp.photos[0].height")).isEqualTo(720);
		assertThat(sha256(received)).isEqualTo(sha256(sent));
		assertThat(app.evaluate("() => window.beeldzorgApp.photos[0].intact")).isEqualTo(true);
		assertThat(app.locator("#photo-list a[download]").count()).isEqualTo(1);
	}

	private void pointerArrivesAtTheTappedSpot(Page glasses, Page app) {
		BoundingBox box = app.locator("#remote-video").boundingBox();
		@SuppressWarnings("unchecked")
		Map<String, Number> size = (Map<String, Number>) app
			.evaluate("() => { const v = document.getElementById('remote-video');"
					+ " return { w: v.videoWidth, h: v.videoHeight }; }");
		double scale = Math.min(box.width / size.get("w").doubleValue(), box.height / size.get("h").doubleValue());
		double width = size.get("w").doubleValue() * scale;
		double height = size.get("h").doubleValue() * scale;
		double x = box.x + (box.width - width) / 2 + 0.25 * width;
		double y = box.y + (box.height - height) / 2 + 0.75 * height;
		app.mouse().click(x, y);
		glasses.waitForFunction("() => window.beeldzorgGlasses.lastPointer !== null");
		@SuppressWarnings("unchecked")
		Map<String, Number> pointer = (Map<String, Number>) glasses
			.evaluate("() => window.beeldzorgGlasses.lastPointer");
		assertThat(pointer.get("x").doubleValue()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
		assertThat(pointer.get("y").doubleValue()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.01));
		assertThat(glasses.locator("#marker").isVisible()).isTrue();
	}

	private static byte[] bytes(Page page, String blob) {
		String base64 = (String) page.evaluate("async () => { const b = new Uint8Array(await " + blob
				+ ".arrayBuffer()); let s = ''; for (const x of b) { s += String.fromCharCode(x); } return btoa(s); }");
		return Base64.getDecoder().decode(base64);
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
