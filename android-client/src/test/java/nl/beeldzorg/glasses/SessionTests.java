package nl.beeldzorg.glasses;

import java.io.IOException;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import static nl.beeldzorg.glasses.FakeBackend.json;
import static org.assertj.core.api.Assertions.assertThat;

public class SessionTests {

	private FakeBackend backend;

	private final FakeClock clock = new FakeClock();

	private final TokenStore store = new TokenStore.InMemory();

	private Session session;

	private String endpoint;

	@Before
	public void start() throws IOException {
		this.backend = new FakeBackend();
		this.endpoint = this.backend.origin() + "/oauth/token";
		this.session = new Session(this.store, new DeviceGrantClient(new Http.UrlConnection(), this.clock), this.clock);
	}

	@After
	public void stop() {
		this.backend.close();
	}

	private Tokens expiringIn(long millis, String refresh) {
		return new Tokens("at-1", refresh, this.clock.now + millis, this.endpoint, "beeldzorg-glasses");
	}

	@Test
	public void aFreshTokenIsHandedOutWithoutAskingTheIssuer() {
		this.session.signedIn(expiringIn(300_000, "rt-1"));
		assertThat(this.session.accessToken()).isEqualTo("at-1");
		assertThat(this.backend.requests).isEmpty();
	}

	@Test
	public void aTokenDueWithinAMinuteIsRefreshedAndKept() {
		this.backend.on("/oauth/token",
				json(200, "{\"access_token\":\"at-2\",\"refresh_token\":\"rt-2\",\"expires_in\":300}"));
		this.session.signedIn(expiringIn(59_000, "rt-1"));
		assertThat(this.session.accessToken()).isEqualTo("at-2");
		assertThat(this.store.load().refreshToken).isEqualTo("rt-2");
		assertThat(this.session.accessToken()).isEqualTo("at-2");
		assertThat(this.backend.requests).hasSize(1);
	}

	@Test
	public void whenTheIssuerEndsTheSessionTheGlassesAreSignedOut() {
		this.backend.on("/oauth/token", json(400, "{\"error\":\"invalid_grant\"}"));
		this.session.signedIn(expiringIn(10_000, "rt-1"));
		assertThat(this.session.accessToken()).isNull();
		assertThat(this.session.signedIn()).isFalse();
	}

	@Test
	public void whenTheIssuerIsAwayTheTokenServesWhileValid() {
		this.backend.on("/oauth/token", json(503, "{}"));
		this.session.signedIn(expiringIn(10_000, "rt-1"));
		assertThat(this.session.accessToken()).isEqualTo("at-1");
		this.clock.now += 20_000;
		assertThat(this.session.accessToken()).isNull();
		assertThat(this.session.signedIn()).as("kept for when the issuer is back").isTrue();
	}

	@Test
	public void withoutRefreshTokenTheDemoTokenServesUntilItExpires() {
		this.session.signedIn(expiringIn(30_000, null));
		assertThat(this.session.accessToken()).isEqualTo("at-1");
		this.clock.now += 30_000;
		assertThat(this.session.accessToken()).isNull();
		assertThat(this.session.signedIn()).isFalse();
		assertThat(this.backend.requests).isEmpty();
	}

	@Test
	public void tokensSurviveTheirStoredForm() throws Exception {
		Tokens tokens = expiringIn(300_000, "rt-1");
		Tokens back = Tokens.fromJson(tokens.toJson());
		assertThat(back.accessToken).isEqualTo("at-1");
		assertThat(back.refreshToken).isEqualTo("rt-1");
		assertThat(back.expiresAtMillis).isEqualTo(tokens.expiresAtMillis);
		assertThat(back.tokenEndpoint).isEqualTo(this.endpoint);
		assertThat(Tokens.fromJson(expiringIn(1, null).toJson()).refreshable()).isFalse();
	}

}
