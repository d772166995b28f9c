package nl.beeldzorg.glasses;

import java.io.IOException;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import static nl.beeldzorg.glasses.FakeBackend.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class DeviceGrantClientTests {

	private FakeBackend backend;

	private final FakeClock clock = new FakeClock();

	private DeviceGrantClient client;

	@Before
	public void start() throws IOException {
		this.backend = new FakeBackend().withDemoIssuer();
		this.client = new DeviceGrantClient(new Http.UrlConnection(), this.clock);
	}

	@After
	public void stop() {
		this.backend.close();
	}

	private static FakeBackend.Reply started(int interval) {
		return json(200,
				"{\"device_code\":\"dc-1\",\"user_code\":\"BCDF-GHJK\",\"verification_uri\":\"https://zorg.example.nl/demo/device\","
						+ "\"verification_uri_complete\":\"https://zorg.example.nl/demo/device?user_code=BCDF-GHJK\","
						+ "\"expires_in\":600,\"interval\":" + interval + "}");
	}

	private static FakeBackend.Reply error(String code) {
		return json(400, "{\"error\":\"" + code + "\"}");
	}

	@Test
	public void findsTheIssuerTheBackendNamesAndShowsItsCode() throws IOException {
		this.backend.on("/demo/oauth/device", started(5));
		DeviceGrantClient.Issuer issuer = this.client.discover(this.backend.origin());
		assertThat(issuer.deviceAuthorizationEndpoint).isEqualTo(this.backend.origin() + "/demo/oauth/device");
		assertThat(issuer.clientId).isEqualTo("beeldzorg-glasses");
		DeviceGrantClient.DeviceCode code = this.client.start(issuer);
		assertThat(code.userCode).isEqualTo("BCDF-GHJK");
		assertThat(code.verificationUriComplete).endsWith("?user_code=BCDF-GHJK");
		assertThat(code.intervalMillis).isEqualTo(5000);
		assertThat(this.backend.requestsTo("/demo/oauth/device").get(0).form).containsEntry("client_id",
				"beeldzorg-glasses");
	}

	@Test
	public void pollsWhilePendingSlowsDownWhenToldAndSignsIn() throws Exception {
		this.backend.on("/demo/oauth/device", started(5));
		this.backend.on("/demo/oauth/token", error("authorization_pending"), error("slow_down"),
				error("authorization_pending"), json(200,
						"{\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
		DeviceGrantClient.Issuer issuer = this.client.discover(this.backend.origin());
		long before = this.clock.now;
		Tokens tokens = this.client.poll(issuer, this.client.start(issuer));
		assertThat(tokens.accessToken).isEqualTo("at-1");
		assertThat(tokens.refreshToken).isEqualTo("rt-1");
		assertThat(tokens.clientId).isEqualTo("beeldzorg-glasses");
		assertThat(tokens.expiresAtMillis).isEqualTo(this.clock.now + 300_000);
		// RFC 8628 3.5: after slow_down every later poll waits five seconds longer.
		assertThat(this.clock.sleeps).containsExactly(5000L, 5000L, 10_000L, 10_000L);
		assertThat(this.clock.now - before).isEqualTo(30_000);
		FakeBackend.Request poll = this.backend.requestsTo("/demo/oauth/token").get(0);
		assertThat(poll.form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
			.containsEntry("device_code", "dc-1")
			.containsEntry("client_id", "beeldzorg-glasses");
	}

	@Test
	public void anExpiredCodeEndsTheSignIn() throws IOException {
		this.backend.on("/demo/oauth/device", started(5));
		this.backend.on("/demo/oauth/token", error("authorization_pending"), error("expired_token"));
		DeviceGrantClient.Issuer issuer = this.client.discover(this.backend.origin());
		DeviceGrantClient.DeviceCode code = this.client.start(issuer);
		assertThatThrownBy(() -> this.client.poll(issuer, code))
			.isInstanceOf(DeviceGrantClient.DeviceGrantException.class)
			.hasMessage("expired_token");
	}

	@Test
	public void aDeniedCodeEndsTheSignIn() throws IOException {
		this.backend.on("/demo/oauth/device", started(5));
		this.backend.on("/demo/oauth/token", error("access_denied"));
		DeviceGrantClient.Issuer issuer = this.client.discover(this.backend.origin());
		DeviceGrantClient.DeviceCode code = this.client.start(issuer);
		assertThatThrownBy(() -> this.client.poll(issuer, code))
			.isInstanceOf(DeviceGrantClient.DeviceGrantException.class)
			.hasMessage("access_denied");
	}

	@Test
	public void stopsPollingOnceTheCodesLifetimeHasPassedHere() throws IOException {
		this.backend.on("/demo/oauth/device", started(5));
		this.backend.on("/demo/oauth/token", error("authorization_pending"));
		DeviceGrantClient.Issuer issuer = this.client.discover(this.backend.origin());
		DeviceGrantClient.DeviceCode code = this.client.start(issuer);
		assertThatThrownBy(() -> this.client.poll(issuer, code)).hasMessage("expired_token");
		// 600 s at one poll per 5 s: the last poll is before the code's end.
		assertThat(this.backend.requestsTo("/demo/oauth/token")).hasSize(119);
	}

	@Test
	public void aBackendWithoutDeviceSignInSaysSo() {
		FakeBackend plain = this.backend;
		plain.on("/api/v1/client-config", json(200, "{\"signIn\":{\"kind\":\"oidc\"}}"));
		try (FakeBackend other = new FakeBackend()) {
			other.on("/api/v1/client-config", json(200, "{\"signIn\":{\"kind\":\"oidc\"}}"));
			assertThatThrownBy(() -> this.client.discover(other.origin())).hasMessage("device.unavailable");
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	@Test
	public void aBackendThatIsAwayIsAnIoError() {
		Origin gone = this.backend.origin();
		this.backend.close();
		assertThatThrownBy(() -> this.client.discover(gone)).isInstanceOf(IOException.class);
	}

	@Test
	public void refreshesWithTheRefreshTokenAndKeepsItWhenNotRotated() throws IOException {
		String endpoint = this.backend.origin() + "/demo/oauth/token";
		this.backend.on("/demo/oauth/token",
				json(200, "{\"access_token\":\"at-2\",\"refresh_token\":\"rt-2\",\"expires_in\":300}"),
				json(200, "{\"access_token\":\"at-3\",\"expires_in\":300}"));
		Tokens held = new Tokens("at-1", "rt-1", this.clock.now + 10_000, endpoint, "beeldzorg-glasses");
		Tokens renewed = this.client.refresh(held);
		assertThat(renewed.accessToken).isEqualTo("at-2");
		assertThat(renewed.refreshToken).isEqualTo("rt-2");
		assertThat(this.backend.requestsTo("/demo/oauth/token").get(0).form)
			.containsEntry("grant_type", "refresh_token")
			.containsEntry("refresh_token", "rt-1")
			.containsEntry("client_id", "beeldzorg-glasses");
		Tokens again = this.client.refresh(renewed);
		assertThat(again.accessToken).isEqualTo("at-3");
		assertThat(again.refreshToken).isEqualTo("rt-2");
	}

	@Test
	public void aRefusedRefreshIsTheEndOfTheSessionAnOutageIsNot() {
		String endpoint = this.backend.origin() + "/demo/oauth/token";
		Tokens held = new Tokens("at-1", "rt-1", this.clock.now + 10_000, endpoint, "beeldzorg-glasses");
		this.backend.on("/demo/oauth/token", json(503, "{}"), error("invalid_grant"));
		assertThatThrownBy(() -> this.client.refresh(held)).isInstanceOf(IOException.class);
		assertThatThrownBy(() -> this.client.refresh(held)).isInstanceOf(DeviceGrantClient.DeviceGrantException.class)
			.hasMessage("invalid_grant");
	}

}
