package nl.beeldzorg.web;

import java.time.Duration;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.Coturn;
import nl.beeldzorg.support.CallPagesTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

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
	}

}
