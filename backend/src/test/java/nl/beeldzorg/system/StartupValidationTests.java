package nl.beeldzorg.system;

import nl.beeldzorg.BeeldzorgApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Outside demo mode the application refuses to start without a database, an issuer and a
 * join-token secret, and its report names each property to set.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationTests {

	@Test
	void productionWithoutConfigurationRefusesToStartNamingEachProperty(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(BeeldzorgApplication.class).web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off")
				.run()
				.close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("beeldzorg.database.url (BEELDZORG_DATABASE_URL)")
			.contains("beeldzorg.identity.issuer-uri (BEELDZORG_IDENTITY_ISSUER_URI)")
			.contains("beeldzorg.signalling.join-token-secret (BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET)");
	}

	@Test
	void shortJoinTokenSecretIsRefused(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(BeeldzorgApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run("--beeldzorg.database.url=jdbc:h2:mem:startup", "--beeldzorg.identity.issuer-uri=https://issuer.test",
					"--beeldzorg.signalling.join-token-secret=short")
			.close());
		assertThat(output).contains("join-token-secret must be at least 32 characters")
			.doesNotContain("set beeldzorg.database.url");
	}

	@Test
	void productionWithAnIssuerButNoAudienceRefusesToStart(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> run("--beeldzorg.identity.issuer-uri=https://sso.example.org/realms/beeldzorg"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("set beeldzorg.identity.audience (BEELDZORG_IDENTITY_AUDIENCE)")
			.doesNotContain("set beeldzorg.identity.issuer-uri");
	}

	@Test
	void productionWithAKeySetButNoIssuerRefusesToStart(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--beeldzorg.identity.jwk-set-uri=https://sso.example.org/keys",
				"--beeldzorg.identity.audience=beeldzorg-api"));
		assertThat(output).contains("set beeldzorg.identity.issuer-uri (BEELDZORG_IDENTITY_ISSUER_URI)")
			.contains("a key set (jwk-set-uri) alone would accept tokens of any issuer")
			.doesNotContain("set beeldzorg.identity.audience");
	}

	@Test
	void productionWithAPlainHttpIssuerOrNoClientRefusesToStart(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> run("--beeldzorg.identity.issuer-uri=http://sso.example.org/realms/beeldzorg",
					"--beeldzorg.identity.audience=beeldzorg-api", "--beeldzorg.identity.client-id="));
		assertThat(output).contains("must be an https:// URL")
			.contains("set beeldzorg.identity.client-id (BEELDZORG_IDENTITY_CLIENT_ID)");
	}

	private static void run(String... identity) {
		String[] args = new String[identity.length + 2];
		args[0] = "--beeldzorg.database.url=jdbc:h2:mem:startup-identity";
		args[1] = "--beeldzorg.signalling.join-token-secret=a-test-secret-of-at-least-32-characters!";
		System.arraycopy(identity, 0, args, 2, identity.length);
		new SpringApplicationBuilder(BeeldzorgApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run(args)
			.close();
	}

}
