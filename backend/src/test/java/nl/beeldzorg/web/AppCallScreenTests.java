package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import static org.assertj.core.data.Offset.offset;

/**
 * The consultant's call screen as she meets it, through real calls with media flowing: on
 * a 390x844 phone the nurse's picture fills the screen with the controls over it, on a
 * 1366x768 desktop the controls and photos stand beside it, and "Beëindig consult" stays
 * on screen at both sizes, photos or not. After the call: who ended it, "Later invullen"
 * listed as "Nog in te vullen" and saved from there with the travel/handover split, and
 * missed calls. The huisarts's screen is a GP's, with the district-nurse invite, and the
 * SO declares the IMOZ consult after it.
 */
class AppCallScreenTests extends CallPagesTests {

	private static final Path SHOTS = Path.of(System.getProperty("beeldzorg.shots", "target/screenshots"));

	// The share of the viewport the remote picture really shows: the rendered picture
	// (object-fit contain or cover) inside its element and the viewport, less where the
	// controls lie over it.
	private static final String PICTURE = """
			() => {
			  const W = innerWidth, H = innerHeight;
			  const v = document.getElementById('remote-video');
			  const b = v.getBoundingClientRect();
			  const fit = getComputedStyle(v).objectFit === 'cover' ? Math.max : Math.min;
			  const s = fit(b.width / v.videoWidth, b.height / v.videoHeight);
			  const w = v.videoWidth * s, h = v.videoHeight * s;
			  const left = b.left + (b.width - w) / 2, top = b.top + (b.height - h) / 2;
			  const x0 = Math.max(left, b.left, 0), x1 = Math.min(left + w, b.right, W);
			  const y0 = Math.max(top, b.top, 0), y1 = Math.min(top + h, b.bottom, H);
			  const side = document.querySelector('#call .call-side').getBoundingClientRect();
			  const ox = Math.max(0, Math.min(x1, side.right) - Math.max(x0, side.left));
			  const oy = Math.max(0, Math.min(y1, side.bottom) - Math.max(y0, side.top));
			  const area = Math.max(0, x1 - x0) * Math.max(0, y1 - y0) - ox * oy;
			  return { share: area / (W * H), scroll: document.scrollingElement.scrollHeight - H,
			    scrollX: document.scrollingElement.scrollWidth - W };
			}""";

	// Every control shown in the call: fully inside the viewport and not covered.
	private static final String CONTROLS = """
			() => Array.from(document.querySelectorAll('#call button')).filter((b) => b.getClientRects().length > 0)
			  .map((b) => { const r = b.getBoundingClientRect();
			    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			    return b.id + ':' + (r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth
			      && r.width >= 44 && r.height >= 44 && (hit === b || b.contains(hit))); })""";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-app-call-screen");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void onAPhoneThePictureFillsTheScreenAndASkippedOutcomeIsSavedFromTheInbox() throws Exception {
		Page app = this.pages.app();
		Page glasses = this.pages.glasses();
		app.setViewportSize(390, 844);
		String missed = missedCall();

		assertThat(app.locator("#title").textContent()).isEqualTo("Beeldzorg · consulent");
		this.pages.startConsult("K-4711");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		String id = (String) glasses.evaluate("() => window.beeldzorgGlasses.consult.id");
		assertLayout(app, 0.40);
		assertThat(app.locator(".bar").isVisible()).as("the header folds away in a call").isFalse();
		shot(app, "phone-call");
		pointerMapsThroughTheCroppedPicture(app, glasses);

		glasses.locator("#photo").click();
		app.waitForFunction("() => window.beeldzorgApp.photos.length === 1");
		assertThat(app.locator("#photos-open").textContent()).isEqualTo("Foto's (1)");
		assertLayout(app, 0.40);
		shot(app, "phone-call-photo");
		app.locator("#photos-open").click();
		CallPages.visible(app, "#photo-list li:first-child img");
		shot(app, "phone-photo-drawer");
		app.locator("#photos-close").click();
		assertLayout(app, 0.40);

		// The nurse ends it: the SO is told so above the outcome form, and skips it.
		glasses.locator("#end").click();
		CallPages.visible(app, "#outcome-form");
		assertThat(app.locator("#outcome-ended-by").textContent())
			.isEqualTo("De verpleegkundige heeft het consult beëindigd.");
		shot(app, "phone-outcome-form");
		app.locator("#outcome-skip").click();

		CallPages.visible(app, "#pending-list .card[data-consult-id='" + id + "']");
		CallPages.visible(app, "#missed-list .card[data-consult-id='" + missed + "']");
		assertThat(app.locator("#missed-list .card[data-consult-id='" + missed + "']").textContent())
			.contains("Ingetrokken door de aanvrager")
			.contains("Anna");
		assertThat(app.locator("#pending-title").textContent()).isEqualTo("Nog in te vullen");
		assertThat(app.locator("#missed-title").textContent()).isEqualTo("Gemiste oproepen");
		assertThat(((Number) app.evaluate("() => document.scrollingElement.scrollWidth - innerWidth")).intValue())
			.as("no sideways scrolling")
			.isLessThanOrEqualTo(0);
		shot(app, "phone-inbox-pending-missed", true);

		app.locator("#pending-list .card[data-consult-id='" + id + "'] .open-outcome").click();
		CallPages.visible(app, "#outcome-form");
		assertThat(app.locator("#outcome-ended-by").isVisible()).isFalse();
		app.locator("input[value=RESOLVED_REMOTELY]").check();
		app.locator("input[value=PHYSICAL_VISIT]").check();
		app.locator("#handover").fill("10");
		app.locator("#outcome-form button[type=submit]").click();
		CallPages.visible(app, "#outcome-split");
		JsonNode saved = this.api.get("/api/v1/consults/" + id + "/time-saved", this.api.token("so.sophie"),
				HttpStatus.OK);
		int travel = saved.get("totals").get("travelMinutesSaved").asInt();
		assertThat(app.locator("#split-travel").textContent()).isEqualTo(travel + " min");
		assertThat(app.locator("#split-handover").textContent()).isEqualTo("10 min");
		assertThat(app.locator("#split-total").textContent()).isEqualTo((travel + 10) + " min");
		shot(app, "phone-outcome-split");
		app.locator("#outcome-done").click();
		CallPages.visible(app, "#inbox");
		assertThat(app.locator("#pending-list .card[data-consult-id='" + id + "']").count()).isZero();
	}

	@Test
	void onADesktopEndStaysOnScreenWhilePhotosArrive() throws Exception {
		Page app = this.pages.app();
		Page glasses = this.pages.glasses();
		app.setViewportSize(1366, 768);
		this.pages.startConsult("K-4712");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		assertLayout(app, 0.40);
		shot(app, "desktop-call");
		for (int photo = 1; photo <= 3; photo++) {
			glasses.locator("#photo").click();
			app.waitForFunction("(n) => window.beeldzorgApp.photos.length === n", photo);
		}
		CallPages.visible(app, "#photo-list li:first-child img");
		assertThat(app.locator("#photo-list img").count()).isEqualTo(3);
		assertLayout(app, 0.40);
		BoundingBox end = app.locator("#end").boundingBox();
		assertThat(end.y + end.height).as("Beëindig consult fully on screen").isLessThanOrEqualTo(768);
		shot(app, "desktop-call-photo");

		app.locator("#end").click();
		CallPages.visible(app, "#outcome-form");
		assertThat(app.locator("#outcome-ended-by").isVisible()).as("she ended it herself").isFalse();
		app.locator("#outcome-skip").click();
		CallPages.visible(app, "#pending-list .open-outcome");
		shot(app, "desktop-inbox-pending", true);
		app.locator("#pending-list .open-outcome").first().click();
		app.locator("input[value=VISIT_STILL_NEEDED]").check();
		app.locator("input[value=PHONE_CALL]").check();
		app.locator("#outcome-form button[type=submit]").click();
		CallPages.visible(app, "#outcome-split");
		assertThat(app.locator("#split-travel").textContent()).as("a visit is still needed: no trip saved")
			.isEqualTo("0 min");
		shot(app, "desktop-outcome-split");
	}

	@Test
	void theHuisartsCallScreenIsAGpsAndTheSoDeclaresTheImozConsultAfterIt() throws Exception {
		Page so = this.pages.app();
		so.setViewportSize(1366, 768);
		String huib = this.api.token("ha.huib");
		String id = this.api
			.post("/api/v1/consults", huib, Map.of("kind", "IMOZ", "clientRef", "P-7788", "urgency", "URGENT",
					"homeArea", "7331", "question", "Decubitus hiel; beoordeling?"), HttpStatus.CREATED)
			.get("id")
			.asString();
		Page gp = this.browsers.page(390, 844);
		gp.navigate("http://127.0.0.1:" + this.port + "/app/?trace=1&as=ha.huib&consult=" + id);
		gp.locator("#call").waitFor();
		CallPages.visible(so, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(gp, APP, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(so, APP, Duration.ofSeconds(20));

		assertThat(gp.title()).isEqualTo("Beeldzorg · huisarts");
		assertThat(gp.locator("body").innerText()).doesNotContainIgnoringCase("consulent")
			.doesNotContain("Tik op het beeld");
		assertLayout(gp, 0.40);
		gp.locator("#invite-open").click();
		CallPages.visible(gp, "#invite-user");
		assertThat(gp.locator("#invite-user option").allTextContents()).contains("Anna de Vries");
		gp.locator("#invite-user").selectOption(this.api.userId("nurse.anna"));
		// The invite says why; without a reason the form does not send.
		gp.locator("#invite-form button[type=submit]").click();
		assertThat(gp.locator("#invite-result").isVisible()).as("no invite without a reason").isFalse();
		assertThat(gp.locator("#invite-form label[for=invite-reason]").textContent()).startsWith("Waarom");
		gp.locator("#invite-reason").fill("Wondzorg thuis, zij kent de wond");
		shot(gp, "gp-phone-invite-reason");
		gp.locator("#invite-form button[type=submit]").click();
		CallPages.visible(gp, "#invite-result");
		assertThat(gp.locator("#invite-result").textContent()).startsWith("Anna de Vries is uitgenodigd");
		assertThat(this.api.get("/api/v1/consults/" + id, this.api.token("nurse.anna"), HttpStatus.OK)
			.get("join")
			.get("token")
			.asString()).as("the invited district nurse may join").isNotBlank();
		assertLayout(gp, 0.40);
		shot(gp, "gp-phone-call-invited");

		gp.locator("#end").click();
		gp.waitForURL("**/huisarts/**");
		CallPages.visible(so, "#billing");
		assertThat(so.locator("#outcome-ended-by").textContent()).isEqualTo("De huisarts heeft het consult beëindigd.");
		assertThat(so.locator("#outcome-title").textContent()).contains("IMOZ");
		so.locator("#billing-code").selectOption("IMOZ-BEELD");
		so.locator("input[value=RESOLVED_REMOTELY]").check();
		so.locator("input[value=PHYSICAL_VISIT]").check();
		so.locator("#outcome-form button[type=submit]").click();
		CallPages.visible(so, "#outcome-split");
		assertThat(so.locator("#outcome-message").textContent()).isEqualTo("Opgeslagen, gedeclareerd als IMOZ-BEELD.");
		assertThat(Integer.parseInt(so.locator("#split-travel").textContent().replace(" min", "")))
			.as("the trip to postcode area 7331 not driven")
			.isPositive();
		shot(so, "desktop-imoz-billing-split");
		assertThat(this.api.get("/api/v1/me/pending-outcomes", this.api.token("so.sophie"), HttpStatus.OK)
			.findValues("id")
			.stream()
			.map(JsonNode::asString)
			.toList()).doesNotContain(id);
	}

	/** A consult rang for Sophie alone and the nurse withdrew it. */
	private String missedCall() {
		String nurse = this.api.token("nurse.anna");
		String id = this.api
			.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-4700", "urgency",
							"URGENT", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED)
			.get("id")
			.asString();
		this.api.post("/api/v1/consults/" + id + "/cancel", nurse, HttpStatus.OK);
		return id;
	}

	private void pointerMapsThroughTheCroppedPicture(Page app, Page glasses) {
		BoundingBox box = app.locator("#remote-video").boundingBox();
		@SuppressWarnings("unchecked")
		Map<String, Number> size = (Map<String, Number>) app
			.evaluate("() => { const v = document.getElementById('remote-video');"
					+ " return { w: v.videoWidth, h: v.videoHeight }; }");
		double w = size.get("w").doubleValue();
		double h = size.get("h").doubleValue();
		// Cropped (object-fit cover): the picture is wider than the element.
		double scale = Math.max(box.width / w, box.height / h);
		double x = box.x + box.width * 0.3;
		double y = box.y + box.height * 0.4;
		app.mouse().click(x, y);
		glasses.waitForFunction("() => window.beeldzorgGlasses.lastPointer !== null");
		@SuppressWarnings("unchecked")
		Map<String, Number> pointer = (Map<String, Number>) glasses
			.evaluate("() => window.beeldzorgGlasses.lastPointer");
		double expectedX = (box.width * 0.3 - (box.width - w * scale) / 2) / (w * scale);
		double expectedY = (box.height * 0.4 - (box.height - h * scale) / 2) / (h * scale);
		assertThat(pointer.get("x").doubleValue()).isCloseTo(expectedX, offset(0.01));
		assertThat(pointer.get("y").doubleValue()).isCloseTo(expectedY, offset(0.01));
	}

	@SuppressWarnings("unchecked")
	private static void assertLayout(Page page, double share) {
		Map<String, Number> picture = (Map<String, Number>) page.evaluate(PICTURE);
		System.out.println("[layout] " + page.viewportSize().width + "x" + page.viewportSize().height + " " + picture);
		assertThat(picture.get("share").doubleValue()).as("share of the screen showing the remote picture")
			.isGreaterThanOrEqualTo(share);
		assertThat(picture.get("scroll").intValue()).as("no scrolling in a call").isLessThanOrEqualTo(0);
		assertThat(picture.get("scrollX").intValue()).as("no sideways scrolling in a call").isLessThanOrEqualTo(0);
		List<String> controls = (List<String>) page.evaluate(CONTROLS);
		assertThat(controls).as("every call control on screen, uncovered")
			.contains("end:true")
			.allMatch((c) -> c.endsWith(":true"));
	}

	private static void shot(Page page, String name) throws java.io.IOException {
		shot(page, name, false);
	}

	private static void shot(Page page, String name, boolean fullPage) throws java.io.IOException {
		Files.createDirectories(SHOTS);
		page.screenshot(
				new Page.ScreenshotOptions().setPath(SHOTS.resolve("callview-" + name + ".png")).setFullPage(fullPage));
	}

}
