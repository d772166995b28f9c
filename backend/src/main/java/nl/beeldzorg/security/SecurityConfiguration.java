package nl.beeldzorg.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import nl.beeldzorg.system.BeeldzorgProperties;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * The API is an OAuth2 resource server: every {@code /api/**} call carries a bearer token
 * of the configured issuer (in demo mode, the built-in one). Stateless: no sessions, no
 * CSRF (no cookies are read). Of the actuator, only health (with its liveness and
 * readiness groups) is open; the rest (metrics, Prometheus, info) needs the role
 * {@code OPERATOR}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain securityFilterChain(ServerHttpSecurity http, JsonMapper json,
			BeeldzorgProperties properties) {
		ProblemResponses problems = new ProblemResponses(json);
		OperatorsOnly operators = new OperatorsOnly(properties.identity().claims().roles());
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.authorizeExchange((exchanges) -> exchanges.pathMatchers(HttpMethod.OPTIONS, "/**")
				.permitAll()
				.pathMatchers(HttpMethod.GET, "/api/v1/client-config")
				.permitAll()
				.pathMatchers("/api/**")
				.authenticated()
				.pathMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.pathMatchers("/actuator", "/actuator/**")
				.access(operators)
				.anyExchange()
				.permitAll())
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> {
			}).authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.build();
	}

	@Bean
	@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
	DemoIssuer demoIssuer(BeeldzorgProperties properties, Clock clock) {
		String issuer = (properties.identity().issuerUri() != null) ? properties.identity().issuerUri()
				: "urn:beeldzorg:demo";
		return new DemoIssuer(issuer, properties.identity().audience(), properties.identity().claims(), clock,
				properties.demo().signingKey());
	}

	@Bean
	@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
	DemoDeviceAuthorizations demoDeviceAuthorizations(Clock clock) {
		return new DemoDeviceAuthorizations(clock);
	}

	@Bean
	ReactiveJwtDecoder jwtDecoder(BeeldzorgProperties properties, ObjectProvider<DemoIssuer> demoIssuer) {
		BeeldzorgProperties.Identity identity = properties.identity();
		DemoIssuer demo = demoIssuer.getIfAvailable();
		NimbusReactiveJwtDecoder decoder;
		String issuer = identity.issuerUri();
		if (demo != null) {
			decoder = NimbusReactiveJwtDecoder.withPublicKey(demo.publicKey()).build();
			issuer = demo.issuer();
		}
		else if (hasText(identity.jwkSetUri())) {
			decoder = NimbusReactiveJwtDecoder.withJwkSetUri(identity.jwkSetUri()).build();
		}
		else {
			decoder = NimbusReactiveJwtDecoder.withIssuerLocation(issuer).build();
		}
		decoder.setJwtValidator(validator(issuer, identity.audience()));
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(@Nullable String issuer, @Nullable String audience) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(hasText(issuer) ? JwtValidators.createDefaultWithIssuer(issuer) : JwtValidators.createDefault());
		if (hasText(audience)) {
			validators.add(new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience)));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
