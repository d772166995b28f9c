package nl.beeldzorg.web;

import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.QrCamera;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The glasses page without a keyboard: the client's QR code read from the camera, and the
 * buttons whose labels are the voice commands, in Dutch and in English.
 */
class GlassesPageTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-glasses");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void scanClientReadsTheQrCodeFromTheCamera() throws Exception {
		Path video = QrCamera.video("K-8812");
		try (Browsers browsers = Browsers.launch("--use-file-for-fake-video-capture=" + video)) {
			Page glasses = browsers.page(1280, 800);
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/?as=nurse.anna");
			glasses.locator("#locations button").first().click();
			glasses.locator("#scan").click();
			glasses.waitForFunction("() => document.getElementById('client-ref').value !== ''");
			assertThat(glasses.locator("#client-ref").inputValue()).isEqualTo("K-8812");
			assertThat(glasses.locator("#client-shown").textContent()).isEqualTo("Cliënt gescand: K-8812");
			CallPages.visible(glasses, "#start");
		}
	}

	@Test
	void buttonLabelsAreTheVoiceCommandsInDutchByDefaultAndInEnglishWhenChosen() {
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = browsers.page(1280, 800);
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/?as=nurse.anna");
			glasses.locator("#locations button").first().waitFor();
			assertThat(glasses.locator("html").getAttribute("lang")).isEqualTo("nl");
			assertThat(glasses.locator("#start").textContent()).isEqualTo("Start consult");
			assertThat(glasses.locator("#scan").textContent()).isEqualTo("Scan cliënt");
			assertThat(glasses.locator("#photo").textContent()).isEqualTo("Maak foto");
			assertThat(glasses.locator("#mute").textContent()).isEqualTo("Microfoon uit");
			// The language is chosen by voice too: buttons named after the language.
			glasses.locator("#lang-en").click();
			assertThat(glasses.locator("html").getAttribute("lang")).isEqualTo("en");
			assertThat(glasses.locator("#start").textContent()).isEqualTo("Start consult");
			assertThat(glasses.locator("#scan").textContent()).isEqualTo("Scan client");
			assertThat(glasses.locator("#photo").textContent()).isEqualTo("Take photo");
			assertThat(glasses.locator("#end").textContent()).isEqualTo("End consult");
			assertThat(glasses.locator("#mute").textContent()).isEqualTo("Microphone off");
			assertThat(glasses.locator("#lang-en").getAttribute("aria-pressed")).isEqualTo("true");
			// Large targets for a gaze or a gloved finger.
			glasses.locator("#locations button").first().click();
			assertThat(glasses.locator("#start").boundingBox().height).isGreaterThanOrEqualTo(64);
			glasses.reload();
			glasses.locator("#locations button").first().waitFor();
			assertThat(glasses.locator("#scan").textContent()).isEqualTo("Scan client");
		}
	}

	@Test
	void eachPagesSignInOffersTheDemoUsersItIsFor() {
		try (Browsers browsers = Browsers.launch()) {
			String base = "http://127.0.0.1:" + this.port;
			Page glasses = browsers.page(1280, 800);
			glasses.navigate(base + "/glasses/");
			glasses.locator("#demo-user option")
				.first()
				.waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
			assertThat(glasses.locator("#demo-user option").allTextContents())
				.contains("Anna de Vries (verpleegkundige)")
				.doesNotContain("Sophie Bakker (specialist ouderengeneeskunde)");
			Page app = browsers.page(1000, 800);
			app.navigate(base + "/app/");
			app.locator("#demo-user option")
				.first()
				.waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
			assertThat(app.locator("#demo-user option").allTextContents())
				.contains("Sophie Bakker (specialist ouderengeneeskunde)")
				.doesNotContain("Anna de Vries (verpleegkundige)");
			Page huisarts = browsers.page(1000, 800);
			huisarts.navigate(base + "/huisarts/");
			huisarts.locator("#demo-user option")
				.first()
				.waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
			assertThat(huisarts.locator("#demo-user option").allTextContents())
				.containsExactly("Huib van Dijk (huisarts)", "Hanna Hendriks (huisarts)");
			huisarts.locator("#signin-button").click();
			huisarts.locator("#who")
				.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("(huisarts)"))
				.waitFor();
		}
	}

	/**
	 * The client fields' {@code pattern} compiles in Chromium (which compiles it with the
	 * {@code v} flag), so the browser checks a typed client code: before, it logged an
	 * invalid regular expression and let every value through.
	 */
	@Test
	void clientCodeFieldsAreCheckedByTheBrowserOnTheGlassesTheAppAndTheGpPage() {
		try (Browsers browsers = Browsers.launch()) {
			String base = "http://127.0.0.1:" + this.port;
			Page page = browsers.page(1280, 800);
			List<String> consoleErrors = new java.util.ArrayList<>();
			page.onConsoleMessage((message) -> {
				if (message.text().contains("pattern")) {
					consoleErrors.add(message.text());
				}
			});
			for (String[] field : new String[][] { { "/glasses/", "client-ref" }, { "/app/", "expert-client" },
					{ "/huisarts/", "ask-client" }, { "/huisarts/", "video-client" } }) {
				page.navigate(base + field[0]);
				page.locator("#" + field[1])
					.waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
						.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
				assertThat(mismatch(page, field[1], "K-4711")).as(field[1] + " K-4711").isFalse();
				assertThat(mismatch(page, field[1], "zga/2024.07_b-3")).as(field[1] + " with / . _ -").isFalse();
				assertThat(mismatch(page, field[1], "-4711")).as(field[1] + " leading dash").isTrue();
				assertThat(mismatch(page, field[1], "Jan Jansen")).as(field[1] + " a name with a space").isTrue();
				assertThat(mismatch(page, field[1], "K#4711")).as(field[1] + " #").isTrue();
			}
			assertThat(consoleErrors).isEmpty();
		}
	}

	private static boolean mismatch(Page page, String id, String value) {
		return (Boolean) page.evaluate("([id, value]) => { const input = document.getElementById(id);"
				+ " input.value = value; return input.validity.patternMismatch; }", List.of(id, value));
	}

	/**
	 * With no SO present the refusal is guidance: what to do now (call the backup), in
	 * Dutch, not a red error or the server's English.
	 */
	@Test
	void noSoAvailableIsGuidanceToCallTheBackup() {
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = browsers.page(854, 480);
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/?as=nurse.bram");
			glasses.locator("#locations button").first().click();
			glasses.locator("#client-ref").fill("K-5150");
			glasses.locator("#start").click();
			CallPages.visible(glasses, "#home-message");
			assertThat(glasses.locator("#home-message").textContent()).startsWith("Er is nu geen SO beschikbaar.")
				.contains("Bel de achterwacht");
			assertThat(glasses.locator("#home-message").getAttribute("class")).doesNotContain("problem");
			assertThat(glasses.locator("#call").isVisible()).isFalse();
			assertThat(glasses.evaluate("() => document.scrollingElement.scrollHeight <= innerHeight")).isEqualTo(true);
		}
	}

	/**
	 * Inside the glasses app (android-client) the page takes its token from the app's
	 * bridge ({@code window.BeeldzorgApp}) before each call, shows no sign-in of its own,
	 * and signs out through the app. Here a stand-in bridge hands out a demo nurse's
	 * token.
	 */
	@Test
	void insideTheGlassesAppThePageUsesTheAppsTokenAndSignsOutThroughIt() {
		// An ADMIN paired these glasses with one ward: they offer only its location.
		String nurse = this.api.token("nurse.anna");
		String ward = this.api.get("/api/v1/locations", nurse, org.springframework.http.HttpStatus.OK)
			.get(1)
			.get("id")
			.asString();
		this.api.put("/api/v1/admin/glasses/bril-test0001", this.api.token("admin.ada"),
				java.util.Map.of("name", "Bril De Linde", "locationIds", List.of(ward)),
				org.springframework.http.HttpStatus.OK);
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = browsers.page(854, 480);
			glasses.addInitScript("""
					(() => {
					  const request = new XMLHttpRequest();
					  request.open("POST", "/demo/token", false);
					  request.setRequestHeader("Content-Type", "application/json");
					  request.send(JSON.stringify({ username: "nurse.anna" }));
					  const token = JSON.parse(request.responseText).accessToken;
					  window.appCalls = { accessToken: 0, signOut: 0 };
					  window.BeeldzorgApp = {
					    deviceId() { return "bril-test0001"; },
					    accessToken() { window.appCalls.accessToken++; return window.appCalls.signOut ? null : token; },
					    signOut() { window.appCalls.signOut++; }
					  };
					})();
					""");
			glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/");
			glasses.locator("#locations button")
				.first()
				.waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
			glasses.locator("#who")
				.filter(new com.microsoft.playwright.Locator.FilterOptions().setHasText("Anna"))
				.waitFor();
			assertThat(glasses.locator("#who").textContent()).contains("Anna");
			assertThat(glasses.locator("#locations button").count()).isEqualTo(1);
			assertThat(glasses.locator("#locations button").getAttribute("data-location")).isEqualTo(ward);
			assertThat(glasses.locator("#signin-device").isVisible()).isFalse();
			assertThat(glasses.locator("#demo-user").isVisible()).isFalse();
			Number asked = (Number) glasses.evaluate("() => window.appCalls.accessToken");
			assertThat(asked.intValue()).as("asked before each call").isGreaterThanOrEqualTo(3);
			glasses.evaluate("() => window.Beeldzorg.session.signOut()");
			assertThat(((Number) glasses.evaluate("() => window.appCalls.signOut")).intValue()).isEqualTo(1);
			assertThat(glasses.evaluate("() => window.Beeldzorg.session.token")).isNull();
		}
	}

}
