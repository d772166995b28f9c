package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
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
 * "Bel de bril terug" in real pages: the SO's outcome screen calls the ward's glasses
 * back, the glasses page (inside the app, a stand-in bridge giving its device id) shows
 * the call full screen with OPNEMEN / WEIGEREN, and after OPNEMEN media flows both ways.
 */
class CallBackPageTests extends DemoApplicationTests {

	private static final String DEVICE = "bril-callback01";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-call-back-pages");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void theSoCallsTheGlassesBackAndTheNurseAnswersHandsFree() throws Exception {
		present("so.sophie");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		this.api.put("/api/v1/admin/glasses/" + DEVICE, this.api.token("admin.ada"),
				Map.of("name", "Bril De Sprengel", "locationIds", List.of("zga-de-sprengel")), HttpStatus.OK);
		String ended = this.api.connectedAndEnded(nurse, sophie, this.api.userId("so.sophie"), "zga-de-sprengel", "SO");
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = browsers.page(854, 480);
			glasses.addInitScript("""
					(() => {
					  const request = new XMLHttpRequest();
					  request.open("POST", "/demo/token", false);
					  request.setRequestHeader("Content-Type", "application/json");
					  request.send(JSON.stringify({ username: "nurse.anna" }));
					  const token = JSON.parse(request.responseText).accessToken;
					  window.BeeldzorgApp = {
					    deviceId() { return "%s"; },
					    accessToken() { return token; },
					    signOut() { }
					  };
					})();
					""".formatted(DEVICE));
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/");
			glasses.waitForFunction("() => window.beeldzorgGlasses && window.beeldzorgGlasses.eventsOpen === true");

			Page app = browsers.page(1366, 768);
			app.navigate("http://127.0.0.1:" + this.port + "/app/?as=so.sophie&outcome=" + ended);
			CallPages.visible(app, "#call-back");
			assertThat(app.locator("#call-back").textContent()).isEqualTo("Bel de bril terug");
			shot(app, "app-outcome-1366x768");
			app.locator("#call-back").click();
			CallPages.visible(app, "#call");

			CallPages.visible(glasses, "#incoming");
			assertThat(glasses.locator("#answer").textContent()).isEqualTo("OPNEMEN");
			assertThat(glasses.locator("#reject").textContent()).isEqualTo("WEIGEREN");
			assertThat(glasses.locator("#incoming-who").textContent()).contains("Sophie").contains("De Sprengel");
			assertThat(glasses.locator("#answer").boundingBox().height).isGreaterThanOrEqualTo(64);
			shot(glasses, "glasses-incoming-854x480");
			glasses.locator("#answer").click();
			CallPages.visible(glasses, "#call");

			Map<String, Map<String, Object>> intoGlasses = CallPages.awaitMediaFlowing(glasses, CallPages.GLASSES,
					Duration.ofSeconds(30));
			Map<String, Map<String, Object>> intoApp = CallPages.awaitMediaFlowing(app, CallPages.APP,
					Duration.ofSeconds(30));
			assertThat(intoGlasses).hasSize(1);
			assertThat(intoApp).hasSize(1);
			shot(glasses, "glasses-in-call-854x480");
			app.locator("#end").click();
			CallPages.visible(glasses, "#done");
			assertThat(browsers.policyViolations()).isEmpty();
		}
	}

	@Test
	void weigerenPutsTheIncomingCallAwayAndAPhoneSeesTheButton() throws Exception {
		present("so.sophie");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		this.api.put("/api/v1/admin/glasses/" + DEVICE, this.api.token("admin.ada"),
				Map.of("name", "Bril De Sprengel", "locationIds", List.of("zga-de-sprengel")), HttpStatus.OK);
		String ended = this.api.connectedAndEnded(nurse, sophie, this.api.userId("so.sophie"), "zga-de-sprengel", "SO");
		try (Browsers browsers = Browsers.launch()) {
			Page phone = browsers.page(390, 844);
			phone.navigate("http://127.0.0.1:" + this.port + "/app/?as=so.sophie&outcome=" + ended);
			CallPages.visible(phone, "#call-back");
			shot(phone, "app-outcome-390x844");

			Page glasses = browsers.page(854, 480);
			glasses.addInitScript(bridge());
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/");
			glasses.waitForFunction("() => window.beeldzorgGlasses && window.beeldzorgGlasses.eventsOpen === true");
			String callBack = this.api.post("/api/v1/consults/" + ended + "/call-back", sophie, HttpStatus.CREATED)
				.get("id")
				.asString();
			CallPages.visible(glasses, "#incoming");
			try (SseTestClient sophiesApp = new SseTestClient(this.port, sophie).awaitConnected()) {
				glasses.locator("#reject").click();
				// WEIGEREN reaches the SO: who declined, and that other glasses may still
				// answer.
				JsonNode declined = sophiesApp.next("consult.declined");
				assertThat(declined.get("id").asString()).isEqualTo(callBack);
				assertThat(declined.get("declinedBy").get("name").asString()).isEqualTo("Anna de Vries");
				assertThat(declined.get("next").asString()).isEqualTo("OTHERS_RING");
			}
			CallPages.visible(glasses, "#home-message");
			assertThat(glasses.locator("#incoming").isVisible()).isFalse();
			assertThat(glasses.locator("#home-message").textContent()).isEqualTo("Terugbellen geweigerd.");
			// The SO hangs up; a second call-back rings again and her hanging up stops
			// it.
			this.api.post("/api/v1/consults/" + callBack + "/end", sophie, HttpStatus.OK);
			String again = this.api.post("/api/v1/consults/" + ended + "/call-back", sophie, HttpStatus.CREATED)
				.get("id")
				.asString();
			CallPages.visible(glasses, "#incoming");
			// The app brings the page up for a call-back its service heard: it rings at
			// once.
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/?callBack=" + again);
			CallPages.visible(glasses, "#incoming");
			assertThat(glasses.locator("#answer").textContent()).isEqualTo("OPNEMEN");
		}
	}

	private static String bridge() {
		return """
				(() => {
				  const request = new XMLHttpRequest();
				  request.open("POST", "/demo/token", false);
				  request.setRequestHeader("Content-Type", "application/json");
				  request.send(JSON.stringify({ username: "nurse.anna" }));
				  const token = JSON.parse(request.responseText).accessToken;
				  window.BeeldzorgApp = {
				    deviceId() { return "%s"; },
				    accessToken() { return token; },
				    signOut() { }
				  };
				})();
				""".formatted(DEVICE);
	}

	private static void shot(Page page, String name) throws java.io.IOException {
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve("callback-" + name + ".png")));
	}

}
