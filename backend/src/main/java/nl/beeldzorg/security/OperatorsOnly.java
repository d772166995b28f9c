package nl.beeldzorg.security;

import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/**
 * Lets through callers whose access token carries the role {@code OPERATOR} (in the
 * configured roles claim): those who run the service, and the Prometheus scraper's
 * service account. The role needs no discipline or institution; it reaches no patient
 * data, only the actuator.
 */
final class OperatorsOnly implements ReactiveAuthorizationManager<AuthorizationContext> {

	/** Runs the service: metrics, Prometheus, the actuator beyond health. */
	static final String OPERATOR = "OPERATOR";

	private final String rolesClaim;

	OperatorsOnly(String rolesClaim) {
		this.rolesClaim = rolesClaim;
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		return authentication.filter(JwtAuthenticationToken.class::isInstance)
			.map((token) -> CurrentUsers.roles(((JwtAuthenticationToken) token).getToken().getClaim(this.rolesClaim)))
			.<AuthorizationResult>map((roles) -> new AuthorizationDecision(roles.contains(OPERATOR)))
			.defaultIfEmpty(new AuthorizationDecision(false));
	}

}
