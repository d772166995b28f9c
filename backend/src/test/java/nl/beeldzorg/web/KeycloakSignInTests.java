package nl.beeldzorg.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.KeycloakServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production mode against a real Keycloak with the realm of {@code infra/keycloak} (and
 * its test overlay): the pages sign in through Keycloak's own login form, the glasses
 * with a code approved on a phone, a consult is started and accepted with those tokens,
 * the tokens are renewed before they expire, sign-out ends the Keycloak session; tokens
 * of another audience or another realm are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeycloakSignInTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	ApiClient api;

	@DynamicPropertySource
	static void production(DynamicPropertyRegistry registry) {
		String database = H2TestDatabase.create("beeldzorg-keycloak");
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.identity.issuer-uri", () -> KeycloakServer.shared().issuer());
		registry.add("beeldzorg.identity.audience", () -> KeycloakServer.AUDIENCE);
		registry.add("beeldzorg.signalling.join-token-secret", () -> "a-test-secret-of-at-least-32-characters!");
	}

	@BeforeEach
	void seed() {
		this.api = new ApiClient(this.port);
		// What the programme office does first: the region's subregions; then the
		// institution's administrator: her care locations.
		this.api.put("/api/v1/programme/subregions/apeldoorn-noord",
				passwordToken(KeycloakServer.REALM, "programme.pim"), Map.of("name", "Apeldoorn-Noord"), HttpStatus.OK);
		String admin = passwordToken(KeycloakServer.REALM, "admin.ada");
		this.api.put("/api/v1/admin/locations/zga-de-sprengel", admin,
				Map.of("name", "De Sprengel", "subregion", "apeldoorn-noord", "latitude", 52.2261, "longitude", 5.9577),
				HttpStatus.OK);
	}

	@Test
	void tokensOfAnotherAudienceOrAnotherRealmAreRefused() {
		KeycloakServer keycloak = KeycloakServer.shared();
		String good = passwordToken(KeycloakServer.REALM, "nurse.anna");
		assertThat(claims(good).get("aud").toString()).contains(KeycloakServer.AUDIENCE);
		assertThat(claims(good).get("sub").asString()).isEqualTo("8f5abc84-c533-3967-92c7-cd983dc18950");
		assertThat(this.api.get("/api/v1/locations", good, HttpStatus.OK).toString()).contains("zga-de-sprengel");

		// Same realm, same user, every claim, but made for another client.
		String otherAudience = keycloak.otherServiceToken(KeycloakServer.REALM, "nurse.anna")
			.get("access_token")
			.asString();
		assertThat(claims(otherAudience).get("discipline").asString()).isEqualTo("NURSE");
		assertThat(claims(otherAudience).path("aud").toString()).doesNotContain(KeycloakServer.AUDIENCE);
		refused(otherAudience);

		// Beeldzorg's audience and claims, but another realm (another issuer and keys).
		String otherRealm = passwordToken(KeycloakServer.OTHER_REALM, "nurse.anna");
		assertThat(claims(otherRealm).get("aud").toString()).contains(KeycloakServer.AUDIENCE);
		assertThat(claims(otherRealm).get("iss").asString()).isEqualTo(keycloak.issuer(KeycloakServer.OTHER_REALM));
		refused(otherRealm);
	}

	@Test
	void prometheusScrapesWithItsServiceAccountAndNoUserCan() {
		JsonNode response = KeycloakServer.shared()
			.tokenRequest(KeycloakServer.REALM, Map.of("grant_type", "client_credentials", "client_id",
					"beeldzorg-prometheus", "client_secret", "test-prometheus-secret"));
		assertThat(response.has("access_token")).as(response.toString()).isTrue();
		String scraper = response.get("access_token").asString();
		assertThat(claims(scraper).get("roles").toString()).contains("OPERATOR");
		assertThat(claims(scraper).get("aud").toString()).contains(KeycloakServer.AUDIENCE);
		String metrics = this.api.http()
			.get()
			.uri("/actuator/prometheus")
			.headers((headers) -> headers.setBearerAuth(scraper))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains("beeldzorg_signalling_peers");
		// The scraper reaches no patient data; an administrator no metrics.
		this.api.get("/api/v1/consults", scraper, HttpStatus.FORBIDDEN);
		this.api.http()
			.get()
			.uri("/actuator/prometheus")
			.headers((headers) -> headers.setBearerAuth(passwordToken(KeycloakServer.REALM, "admin.ada")))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void pagesSignInThroughKeycloakTheGlassesWithACodeAndAConsultIsAcceptedRenewedAndSignedOut() throws Exception {
		KeycloakServer keycloak = KeycloakServer.shared();
		String base = "http://127.0.0.1:" + this.port;
		try (Browsers browsers = Browsers.launch()) {
			// The SO on her desktop: the app, Keycloak's login form, back in the app.
			Page app = browsers.page(1366, 768);
			app.navigate(base + "/app/");
			app.locator("#signin-oidc").click();
			logIn(app, "so.sophie");
			app.waitForURL(base + "/app/");
			app.locator("#live").filter(new Locator.FilterOptions().setHasText("Live")).waitFor();
			String soToken = token(app);
			assertThat(claims(soToken).get("iss").asString()).isEqualTo(keycloak.issuer());
			assertThat(claims(soToken).get("azp").asString()).isEqualTo("beeldzorg-web");
			assertThat(claims(soToken).get("discipline").asString()).isEqualTo("SO");

			// The nurse's glasses show a code and its QR code; she approves on her phone.
			Page glasses = browsers.page(854, 480);
			glasses.navigate(base + "/glasses/");
			glasses.waitForFunction(
					"() => /^[A-Z]{4}-[A-Z]{4}$/.test(document.getElementById('device-code').textContent)");
			String userCode = glasses.locator("#device-code").textContent();
			String qr = glasses.locator("#device-qr").getAttribute("data-text");
			assertThat(qr).isEqualTo(keycloak.issuer() + "/device?user_code=" + userCode);
			// What a phone's camera reads from the drawn QR code (jsQR, the page's own
			// reader).
			assertThat(glasses.evaluate("() => { const c = document.getElementById('device-qr');"
					+ " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);"
					+ " return window.jsQR(d.data, c.width, c.height).data; }"))
				.isEqualTo(qr);
			assertThat(glasses.locator("#device-instructions").textContent()).contains(keycloak.issuer() + "/device");
			glasses.screenshot(new Page.ScreenshotOptions()
				.setPath(Path.of("target/screenshots/identity-glasses-device-code-854x480.png")));
			Page phone = browsers.page(390, 844);
			phone.navigate(qr);
			logIn(phone, "nurse.anna");
			// Keycloak always asks her to approve the glasses' request after signing in
			// (RFC 8628 section 3.3; Keycloak enforces it for the device grant whatever
			// the client's consent setting): its grant page names the glasses' client.
			phone.locator("#kc-cancel").waitFor();
			assertThat(phone.locator("body").innerText()).contains("Beeldzorg (smart glasses)");
			phone.locator("#kc-login").click();
			// Signed in; her institution has one care location, so the glasses skip the
			// location screen and ask for the client there.
			glasses.locator("#client-step").waitFor();
			assertThat(glasses.locator("#location-shown").textContent()).isEqualTo("De Sprengel");
			assertThat(glasses.locator("#who").textContent()).isEqualTo("Anna de Vries");
			String nurseToken = token(glasses);
			assertThat(claims(nurseToken).get("azp").asString()).isEqualTo("beeldzorg-glasses");
			assertThat(claims(nurseToken).get("aud").toString()).contains(KeycloakServer.AUDIENCE);

			// A consult with those tokens: started on the glasses, accepted in the app,
			// media flowing both ways.
			glasses.locator("#client-ref").fill("K-4711");
			glasses.locator("#start").click();
			glasses.locator("#call").waitFor();
			app.locator("#ringing .accept").first().click();
			app.locator("#call").waitFor();
			CallPages.awaitMediaFlowing(app, CallPages.APP, Duration.ofSeconds(40));
			// The consult as the SO reads it (lists are the inbox and booked consults
			// only).
			String consultId = (String) glasses.evaluate("() => window.beeldzorgGlasses.consult.id");
			JsonNode active = this.api.get("/api/v1/consults/" + consultId, soToken, HttpStatus.OK);
			assertThat(active.path("state").asString()).isEqualTo("ACTIVE");
			assertThat(active.toString()).contains("\"clientRef\":\"K-4711\"")
				.contains("f4c6c862-7a73-3326-8932-1bedb55a0e5e");

			// The access tokens live 90 s (test overlay); both pages renew them with
			// their
			// refresh tokens before they expire, and keep working.
			app.waitForFunction("(old) => window.Beeldzorg.session.token && window.Beeldzorg.session.token !== old",
					soToken, new Page.WaitForFunctionOptions().setTimeout(100_000));
			glasses.waitForFunction("(old) => window.Beeldzorg.session.token && window.Beeldzorg.session.token !== old",
					nurseToken, new Page.WaitForFunctionOptions().setTimeout(100_000));
			String renewed = token(app);
			assertThat(claims(renewed).get("iat").asLong()).isGreaterThan(claims(soToken).get("iat").asLong());
			assertThat(claims(renewed).get("sid").asString()).isEqualTo(claims(soToken).get("sid").asString());
			assertThat(app
				.evaluate("() => window.Beeldzorg.session.api('/api/v1/me/availability').then((a) => a.present)"))
				.isEqualTo(true);
			glasses.locator("#end").click();
			glasses.locator("#done").waitFor();

			// Sign-out ends the Keycloak session: the page asks to sign in again and the
			// refresh token it had is dead.
			String refreshToken = (String) app.evaluate(
					"() => JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:')))).refresh_token");
			app.locator("#signout").click();
			app.waitForURL(base + "/app/");
			app.locator("#signin-oidc").waitFor();
			assertThat(app.evaluate("() => window.Beeldzorg.session.token")).isNull();
			JsonNode refresh = keycloak.tokenRequest(KeycloakServer.REALM,
					Map.of("grant_type", "refresh_token", "client_id", "beeldzorg-web", "refresh_token", refreshToken));
			assertThat(refresh.path("error").asString()).isEqualTo("invalid_grant");
		}
	}

	@Test
	void theHuisartsPageSignsInTheSameWay() {
		String base = "http://127.0.0.1:" + this.port;
		try (Browsers browsers = Browsers.launch()) {
			Page huisarts = browsers.page(390, 844);
			huisarts.navigate(base + "/huisarts/");
			huisarts.locator("#signin-oidc").click();
			logIn(huisarts, "ha.huib");
			huisarts.waitForURL(base + "/huisarts/");
			huisarts.locator("#work").waitFor();
			assertThat(huisarts.locator("#who").textContent()).contains("Huib van Dijk");
			String token = token(huisarts);
			assertThat(claims(token).get("practice").asString()).isEqualTo("hap-apeldoorn-zuid");
			assertThat(claims(token).get("roles").toString()).doesNotContain("ADMIN");
		}
	}

	private void refused(String token) {
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.get()
			.uri("/api/v1/locations")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith("application/problem+json")
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("auth.unauthenticated");
	}

	// Keycloak's own login form (its theme's ids), in Dutch: the realm's default locale.
	private static void logIn(Page page, String username) {
		page.locator("#username").fill(username);
		page.locator("#password").fill(KeycloakServer.password(username));
		page.locator("#kc-login").click();
	}

	private static String token(Page page) {
		return (String) page.evaluate("() => window.Beeldzorg.session.token");
	}

	private static String passwordToken(String realm, String username) {
		JsonNode response = KeycloakServer.shared()
			.tokenRequest(realm, Map.of("grant_type", "password", "client_id", "beeldzorg-test-password", "username",
					username, "password", KeycloakServer.password(username), "scope", "openid"));
		assertThat(response.has("access_token")).as(response.toString()).isTrue();
		return response.get("access_token").asString();
	}

	static JsonNode claims(String jwt) {
		return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
	}

}
