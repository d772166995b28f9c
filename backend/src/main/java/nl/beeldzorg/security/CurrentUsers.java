package nl.beeldzorg.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.BeeldzorgProperties;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Reads the caller from the access token, with the configured claim names.
 */
@Component
public class CurrentUsers {

	private final BeeldzorgProperties.Claims claims;

	CurrentUsers(BeeldzorgProperties properties) {
		this.claims = properties.identity().claims();
	}

	/**
	 * @return the caller of the current request
	 */
	public Mono<CurrentUser> current() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull((context) -> context.getAuthentication())
			.filter(JwtAuthenticationToken.class::isInstance)
			.map((authentication) -> from(((JwtAuthenticationToken) authentication).getToken()))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.UNAUTHENTICATED, "Sign in first")));
	}

	/**
	 * @param jwt an access token
	 * @return the user it describes
	 */
	public CurrentUser from(Jwt jwt) {
		String userId = text(jwt.getClaim(this.claims.userId()));
		if (userId == null) {
			throw missing(this.claims.userId());
		}
		Set<String> roles = roles(jwt.getClaim(this.claims.roles()));
		Object disciplineClaim = jwt.getClaim(this.claims.discipline());
		Discipline discipline = Discipline.parse(disciplineClaim).orElse(null);
		if (disciplineClaim != null && discipline == null) {
			throw new ApiException(ErrorCode.MISSING_CLAIM,
					"Claim '" + this.claims.discipline() + "' is not one of NURSE, SO, BA, VS, PA, GZP, HUISARTS");
		}
		if (discipline == null && !roles.contains(CurrentUser.PROGRAMME)) {
			throw missing(this.claims.discipline());
		}
		String institution = text(jwt.getClaim(this.claims.institution()));
		String practice = text(jwt.getClaim(this.claims.practice()));
		if (discipline != null && discipline != Discipline.HUISARTS && institution == null) {
			throw missing(this.claims.institution());
		}
		if (discipline == Discipline.HUISARTS && practice == null) {
			throw missing(this.claims.practice());
		}
		String name = text(jwt.getClaim(this.claims.name()));
		return new CurrentUser(userId, (name != null) ? name : userId, discipline, institution, practice, roles);
	}

	private ApiException missing(String claim) {
		return new ApiException(ErrorCode.MISSING_CLAIM, "The access token has no '" + claim + "' claim");
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		String text = value.toString().trim();
		return text.isEmpty() ? null : text;
	}

	static Set<String> roles(@Nullable Object value) {
		Set<String> roles = new LinkedHashSet<>();
		if (value instanceof Collection<?> collection) {
			collection.forEach((role) -> roles.add(role.toString().toUpperCase(Locale.ROOT)));
		}
		else if (value instanceof String text) {
			for (String role : text.split("[ ,]+")) {
				if (!role.isBlank()) {
					roles.add(role.toUpperCase(Locale.ROOT));
				}
			}
		}
		return Set.copyOf(roles);
	}

}
