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

}
