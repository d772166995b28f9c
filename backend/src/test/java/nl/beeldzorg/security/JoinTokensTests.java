package nl.beeldzorg.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import nl.beeldzorg.system.BeeldzorgProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JoinTokensTests {

	private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

	private static final String SECRET = "a-secret-of-at-least-thirty-two-chars";

	private final CurrentUser nurse = new CurrentUser("u-1", "Anna", Discipline.NURSE, "zga", null, Set.of());

	@Test
	void issuedTokenVerifiesWithItsConsultAndUser() {
		JoinTokens tokens = tokens(SECRET, NOW);
		UUID consult = UUID.randomUUID();
		JoinTokens.JoinClaims claims = tokens.verify(tokens.issue(consult, this.nurse));
		assertThat(claims).isNotNull();
		assertThat(claims.consultId()).isEqualTo(consult);
		assertThat(claims.userId()).isEqualTo("u-1");
		assertThat(claims.discipline()).isEqualTo("NURSE");
		assertThat(claims.expired()).isFalse();
	}

	@Test
	void expiryIsReportedNotHidden() {
		String token = tokens(SECRET, NOW).issue(UUID.randomUUID(), this.nurse);
		assertThat(tokens(SECRET, NOW.plus(Duration.ofMinutes(6))).verify(token).expired()).isTrue();
	}

	@Test
	void anotherSecretOrATamperedTokenIsRefused() {
		String token = tokens(SECRET, NOW).issue(UUID.randomUUID(), this.nurse);
		assertThat(tokens("another-secret-of-at-least-32-chars!", NOW).verify(token)).isNull();
		String[] parts = token.split("\\.");
		String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "xx." + parts[2];
		assertThat(tokens(SECRET, NOW).verify(tampered)).isNull();
		assertThat(tokens(SECRET, NOW).verify("not a token")).isNull();
	}

	private static JoinTokens tokens(String secret, Instant now) {
		BeeldzorgProperties properties = new BeeldzorgProperties(new BeeldzorgProperties.Demo(false, null),
				new BeeldzorgProperties.Database("jdbc:h2:mem:x", null, null),
				new BeeldzorgProperties.Identity("https://issuer.test", null, "beeldzorg-api", null, null, null,
						new BeeldzorgProperties.Claims("sub", "name", "discipline", "institution", "practice",
								"roles")),
				new BeeldzorgProperties.Signalling(secret, Duration.ofMinutes(5), Duration.ofSeconds(30), 65536, 50,
						200, 4, Duration.ofSeconds(10)),
				new BeeldzorgProperties.Ice(List.of(), "all"),
				new BeeldzorgProperties.Turn(List.of(), null, Duration.ofHours(1)),
				new BeeldzorgProperties.Clients(1280, 720, 1500), null, null, null);
		return new JoinTokens(properties, Clock.fixed(now, ZoneOffset.UTC));
	}

}
