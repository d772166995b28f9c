package nl.beeldzorg.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The demo application with the glasses page (nurse.anna) and the consultant's app
 * (so.sophie) open and signed in, in a fresh Chromium per test.
 */
public abstract class CallPagesTests extends DemoApplicationTests {

	protected Browsers browsers;

	protected CallPages pages;

	@BeforeEach
	protected void openPages() {
		this.browsers = Browsers.launch();
		this.pages = new CallPages(this.browsers, "http://127.0.0.1:" + this.port);
		this.pages.signIn("nurse.anna", "so.sophie");
	}

	@AfterEach
	protected void closeBrowsers() {
		this.browsers.close();
	}

	/**
	 * Starts a coturn for a relay test and points the backend at it, relay forced.
	 * @param registry the test's dynamic properties
	 * @param database the H2 database prefix
	 * @param coturnSecret coturn's static-auth-secret
	 * @param backendSecret the secret the backend mints credentials with
	 * @return the running coturn (close it after the class)
	 */
	protected static Coturn relayThroughCoturn(org.springframework.test.context.DynamicPropertyRegistry registry,
			String database, String coturnSecret, String backendSecret) throws Exception {
		String url = H2TestDatabase.create(database);
		Coturn coturn = Coturn.start(coturnSecret);
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.turn.urls", () -> "turn:127.0.0.1:" + coturn.port() + "?transport=udp");
		registry.add("beeldzorg.turn.secret", () -> backendSecret);
		registry.add("beeldzorg.ice.transport-policy", () -> "relay");
		return coturn;
	}

}
