package nl.beeldzorg.web;

import java.nio.file.Path;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demo mode shows the glasses' whole keyboard-free sign-in: the demo issuer advertises
 * and serves the Device Authorization Grant (RFC 8628), its approval page signs the
 * glasses in as a demo user.
 */
class DemoDeviceSignInTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-demo-device");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void theDemoIssuerAdvertisesTheGrantAndAnswersPollsAsRfc8628Says() {
		JsonNode metadata = this.http.get()
			.uri("/demo/.well-known/openid-configuration")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		String base = "http://127.0.0.1:" + this.port;
		assertThat(metadata.get("device_authorization_endpoint").asString()).isEqualTo(base + "/demo/oauth/device");
		assertThat(metadata.get("token_endpoint").asString()).isEqualTo(base + "/demo/oauth/token");
		assertThat(metadata.get("grant_types_supported").toString())
			.contains("urn:ietf:params:oauth:grant-type:device_code");

		JsonNode started = device();
		String userCode = started.get("user_code").asString();
		assertThat(started.get("verification_uri_complete").asString())
			.isEqualTo(base + "/demo/device?user_code=" + userCode);
		assertThat(poll(started, HttpStatus.BAD_REQUEST).get("error").asString()).isEqualTo("authorization_pending");
		assertThat(poll(started, HttpStatus.BAD_REQUEST).get("error").asString()).isEqualTo("slow_down");
		this.http.post()
			.uri("/demo/device/approve")
			.bodyValue(java.util.Map.of("userCode", userCode, "username", "nurse.anna"))
			.exchange()
			.expectStatus()
			.isNoContent();
		JsonNode token = poll(started, HttpStatus.OK);
		assertThat(token.get("token_type").asString()).isEqualTo("Bearer");
		String accessToken = token.get("access_token").asString();
		assertThat(this.api.get("/api/v1/locations", accessToken, HttpStatus.OK).toString())
			.contains("zga-de-sprengel");
		assertThat(poll(started, HttpStatus.BAD_REQUEST).get("error").asString()).as("used once")
			.isEqualTo("invalid_grant");

		JsonNode denied = device();
		this.http.post()
			.uri("/demo/device/deny")
			.bodyValue(java.util.Map.of("userCode", denied.get("user_code").asString()))
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(poll(denied, HttpStatus.BAD_REQUEST).get("error").asString()).isEqualTo("access_denied");
		this.http.post()
			.uri("/demo/device/approve")
			.bodyValue(java.util.Map.of("userCode", "ZZZZ-ZZZZ", "username", "nurse.anna"))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("request.not-found");
	}

	@Test
	void theGlassesSignInWithACodeApprovedOnTheDemoApprovalPage() {
		String base = "http://127.0.0.1:" + this.port;
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = browsers.page(854, 480);
			glasses.navigate(base + "/glasses/");
			glasses.locator("#device-start").click();
			glasses.waitForFunction(
					"() => /^[A-Z]{4}-[A-Z]{4}$/.test(document.getElementById('device-code').textContent)");
			String qr = glasses.locator("#device-qr").getAttribute("data-text");
			String userCode = glasses.locator("#device-code").textContent();
			assertThat(qr).isEqualTo(base + "/demo/device?user_code=" + userCode);
			// What a phone's camera reads from the drawn QR code (jsQR, the page's own
			// reader).
			assertThat(glasses.evaluate("() => { const c = document.getElementById('device-qr');"
					+ " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);"
					+ " return window.jsQR(d.data, c.width, c.height).data; }"))
				.isEqualTo(qr);
			assertThat(glasses.locator("#device-instructions").textContent()).startsWith("Ga op uw telefoon naar");
			glasses.screenshot(
					new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/identity-glasses-demo-code.png")));
			Page phone = browsers.page(390, 844);
			phone.navigate(qr);
			assertThat(phone.locator("#user-code").inputValue()).isEqualTo(userCode);
			phone.locator("#demo-user").selectOption("nurse.anna");
			phone.screenshot(new Page.ScreenshotOptions()
				.setPath(Path.of("target/screenshots/identity-phone-demo-approve.png")));
			phone.locator("#allow").click();
			phone.waitForFunction("() => document.getElementById('result').textContent.length > 0");
			assertThat(phone.locator("#result").textContent())
				.isEqualTo("De bril is aangemeld. U kunt dit venster sluiten.");
			glasses.locator("#locations button").first().waitFor();
			assertThat(glasses.locator("#who").textContent()).isEqualTo("Anna de Vries");
		}
	}

	private JsonNode device() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("client_id", "beeldzorg-glasses");
		return this.http.post()
			.uri("/demo/oauth/device")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode poll(JsonNode started, HttpStatus status) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "urn:ietf:params:oauth:grant-type:device_code");
		form.add("device_code", started.get("device_code").asString());
		form.add("client_id", "beeldzorg-glasses");
		return this.http.post()
			.uri("/demo/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

}
