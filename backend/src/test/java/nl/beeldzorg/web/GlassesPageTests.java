package nl.beeldzorg.web;

import java.nio.file.Path;

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
			glasses.locator("#locations button").first().waitFor();
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
			glasses.locator("#language").selectOption("en");
			assertThat(glasses.locator("html").getAttribute("lang")).isEqualTo("en");
			assertThat(glasses.locator("#start").textContent()).isEqualTo("Start consult");
			assertThat(glasses.locator("#scan").textContent()).isEqualTo("Scan client");
			assertThat(glasses.locator("#photo").textContent()).isEqualTo("Take photo");
			assertThat(glasses.locator("#end").textContent()).isEqualTo("End consult");
			assertThat(glasses.locator("#mute").textContent()).isEqualTo("Mute");
			// Large targets for a gaze or a gloved finger.
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

}
