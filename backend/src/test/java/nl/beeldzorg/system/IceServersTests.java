package nl.beeldzorg.system;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import nl.beeldzorg.signalling.protocol.IceServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TURN credentials in coturn's shared-secret scheme.
 */
class IceServersTests {

	private static final Instant NOW = Instant.parse("2026-11-25T03:00:00Z");

	@Test
	void turnCredentialIsExpiryColonUserAndTheHmacSha1OfItUnderTheSecret() throws Exception {
		List<IceServer> servers = servers(List.of("turn:turn.test:3478?transport=udp"), "a-shared-secret-16+",
				Duration.ofMinutes(30));
		assertThat(servers).hasSize(2);
		assertThat(servers.get(0).urls()).containsExactly("stun:stun.test:3478");
		IceServer turn = servers.get(1);
		long expiry = NOW.plus(Duration.ofMinutes(30)).getEpochSecond();
		assertThat(turn.username()).isEqualTo(expiry + ":so-1");
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec("a-shared-secret-16+".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
		assertThat(turn.credential()).isEqualTo(
				Base64.getEncoder().encodeToString(mac.doFinal(turn.username().getBytes(StandardCharsets.UTF_8))));
	}

	@Test
	void withoutTurnUrlsOnlyStunIsHandedOut() {
		assertThat(servers(List.of(" "), null, Duration.ofHours(1))).extracting(IceServer::username)
			.containsExactly((String) null);
	}

	@Test
	void turnWithoutALongEnoughSecretIsAConfigurationError() {
		assertThat(
				new BeeldzorgProperties.Turn(List.of("turn:t:3478"), "short", Duration.ofHours(1)).isSecretConfigured())
			.isFalse();
		assertThat(new BeeldzorgProperties.Turn(List.of("turn:t:3478"), "long-enough-secret", Duration.ofHours(1))
			.isSecretConfigured()).isTrue();
		assertThat(new BeeldzorgProperties.Turn(List.of(), null, Duration.ofHours(1)).isSecretConfigured()).isTrue();
	}

	private static List<IceServer> servers(List<String> turnUrls, String secret, Duration ttl) {
		BeeldzorgProperties properties = new BeeldzorgProperties(new BeeldzorgProperties.Demo(false, null), null, null,
				null, new BeeldzorgProperties.Ice(List.of("stun:stun.test:3478"), "all"),
				new BeeldzorgProperties.Turn(turnUrls, secret, ttl), null, null, null, null);
		return new IceServers(properties, Clock.fixed(NOW, ZoneOffset.UTC)).forUser("so-1");
	}

}
