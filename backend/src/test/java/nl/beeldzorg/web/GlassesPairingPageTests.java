package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ADMIN pairs glasses from the app: the unpaired glasses show their code (text and QR
 * code), she enters it in the app's "Brillen koppelen" with the ward's locations, and the
 * glasses then offer only those; she changes and unpairs them there too.
 */
class GlassesPairingPageTests extends DemoApplicationTests {

	private static final String DEVICE = "bril-pairme42";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-glasses-pairing-pages");
		registry.add("beeldzorg.database.url", () -> url);
	}

	private static final String BRIDGE = """
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

	private Page glasses(Browsers browsers) {
		Page glasses = browsers.page(854, 480);
		glasses.addInitScript(BRIDGE);
		glasses.navigate("http://127.0.0.1:" + this.port + "/glasses/");
		glasses.waitForFunction("() => window.beeldzorgGlasses && window.beeldzorgGlasses.pairing");
		return glasses;
	}

	@Test
	void anAdminPairsTheGlassesShownCodeFromTheAppAndUnpairsThem() throws Exception {
		try (Browsers browsers = Browsers.launch()) {
			// Unpaired glasses: every location, and their code as text and QR code.
			Page glasses = glasses(browsers);
			CallPages.visible(glasses, "#unpaired");
			assertThat(glasses.locator("#device-id").textContent()).isEqualTo(DEVICE);
			assertThat(glasses.locator("#unpaired").textContent()).contains("Bril niet gekoppeld");
			assertThat(glasses.locator("#device-id-qr").getAttribute("data-text")).isEqualTo(DEVICE);
			assertThat(glasses.evaluate("() => document.scrollingElement.scrollHeight <= innerHeight")).isEqualTo(true);
			shot(glasses, "glasses-unpaired-854x480");

			Page app = browsers.page(1366, 768);
			app.navigate("http://127.0.0.1:" + this.port + "/app/?as=admin.ada");
			CallPages.visible(app, "#glasses-admin");
			assertThat(app.locator("#glasses-admin-title").textContent()).isEqualTo("Brillen koppelen");
			assertThat(app.locator("#inbox").isVisible()).as("Ada takes no calls").isFalse();
			// Nor is she a consultant: the title says what the screen is for her.
			assertThat(app.locator("#title").textContent()).isEqualTo("Beeldzorg · beheer");
			assertThat(app.title()).isEqualTo("Beeldzorg · beheer");
			CallPages.visible(app, "#glasses-empty");

			// A code that is not one: said in Dutch, nothing sent.
			app.locator("#glasses-device").fill("x!");
			app.locator("#glasses-name").fill("Bril De Sprengel");
			app.locator("#glasses-form button[type=submit]").click();
			CallPages.visible(app, "#glasses-message");
			assertThat(app.locator("#glasses-message").textContent()).startsWith("Vul de code van de bril in");

			app.locator("#glasses-device").fill(DEVICE);
			app.locator("#glasses-form button[type=submit]").click();
			assertThat(app.locator("#glasses-message").textContent()).isEqualTo("Kies minstens één locatie.");
			app.locator("#glasses-locations label", new Page.LocatorOptions().setHasText("De Sprengel"))
				.locator("input")
				.check();
			app.locator("#glasses-form button[type=submit]").click();
			CallPages.visible(app, "#glasses-list li[data-device=" + DEVICE + "]");
			assertThat(app.locator("#glasses-message").textContent()).isEqualTo("Bril De Sprengel is gekoppeld.");
			String card = app.locator("#glasses-list li").textContent();
			assertThat(card).contains("Bril De Sprengel").contains(DEVICE).contains("De Sprengel");
			assertThat(app.locator("#glasses-empty").isVisible()).isFalse();
			shot(app, "app-glasses-admin-1366x768");

			// The glasses now offer only the ward's location and no longer show their
			// code.
			glasses.reload();
			glasses.waitForFunction("() => window.beeldzorgGlasses.pairing && window.beeldzorgGlasses.pairing.paired");
			assertThat(glasses.evaluate("() => window.beeldzorgGlasses.locations.map((l) => l.id).join(' ')"))
				.isEqualTo("zga-de-sprengel");
			assertThat(glasses.locator("#unpaired").isVisible()).isFalse();

			// On a phone: change the locations, then unpair.
			Page phone = browsers.page(390, 844);
			phone.navigate("http://127.0.0.1:" + this.port + "/app/?as=admin.ada");
			CallPages.visible(phone, "#glasses-list li[data-device=" + DEVICE + "]");
			// Her header says she administers, not only that she is a nurse.
			assertThat(phone.locator("#who").textContent()).isEqualTo("Ada Hendriks (verpleegkundige, beheerder)");
			phone.locator("#glasses-list li .edit").click();
			assertThat(phone.locator("#glasses-device").inputValue()).isEqualTo(DEVICE);
			phone.locator("#glasses-locations label", new Page.LocatorOptions().setHasText("Berg en Bos"))
				.locator("input")
				.check();
			phone.locator("#glasses-form button[type=submit]").click();
			phone.waitForFunction(
					"() => document.querySelector('#glasses-list li') && document.querySelector('#glasses-list li').textContent.includes('Berg en Bos')");
			assertThat(phone.evaluate("() => document.scrollingElement.scrollWidth <= innerWidth")).isEqualTo(true);
			shot(phone, "app-glasses-admin-390x844");
			// The first tap only asks; the glasses stay paired until the second.
			phone.locator("#glasses-list li .unpair").click();
			assertThat(phone.locator("#glasses-list li .unpair").textContent()).isEqualTo("Echt ontkoppelen?");
			assertThat(phone.locator("#glasses-list li").count()).isEqualTo(1);
			phone.locator("#glasses-list li .unpair").click();
			CallPages.visible(phone, "#glasses-empty");
			assertThat(phone.locator("#glasses-message").textContent()).isEqualTo("Bril De Sprengel is ontkoppeld.");
			assertThat(phone.locator("#glasses-list li").count()).isZero();

			glasses.reload();
			CallPages.visible(glasses, "#unpaired");
			assertThat(browsers.policyViolations()).isEmpty();
		}
	}

	@Test
	void aNurseWithoutAdminSeesNoPairing() {
		try (Browsers browsers = Browsers.launch()) {
			Page app = browsers.page(1366, 768);
			app.navigate("http://127.0.0.1:" + this.port + "/app/?as=so.sophie");
			CallPages.visible(app, "#inbox");
			assertThat(app.locator("#glasses-admin").isVisible()).isFalse();
		}
	}

	private static void shot(Page page, String name) throws java.io.IOException {
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve(name + ".png")).setFullPage(true));
	}

}
